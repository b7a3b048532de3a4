"""GOV.UK Design System markup for Django forms: classes, hints and error links."""

from __future__ import annotations

import datetime as dt

from django import forms
from django.core.exceptions import ValidationError
from django.utils import timezone


class GovukDateWidget(forms.MultiWidget):
    """Day, month and year boxes, as the GOV.UK date input pattern asks."""

    template_name = "includes/date_widget.html"

    def __init__(self, attrs=None):
        widgets = {
            "day": forms.TextInput(attrs={"class": "govuk-input govuk-date-input__input govuk-input--width-2", "inputmode": "numeric"}),
            "month": forms.TextInput(attrs={"class": "govuk-input govuk-date-input__input govuk-input--width-2", "inputmode": "numeric"}),
            "year": forms.TextInput(attrs={"class": "govuk-input govuk-date-input__input govuk-input--width-4", "inputmode": "numeric"}),
        }
        super().__init__(widgets, attrs)

    def decompress(self, value):
        if isinstance(value, dt.date):
            return [value.day, value.month, value.year]
        return [None, None, None]


class GovukDateField(forms.MultiValueField):
    widget = GovukDateWidget

    def __init__(self, **kwargs):
        # Parts are optional here so that compress() explains what is missing,
        # rather than Django's generic "Enter a complete value".
        fields = tuple(forms.CharField(required=False) for _ in range(3))
        super().__init__(fields=fields, require_all_fields=False, **kwargs)

    def compress(self, data_list):
        if not data_list or not any(data_list):
            return None
        day, month, year = (part.strip() if part else "" for part in data_list)
        if not (day and month and year):
            raise forms.ValidationError("Date must include a day, month and year", code="incomplete")
        if len(year) != 4:
            raise forms.ValidationError("Year must include 4 numbers", code="invalid_year")
        try:
            return dt.date(int(year), int(month), int(day))
        except ValueError:
            raise forms.ValidationError("Date must be a real date", code="invalid_date") from None


def time_field(label: str, *, required: bool = True) -> forms.RegexField:
    """A time of day on the 24-hour clock (HH:MM), as the GOV.UK pattern for times asks."""
    return forms.RegexField(label=label, regex=r"^([01]\d|2[0-3]):[0-5]\d$", required=required,
                            help_text="24-hour clock, for example 14:30",
                            error_messages={"invalid": "Enter a time such as 14:30"},
                            widget=forms.TextInput(attrs={"class": "govuk-input--width-5"}))


def aware_at(day: dt.date | None, time: str | None) -> dt.datetime | None:
    """The moment a day and a ``time_field`` value name, in the site's time zone; None when
    either is missing."""
    if day is None or not time:
        return None
    hour, minute = (int(p) for p in time.split(":"))
    return timezone.make_aware(dt.datetime.combine(day, dt.time(hour, minute)))


def _required_message(field, name: str) -> str:
    """GOV.UK asks for messages that say what to do: "Enter a first name", not "Required"."""
    label = str(field.label or name.replace("_", " "))
    # Keep acronyms (NHS number, UPN, LA code) as written; lower-case ordinary words.
    if not (len(label) > 1 and label[1].isupper()):
        label = label[0].lower() + label[1:]
    verb = "Select" if isinstance(field, forms.ChoiceField | forms.MultipleChoiceField) else "Enter"
    return f"{verb} {label}"


class GovukFormMixin:
    """Add GOV.UK classes to widgets; the template includes/field.html does the rest."""

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        for name, field in self.fields.items():
            if field.error_messages.get("required") == forms.Field.default_error_messages["required"]:
                field.error_messages["required"] = _required_message(field, name)
        # A bound form is styled once it has been validated (full_clean below): checking
        # the data here would run before a subclass's __init__ has set its querysets or
        # removed fields, and Django caches those errors.
        if not self.is_bound:
            self._govuk_style()

    def full_clean(self):
        super().full_clean()
        self._govuk_style()

    def add_error(self, field, error):
        # Errors a view adds after validation (a wrong security code, a service's
        # refusal) need the same error styling and aria-describedby as the rest.
        super().add_error(field, error)
        self._govuk_style()

    def _govuk_style(self):
        base_classes = self.__dict__.setdefault("_govuk_base_classes", {})
        for name, field in self.fields.items():
            widget = field.widget
            errored = bool(self.is_bound and self._errors and self._errors.get(name))
            if isinstance(widget, GovukDateWidget):
                for sub in widget.widgets:
                    if errored and "govuk-input--error" not in sub.attrs["class"]:
                        sub.attrs["class"] += " govuk-input--error"
                continue
            if isinstance(widget, forms.CheckboxSelectMultiple):
                css = "govuk-checkboxes__input"
            elif isinstance(widget, forms.RadioSelect):
                css = "govuk-radios__input"
            elif isinstance(widget, forms.CheckboxInput):
                css = "govuk-checkboxes__input"
            elif isinstance(widget, forms.Select):
                css = "govuk-select" + (" govuk-select--error" if errored else "")
            elif isinstance(widget, forms.Textarea):
                css = "govuk-textarea" + (" govuk-textarea--error" if errored else "")
            else:
                css = "govuk-input" + (" govuk-input--error" if errored else "")
                width = getattr(self, "govuk_widths", {}).get(name)
                if width:
                    css += f" govuk-input--width-{width}"
            base = base_classes.setdefault(name, widget.attrs.get("class", ""))
            widget.attrs["class"] = f"{base} {css}".strip()
            described = []
            if field.help_text:
                described.append(f"{self.auto_id % name}-hint" if self.auto_id else "")
            if errored:
                described.append(f"{self.auto_id % name}-error" if self.auto_id else "")
            if described and not isinstance(widget, forms.CheckboxSelectMultiple | forms.RadioSelect):
                widget.attrs["aria-describedby"] = " ".join(d for d in described if d)


def apply_service(form, call):
    """Run a service (``call``, taking no arguments) and return what it returns.

    A ValidationError it raises goes on the form instead, field by field (errors for
    a field the form lacks go at the top), and None comes back, so the view shows
    the form again with the error summary. Every app's views use this one helper.
    """
    try:
        return call()
    except ValidationError as error:
        if hasattr(error, "error_dict"):
            for field, errors in error.message_dict.items():
                form.add_error(field if field in form.fields else None, errors)
        else:
            form.add_error(None, error.messages)
        return None
