"""GOV.UK forms for the GCP2 pages; each form's data goes to one service."""

from __future__ import annotations

from django import forms

from safeguarding.core.forms_govuk import GovukDateField, GovukFormMixin
from safeguarding.core.models import Agency
from safeguarding.neglect import config

DATE_HINT = "For example, 10 3 2021"


def _date(label: str, required: bool = True, help_text: str = DATE_HINT) -> GovukDateField:
    return GovukDateField(label=label, help_text=help_text, required=required)


def _count(label: str, help_text: str = "") -> forms.IntegerField:
    return forms.IntegerField(label=label, min_value=0, initial=0, help_text=help_text)


class _AgencyForm(GovukFormMixin, forms.Form):
    agency = forms.ModelChoiceField(label="Agency", queryset=Agency.objects.none())

    def __init__(self, *args, partnership, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["agency"].queryset = partnership.agencies.order_by("name")


class ChampionForm(_AgencyForm):
    name = forms.CharField(label="Name", max_length=200)
    job_title = forms.CharField(label="Job title", max_length=200, required=False)
    email = forms.EmailField(label="Email address", required=False)
    trained_on = _date("Date trained as a champion")
    field_order = ["name", "job_title", "agency", "email", "trained_on"]


class StepDownForm(GovukFormMixin, forms.Form):
    on = _date("Date the champion stepped down")


class LicenceForm(_AgencyForm):
    practitioner = forms.CharField(label="Practitioner's name", max_length=200)
    email = forms.EmailField(label="Email address", required=False,
                             help_text="Reminders before the licence expires go here")
    issued_on = _date("Date issued")
    expires_on = _date("Expiry date", required=False,
                       help_text=f"Leave blank for the usual term "
                                 f"({config.config()['licence']['valid_months']} months)")
    field_order = ["practitioner", "agency", "email", "issued_on", "expires_on"]


class RenewForm(GovukFormMixin, forms.Form):
    issued_on = _date("Date the renewal is issued")


class WithdrawForm(GovukFormMixin, forms.Form):
    on = _date("Date withdrawn")
    reason = forms.CharField(label="Why the licence is withdrawn",
                             widget=forms.Textarea(attrs={"rows": 3}))


class SummaryForm(GovukFormMixin, forms.Form):
    """An agency's quarter: counts and overall grades only (the tool's text is the NSPCC's)."""

    agency = forms.ChoiceField(label="Agency")
    period = forms.CharField(label="Quarter", max_length=7,
                             help_text="The financial year's quarter, such as 2020-Q3 "
                                       "(October to December 2020)")
    completed = _count("GCP2 assessments completed in the quarter")
    children = _count("Children the assessments covered")
    grade_1 = _count("Assessments with an overall grade of 1", "1 is the best grade")
    grade_2 = _count("Assessments with an overall grade of 2")
    grade_3 = _count("Assessments with an overall grade of 3")
    grade_4 = _count("Assessments with an overall grade of 4")
    grade_5 = _count("Assessments with an overall grade of 5", "5 is the worst grade")
    reviewed = _count("Assessments reviewed (scored again) in the quarter")
    improved = _count("Reviews where the overall grade improved")

    def __init__(self, *args, pairs, **kwargs):
        super().__init__(*args, **kwargs)
        self.pairs = {f"{p.pk}-{a.pk}": (p, a) for p, a in pairs}
        several = len({p.pk for p, _ in pairs}) > 1
        self.fields["agency"].choices = [
            (key, f"{a.name} ({p.code})" if several else a.name)
            for key, (p, a) in self.pairs.items()]
        for code, label in config.outcomes():
            self.fields[f"outcome_{code}"] = _count(f"Outcome: {label}")

    def outcomes(self) -> dict[str, int]:
        return {code: self.cleaned_data[f"outcome_{code}"] for code, _ in config.outcomes()}

    def grades(self) -> list[int]:
        return [self.cleaned_data[f"grade_{n}"] for n in range(1, 6)]
