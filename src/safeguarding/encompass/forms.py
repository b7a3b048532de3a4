"""GOV.UK forms for the Operation Encompass pages. The incident form's answers become the
same values the CSV template gives, so both go through one service and its rules."""

from __future__ import annotations

import datetime as dt
from typing import Any

from django import forms
from django.utils import timezone

from safeguarding.core.forms_govuk import GovukDateField, GovukFormMixin
from safeguarding.core.models import Agency, AgencyKind
from safeguarding.encompass.models import School

DATE_HINT = "For example, 16 10 2020"
CHILD_SLOTS = 3


class IncidentForm(GovukFormMixin, forms.Form):
    police_reference = forms.CharField(label="Police reference", max_length=30)
    occurred_on = GovukDateField(label="Date the police attended", help_text=DATE_HINT)
    occurred_time = forms.RegexField(
        label="Time the police attended", regex=r"^([01]\d|2[0-3]):[0-5]\d$",
        help_text="24-hour clock, for example 19:30",
        error_messages={"invalid": "Enter a time such as 19:30"},
        widget=forms.TextInput(attrs={"class": "govuk-input--width-5"}))
    domestic_abuse = forms.BooleanField(label="This was a domestic abuse incident",
                                        required=False, initial=True)

    def __init__(self, *args, schools=(), **kwargs):
        super().__init__(*args, **kwargs)
        choices = [("", "Select the child's school"), *((s.urn, f"{s.name} ({s.urn})")
                                                        for s in schools)]
        for n in range(1, CHILD_SLOTS + 1):
            required = n == 1
            which = "first child" if n == 1 else f"child {n} (if another was present)"
            self.fields[f"child_{n}_first_name"] = forms.CharField(
                label=f"First name of the {which}", max_length=100, required=required,
                error_messages={"required": f"Enter the first name of child {n}"})
            self.fields[f"child_{n}_last_name"] = forms.CharField(
                label=f"Last name of child {n}", max_length=100, required=required,
                error_messages={"required": f"Enter the last name of child {n}"})
            self.fields[f"child_{n}_date_of_birth"] = GovukDateField(
                label=f"Date of birth of child {n}", help_text=DATE_HINT, required=required,
                error_messages={"required": f"Enter the date of birth of child {n}"})
            self.fields[f"child_{n}_school_urn"] = forms.ChoiceField(
                label=f"School of child {n}", choices=choices, required=required,
                error_messages={"required": f"Select the school of child {n}"})
            self.fields[f"child_{n}_present"] = forms.BooleanField(
                label=f"Child {n} was present", required=False, initial=True)
            self.fields[f"child_{n}_identifier"] = forms.CharField(
                label=f"LA child ID or NHS number of child {n}, if known", max_length=20,
                required=False, help_text="Links the child to the child index")
        self._govuk_style()

    def clean(self):
        data = super().clean()
        for n in range(2, CHILD_SLOTS + 1):
            given = [data.get(f"child_{n}_{f}") for f in ("first_name", "last_name",
                                                           "date_of_birth", "school_urn")]
            if any(given) and not all(given):
                self.add_error(f"child_{n}_first_name", f"Enter child {n}'s first and last "
                               "name, date of birth and school, or leave them all blank")
        return data

    def values(self) -> dict[str, Any]:
        data = self.cleaned_data
        hour, minute = (int(p) for p in data["occurred_time"].split(":"))
        children = []
        for n in range(1, CHILD_SLOTS + 1):
            if not data.get(f"child_{n}_first_name"):
                continue
            identifier = (data.get(f"child_{n}_identifier") or "").strip()
            digits = identifier.replace(" ", "")
            children.append({
                "first_name": data[f"child_{n}_first_name"],
                "last_name": data[f"child_{n}_last_name"],
                "date_of_birth": data[f"child_{n}_date_of_birth"],
                "school_urn": data[f"child_{n}_school_urn"],
                "present": data[f"child_{n}_present"],
                "nhs_number": digits if digits.isdigit() and len(digits) == 10 else "",
                "la_child_id": "" if digits.isdigit() and len(digits) == 10 else identifier})
        return {"police_reference": data["police_reference"].strip(),
                "occurred_at": timezone.make_aware(dt.datetime.combine(
                    data["occurred_on"], dt.time(hour, minute))),
                "domestic_abuse": data["domestic_abuse"], "children": children}


class SchoolForm(GovukFormMixin, forms.ModelForm):
    la_code = forms.CharField(label="LA (old code)", max_length=3,
                              help_text="Three digits, for example 860")

    class Meta:
        model = School
        fields = ["urn", "name", "agency", "key_adult_name", "key_adult_email",
                  "holiday_contact_name", "holiday_contact_email"]
        labels = {"agency": "The school's agency on the platform (its Key Adult signs in there)",
                  "key_adult_name": "Key Adult's name", "key_adult_email": "Key Adult's e-mail",
                  "holiday_contact_name": "Holiday contact's name",
                  "holiday_contact_email": "Holiday contact's e-mail"}

    def __init__(self, *args, partnership=None, editing=False, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["agency"].queryset = Agency.objects.filter(
            partnerships=partnership, kind=AgencyKind.EDUCATION) if partnership else \
            Agency.objects.none()
        self.fields["agency"].required = False
        if editing:
            del self.fields["urn"]
            del self.fields["la_code"]

    def _post_clean(self):
        """The service checks and saves, not the model form."""


class ImportForm(GovukFormMixin, forms.Form):
    file = forms.FileField(label="CSV file of incidents (one row per child)")


class AcknowledgeForm(forms.Form):
    pass
