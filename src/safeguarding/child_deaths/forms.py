"""Forms for child death review, in GOV.UK Design System markup."""

from __future__ import annotations

import datetime as dt

from django import forms
from django.utils import timezone

from safeguarding.child_deaths import code_lists
from safeguarding.child_deaths.models import ChildDeath
from safeguarding.children import code_lists as child_code_lists
from safeguarding.core.forms_govuk import GovukDateField, GovukFormMixin
from safeguarding.core.models import Agency, Partnership
from safeguarding.measures.periods import financial_years_since


def year_choices(today: dt.date | None = None) -> list[tuple[str, str]]:
    years = financial_years_since(today=today or timezone.localdate())
    return [(y.label, y.label) for y in years]


def _lines(value: str) -> list[str]:
    return [line.strip() for line in (value or "").splitlines() if line.strip()]


class NotificationForm(GovukFormMixin, forms.Form):
    partnership = forms.ModelChoiceField(
        label="The child's partnership",
        queryset=Partnership.objects.none(),
        help_text="Where the child normally lived. The case belongs to this partnership.",
        error_messages={"required": "Choose the child's partnership"},
    )
    birth_status = forms.ChoiceField(
        label="Was the child born alive?",
        widget=forms.RadioSelect,
        choices=code_lists.choices("birth_status"),
        help_text="Child death reviews cover children born alive, up to their 18th birthday.",
        error_messages={"required": "Choose whether the child was born alive"},
    )
    first_name = forms.CharField(
        label="Child's first name",
        max_length=100,
        error_messages={"required": "Enter the child's first name"},
    )
    last_name = forms.CharField(
        label="Child's last name",
        max_length=100,
        error_messages={"required": "Enter the child's last name"},
    )
    date_of_birth = GovukDateField(
        label="Date of birth",
        help_text="For example, 27 3 2012",
        error_messages={"required": "Enter the date of birth"},
    )
    sex = forms.ChoiceField(
        label="Sex",
        widget=forms.RadioSelect,
        choices=child_code_lists.choices("sex"),
        error_messages={"required": "Choose the child's sex"},
    )
    ethnicity = forms.ChoiceField(
        label="Ethnicity",
        choices=[("", "Choose ethnicity"), *child_code_lists.choices("ethnicity")],
        initial="NOBT",
        error_messages={"required": "Choose the child's ethnicity"},
    )
    nhs_number = forms.CharField(
        label="NHS number (if known)",
        max_length=12,
        required=False,
        help_text="10 digits. Used to find the child in the child index and avoid counting a "
        "death twice.",
    )
    postcode = forms.CharField(label="Home postcode (if known)", max_length=8, required=False)
    date_of_death = GovukDateField(
        label="Date of death", error_messages={"required": "Enter the date of death"}
    )
    place_of_death = forms.ChoiceField(
        label="Where the child died",
        choices=[("", "Choose a place"), *code_lists.choices("place_of_death")],
        error_messages={"required": "Choose where the child died"},
    )
    place_detail = forms.CharField(
        label="Name of the place (optional)",
        max_length=200,
        required=False,
        help_text="For example, the hospital's name",
    )
    expected = forms.ChoiceField(
        label="Was the death expected?",
        widget=forms.RadioSelect,
        choices=code_lists.choices("expected"),
        help_text="Unexpected: not anticipated as a significant possibility, for example 24 "
        "hours before the death.",
        error_messages={"required": "Choose whether the death was expected"},
    )
    jar_triggers = forms.MultipleChoiceField(
        label="Which of these apply?",
        required=False,
        widget=forms.CheckboxSelectMultiple,
        choices=code_lists.jar_trigger_choices(),
        help_text="Tick each one that applies. Any one means a Joint Agency Response is needed.",
    )
    notified_on = GovukDateField(
        label="Date the death was notified", error_messages={"required": "Enter the date notified"}
    )
    notifier_name = forms.CharField(
        label="Name of the professional notifying",
        max_length=200,
        error_messages={"required": "Enter who notified the death"},
    )
    notifier_role = forms.CharField(
        label="Their job title",
        max_length=200,
        error_messages={"required": "Enter their job title"},
    )
    notifying_agency = forms.ModelChoiceField(
        label="Their agency",
        queryset=Agency.objects.none(),
        error_messages={"required": "Choose the notifying agency"},
    )

    def __init__(self, *args, partnerships=None, agencies=None, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["partnership"].queryset = partnerships or Partnership.objects.none()
        self.fields["notifying_agency"].queryset = agencies or Agency.objects.none()
        self.fields["postcode"].govuk_width = 10
        self.fields["nhs_number"].govuk_width = 10

    def clean_birth_status(self):
        value = self.cleaned_data["birth_status"]
        if not code_lists.birth_status_accepted(value):
            raise forms.ValidationError(code_lists.EXCLUDED_MESSAGE, code="excluded")
        return value


class JarForm(GovukFormMixin, forms.Form):
    meeting_date = GovukDateField(
        label="Date of the first Joint Agency Response meeting",
        error_messages={"required": "Enter the meeting date"},
    )
    agencies = forms.ModelMultipleChoiceField(
        label="Agencies taking part",
        queryset=Agency.objects.none(),
        widget=forms.CheckboxSelectMultiple,
        error_messages={"required": "Choose the agencies taking part"},
    )
    key_worker_name = forms.CharField(
        label="Key worker for the family",
        max_length=200,
        help_text="The family's single point of contact through the review",
        error_messages={"required": "Enter the name of the family's key worker"},
    )
    key_worker_agency = forms.ModelChoiceField(
        label="Key worker's agency",
        queryset=Agency.objects.none(),
        error_messages={"required": "Choose the key worker's agency"},
    )
    key_worker_contact = forms.CharField(
        label="Key worker's phone or e-mail (optional)", max_length=200, required=False
    )
    notes = forms.CharField(label="Notes (optional)", required=False, widget=forms.Textarea)

    def __init__(self, *args, agencies=None, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["agencies"].queryset = agencies
        self.fields["key_worker_agency"].queryset = agencies


class InformationRequestForm(GovukFormMixin, forms.Form):
    agency = forms.ModelChoiceField(
        label="Agency",
        queryset=Agency.objects.none(),
        error_messages={"required": "Choose the agency"},
    )
    form = forms.ChoiceField(
        label="Form requested", choices=code_lists.choices("reporting_forms"), initial="reporting"
    )
    contact_name = forms.CharField(
        label="Contact at the agency (optional)", max_length=200, required=False
    )
    contact_email = forms.EmailField(
        label="Contact's e-mail (optional)",
        required=False,
        help_text="Reminders go here two working days before the due date and when overdue. "
        "Without one, they go to the panel's business unit.",
        error_messages={"invalid": "Enter an e-mail address like name@example.org"},
    )
    requested_on = GovukDateField(
        label="Date requested",
        help_text="The due date is worked out from this date",
        error_messages={"required": "Enter the date requested"},
    )

    def __init__(self, *args, agencies=None, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["agency"].queryset = agencies


class ResponseForm(GovukFormMixin, forms.Form):
    received_on = GovukDateField(
        label="Date received", error_messages={"required": "Enter the date received"}
    )
    summary = forms.CharField(
        label="Summary of the response",
        widget=forms.Textarea,
        error_messages={"required": "Enter a summary of the response"},
    )


FACTOR_FIELDS = [
    (f"factors_{code}", code, label) for code, label in code_lists.choices("factor_domains")
]


def _factor_field(label: str) -> forms.CharField:
    return forms.CharField(
        label=f"Factors: {label.lower()} (optional)",
        required=False,
        widget=forms.Textarea(attrs={"rows": 3}),
        help_text="One factor per line",
    )


class ReviewForm(GovukFormMixin, forms.Form):
    review_date = GovukDateField(
        label="Date of the panel's review", error_messages={"required": "Enter the review date"}
    )
    category = forms.TypedChoiceField(
        label="Category of death",
        coerce=int,
        choices=[("", "Choose a category"), *code_lists.category_choices()],
        help_text="If more than one applies, choose the highest in the list.",
        error_messages={"required": "Choose the category of death"},
    )
    modifiable = forms.ChoiceField(
        label="Were modifiable factors identified?",
        widget=forms.RadioSelect,
        choices=code_lists.choices("modifiable"),
        help_text="Factors that may have contributed to the death and could be modified by "
        "achievable local or national action. Describe them by domain below.",
        error_messages={"required": "Choose whether modifiable factors were identified"},
    )
    factors_child = _factor_field(code_lists.label("factor_domains", "child"))
    factors_family_environment = _factor_field(
        code_lists.label("factor_domains", "family_environment")
    )
    factors_parenting_capacity = _factor_field(
        code_lists.label("factor_domains", "parenting_capacity")
    )
    factors_service_provision = _factor_field(
        code_lists.label("factor_domains", "service_provision")
    )
    themes: forms.ModelMultipleChoiceField = forms.ModelMultipleChoiceField(
        label="Themes (optional)",
        required=False,
        queryset=None,
        widget=forms.CheckboxSelectMultiple,
    )
    learning_points = forms.CharField(
        label="Learning points", required=False, widget=forms.Textarea
    )
    recommendations = forms.CharField(
        label="Recommendations", required=False, widget=forms.Textarea
    )

    def __init__(self, *args, themes=None, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["themes"].queryset = themes

    def factors(self) -> dict[str, list[str]]:
        return {code: _lines(self.cleaned_data.get(fname, "")) for fname, code, _ in FACTOR_FIELDS}


class CaseFilterForm(GovukFormMixin, forms.Form):
    partnership = forms.ChoiceField(label="Partnership", required=False)
    status = forms.ChoiceField(
        label="Stage", required=False, choices=[("", "Any stage"), *ChildDeath.Status.choices]
    )
    period = forms.ChoiceField(label="Notified in", required=False)

    def __init__(self, *args, partnerships=(), **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["partnership"].choices = [
            ("", "All partnerships"),
            *[(p.code, p.name) for p in partnerships],
        ]
        self.fields["period"].choices = [("", "Any year"), *year_choices()]


class ScopeYearForm(GovukFormMixin, forms.Form):
    scope = forms.ChoiceField(
        label="Partnership or panel", error_messages={"required": "Choose a partnership or panel"}
    )
    year = forms.ChoiceField(
        label="Financial year (1 April to 31 March)", error_messages={"required": "Choose a year"}
    )

    def __init__(self, *args, scopes=(), **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["scope"].choices = [(s.key, s.label) for s in scopes]
        self.fields["year"].choices = year_choices()


class ExportForm(ScopeYearForm):
    format = forms.ChoiceField(
        label="File format",
        widget=forms.RadioSelect,
        initial="csv",
        choices=[("csv", "CSV (opens in a spreadsheet)"), ("json", "JSON (for other systems)")],
    )


class StatisticsForm(ScopeYearForm):
    trend_category = forms.TypedChoiceField(
        label="Show a five-year trend for",
        coerce=int,
        required=False,
        empty_value=None,
        choices=[("", "No trend"), *code_lists.category_choices()],
    )


class ThemeForm(GovukFormMixin, forms.Form):
    name = forms.CharField(
        label="New theme", max_length=200, error_messages={"required": "Enter the theme"}
    )
