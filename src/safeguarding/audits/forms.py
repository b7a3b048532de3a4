"""GOV.UK forms for the audit pages; each form's data goes to one service."""

from __future__ import annotations

from django import forms

from safeguarding.audits import config
from safeguarding.core.forms_govuk import GovukDateField, GovukFormMixin
from safeguarding.core.models import Agency, Partnership

DATE_HINT = "For example, 10 6 2020"


def _date(label: str, required: bool = True) -> GovukDateField:
    return GovukDateField(label=label, help_text=DATE_HINT, required=required)


class ProgrammeForm(GovukFormMixin, forms.Form):
    partnership = forms.ModelChoiceField(label="Partnership", queryset=Partnership.objects.none())
    year = forms.IntegerField(label="Year the programme starts (in April)", min_value=2000,
                              max_value=2100, help_text="For example, 2020 for 2020-21")
    title = forms.CharField(label="Title", required=False, max_length=200)
    body = forms.TypedChoiceField(label="Sub-group that oversees it", required=False,
                                  coerce=int, empty_value=None,
                                  help_text="Its action log holds the audits' actions")

    def __init__(self, *args, partnerships, bodies, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["partnership"].queryset = partnerships
        self.bodies = {b.pk: b for b in bodies}
        self.fields["body"].choices = [("", "None")] + [(b.pk, str(b)) for b in bodies]


class AuditForm(GovukFormMixin, forms.Form):
    title = forms.CharField(label="Title", max_length=200)
    theme = forms.ChoiceField(label="Theme", choices=config.themes)
    terms_of_reference = forms.CharField(label="Terms of reference",
                                         widget=forms.Textarea(attrs={"rows": 5}))
    scale = forms.ChoiceField(label="Grading scale", choices=config.scales,
                              widget=forms.RadioSelect)
    planned_on = _date("Month the audit is planned for (any day in it)")
    population = forms.ChoiceField(label="Draw the sample from", choices=config.populations,
                                   widget=forms.RadioSelect)
    category = forms.ChoiceField(label="Category of the child protection plan", required=False,
                                 choices=[("", "Not applicable"), *config.plan_categories()],
                                 help_text="For a sample of children on a plan")
    sample_size = forms.IntegerField(label="Number of cases", min_value=1, max_value=100)
    agencies = forms.ModelMultipleChoiceField(label="Agencies taking part",
                                              queryset=Agency.objects.none(),
                                              widget=forms.CheckboxSelectMultiple)

    def __init__(self, *args, partnership, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["agencies"].queryset = partnership.agencies.order_by("name")


class QuestionForm(GovukFormMixin, forms.Form):
    section = forms.TypedChoiceField(label="Section", coerce=int)
    text = forms.CharField(label="Question", max_length=500)

    def __init__(self, *args, audit, **kwargs):
        super().__init__(*args, **kwargs)
        self.sections = {s.pk: s for s in audit.sections.all()}
        self.fields["section"].choices = [(s.pk, s.title) for s in self.sections.values()]


class DrawForm(GovukFormMixin, forms.Form):
    on = _date("Date of the draw")
    seed = forms.IntegerField(label="Random seed (optional)", required=False, min_value=0,
                              help_text="Leave empty for a new random seed; give an earlier "
                                        "seed to repeat a draw")


class OpenForm(GovukFormMixin, forms.Form):
    on = _date("Date the returns open")


class ReturnForm(GovukFormMixin, forms.Form):
    """One field per question (``q<id>``) and a grade per section (``s<id>``)."""

    def __init__(self, *args, agency_return, **kwargs):
        super().__init__(*args, **kwargs)
        audit = agency_return.case.audit
        answers = {a.question_id: a.text for a in agency_return.answers.all()}
        graded = {g.section_id: g.grade for g in agency_return.grades.all()}
        grade_choices = [("", "Not graded yet"), *config.grades(audit.scale)]
        self.questions, self.sections = [], []
        for section in audit.sections.prefetch_related("questions"):
            for question in section.questions.all():
                name = f"q{question.pk}"
                self.fields[name] = forms.CharField(
                    label=f"{section.title}: {question.text}", required=False,
                    initial=answers.get(question.pk, ""),
                    widget=forms.Textarea(attrs={"rows": 3}))
                self.questions.append((name, question.pk))
            name = f"s{section.pk}"
            self.fields[name] = forms.ChoiceField(label=f"Grade for {section.title.lower()}",
                                                  choices=grade_choices, required=False,
                                                  initial=graded.get(section.pk, ""))
            self.sections.append((name, section.pk))
        for name, label in (("good_practice", "Good practice"),
                            ("development", "Areas for development"),
                            ("recommendations", "Recommendations")):
            self.fields[name] = forms.CharField(label=label, required=False,
                                                initial=getattr(agency_return, name),
                                                widget=forms.Textarea(attrs={"rows": 4}))
        self.fields["auditor"] = forms.CharField(label="Auditor (name and role)", required=False,
                                                 max_length=200, initial=agency_return.auditor)
        self.fields["submit"] = forms.BooleanField(
            label="Submit the return now (it cannot be changed afterwards)", required=False)
        self.fields["on"] = _date("Date submitted", required=False)

    def answers(self) -> dict[int, str]:
        return {pk: self.cleaned_data.get(name, "") for name, pk in self.questions}

    def grades(self) -> dict[int, str]:
        return {pk: self.cleaned_data.get(name, "") for name, pk in self.sections}


class ModerationForm(GovukFormMixin, forms.Form):
    on = _date("Date of the moderation")

    def __init__(self, *args, case, **kwargs):
        super().__init__(*args, **kwargs)
        audit = case.audit
        agreed = {g.section_id: g for g in case.agreed.all()}
        self.sections = []
        for section in audit.sections.all():
            name = f"s{section.pk}"
            current = agreed.get(section.pk)
            self.fields[name] = forms.ChoiceField(
                label=f"Agreed grade: {section.title.lower()}",
                choices=[("", "Choose a grade"), *config.grades(audit.scale)],
                initial=current.grade if current else "")
            self.fields[f"n{section.pk}"] = forms.CharField(
                label=f"Why (optional): {section.title.lower()}", required=False,
                initial=current.note if current else "", widget=forms.Textarea(attrs={"rows": 2}))
            self.sections.append(section.pk)

    def grades(self) -> dict[int, str]:
        return {pk: self.cleaned_data[f"s{pk}"] for pk in self.sections}

    def notes(self) -> dict[int, str]:
        return {pk: self.cleaned_data.get(f"n{pk}", "") for pk in self.sections}


class FindingForm(GovukFormMixin, forms.Form):
    kind = forms.ChoiceField(label="Kind of finding", choices=config.finding_kinds,
                             widget=forms.RadioSelect)
    text = forms.CharField(label="Finding", widget=forms.Textarea(attrs={"rows": 4}))


class ActionForm(GovukFormMixin, forms.Form):
    title = forms.CharField(label="Action", max_length=250)
    finding = forms.TypedChoiceField(label="Finding it answers", required=False, coerce=int,
                                     empty_value=None)
    owner = forms.CharField(label="Owner (name or role)", max_length=200)
    agency = forms.ModelChoiceField(label="Owner's agency", queryset=Agency.objects.none())
    raised_on = _date("Date raised")
    due_on = _date("Due date")

    def __init__(self, *args, audit, **kwargs):
        super().__init__(*args, **kwargs)
        self.findings = {f.pk: f for f in audit.findings.all()}
        self.fields["finding"].choices = [("", "None")] + [
            (f.pk, f.text[:80]) for f in self.findings.values()]
        self.fields["agency"].queryset = audit.programme.partnership.agencies.order_by("name")


class CompleteForm(GovukFormMixin, forms.Form):
    on = _date("Date signed off")
    re_audit_on = _date("Re-audit date", required=False)
    summary = forms.CharField(label="Summary", required=False,
                              widget=forms.Textarea(attrs={"rows": 4}))
