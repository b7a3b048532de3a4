"""Forms for voice pages (GOV.UK patterns through core.forms_govuk)."""

from __future__ import annotations

from django import forms

from safeguarding.core.forms_govuk import GovukDateField, GovukFormMixin
from safeguarding.core.models import Partnership
from safeguarding.voice import config
from safeguarding.voice.models import Question, Survey, YouSaidWeDid

DATE_HINT = "For example, 10 6 2020"


def _date(label: str, required: bool = True) -> GovukDateField:
    return GovukDateField(label=label, help_text=DATE_HINT, required=required)


class SurveyForm(GovukFormMixin, forms.Form):
    partnership = forms.ModelChoiceField(label="Partnership", queryset=Partnership.objects.none())
    title = forms.CharField(label="Title", max_length=200)
    audience = forms.ChoiceField(label="Who the survey is for", choices=Survey.Audience.choices,
                                 widget=forms.RadioSelect)
    anonymous = forms.TypedChoiceField(
        label="Is the survey anonymous?", widget=forms.RadioSelect,
        choices=[("yes", "Yes: no name or account is kept with any answer"),
                 ("no", "No: a respondent may give their name")],
        coerce=lambda v: v == "yes")
    run_by = forms.CharField(label="Run by (optional)", max_length=200, required=False,
                             help_text="For example, the Youth Commission")
    themes = forms.MultipleChoiceField(label="Dashboard themes it speaks to", required=False,
                                       widget=forms.CheckboxSelectMultiple)
    description = forms.CharField(label="Description (optional)", required=False,
                                  widget=forms.Textarea(attrs={"rows": 3}))
    closes_on = _date("Planned closing date", required=False)

    def __init__(self, *args, partnerships, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["partnership"].queryset = partnerships
        self.fields["themes"].choices = config.dashboard_themes()


class QuestionForm(GovukFormMixin, forms.Form):
    text = forms.CharField(label="Question", max_length=300)
    kind = forms.ChoiceField(label="Kind of answer", choices=Question.Kind.choices,
                             widget=forms.RadioSelect)
    options = forms.CharField(label="Options (one a line)", required=False,
                              widget=forms.Textarea(attrs={"rows": 5}),
                              help_text="For one or any answers from a list")
    scale_min = forms.IntegerField(label="Scale from", required=False, initial=1)
    scale_max = forms.IntegerField(label="Scale to", required=False, initial=5)
    tag = forms.ChoiceField(label="Tracked result it feeds (optional)", required=False)

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["tag"].choices = [("", "None")] + [(r["tag"], r["title"])
                                                       for r in config.results()]


class CodeForm(GovukFormMixin, forms.Form):
    label = forms.CharField(label="Theme", max_length=200)


class DayForm(GovukFormMixin, forms.Form):
    on = _date("Date")


class ImportForm(GovukFormMixin, forms.Form):
    file = forms.FileField(label="CSV file of responses")


class CodingForm(GovukFormMixin, forms.Form):
    codes = forms.MultipleChoiceField(label="Themes in this answer", required=False,
                                      widget=forms.CheckboxSelectMultiple,
                                      help_text="Choose none if the answer fits no theme")

    def __init__(self, *args, survey, **kwargs):
        super().__init__(*args, **kwargs)
        self.codes = {str(c.pk): c for c in survey.codes.all()}
        self.fields["codes"].choices = [(k, c.label) for k, c in self.codes.items()]


class YouSaidForm(GovukFormMixin, forms.Form):
    feedback = forms.ChoiceField(label="The feedback")
    you_said = forms.CharField(label="You said", widget=forms.Textarea(attrs={"rows": 3}))
    we_did = forms.CharField(label="We did", widget=forms.Textarea(attrs={"rows": 3}))
    actions = forms.MultipleChoiceField(label="Actions in the board's action log",
                                        required=False, widget=forms.CheckboxSelectMultiple)
    status = forms.ChoiceField(label="Status", choices=YouSaidWeDid.Status.choices,
                               widget=forms.RadioSelect)
    outcome = forms.CharField(label="Outcome", required=False,
                              widget=forms.Textarea(attrs={"rows": 3}))
    on = _date("Date recorded")

    def __init__(self, *args, survey, actions, **kwargs):
        super().__init__(*args, **kwargs)
        self.choices_by_key: dict[str, tuple] = {}
        for code in survey.codes.all():
            self.choices_by_key[f"code-{code.pk}"] = (code, None, "")
        for question in survey.questions.exclude(kind="free_text"):
            for value, _label in question.choices():
                self.choices_by_key[f"q-{question.pk}-{value}"] = (None, question, value)
        self.fields["feedback"].choices = [
            (k, f"Theme: {c.label}" if c else f"{q.text}: {dict(q.choices())[v]}")
            for k, (c, q, v) in self.choices_by_key.items()]
        self.actions = {str(a.pk): a for a in actions}
        self.fields["actions"].choices = [(k, f"{a.reference}: {a.title}")
                                          for k, a in self.actions.items()]


class ResponseForm(GovukFormMixin, forms.Form):
    """The respondent's form: one field per question, every one optional."""

    def __init__(self, *args, survey, **kwargs):
        super().__init__(*args, **kwargs)
        self.questions = list(survey.questions.all())
        for q in self.questions:
            if q.kind == "free_text":
                field: forms.Field = forms.CharField(
                    label=q.text, required=False, widget=forms.Textarea(attrs={"rows": 4}))
            elif q.kind == "multiple":
                field = forms.MultipleChoiceField(label=q.text, required=False,
                                                  choices=q.choices(),
                                                  widget=forms.CheckboxSelectMultiple)
            else:
                field = forms.ChoiceField(label=q.text, required=False, choices=q.choices(),
                                          widget=forms.RadioSelect)
            self.fields[q.key] = field
        if not survey.anonymous:
            self.fields["respondent"] = forms.CharField(label="Your name (optional)",
                                                        required=False, max_length=200)

    def answers(self) -> dict:
        return {q.key: self.cleaned_data[q.key] for q in self.questions
                if self.cleaned_data.get(q.key)}
