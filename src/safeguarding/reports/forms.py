from django import forms

from safeguarding.core.forms_govuk import GovukFormMixin
from safeguarding.reports.models import CommitmentStatus


class ChooseForm(GovukFormMixin, forms.Form):
    partnership = forms.ChoiceField(label="Partnership")
    year = forms.ChoiceField(label="Reporting year",
                             help_text="The financial year the report covers, 1 April to 31 March")

    def __init__(self, *args, partnerships, years, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["partnership"].choices = [(p.code, p.name) for p in partnerships]
        self.fields["year"].choices = [(y, y) for y in years]


class NarrativeForm(GovukFormMixin, forms.Form):
    text = forms.CharField(
        label="Text", widget=forms.Textarea(attrs={"rows": 14}),
        help_text="Leave a blank line between paragraphs. Start a line with \"- \" for a "
                  "bullet point. Do not type figures: the report adds them from the data.")
    note = forms.CharField(label="What changed (optional)", max_length=200, required=False)

    def __init__(self, *args, label: str = "Text", guidance: str = "", **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["text"].label = label
        if guidance:
            self.fields["text"].help_text = f"{guidance} {self.fields['text'].help_text}"
        self._govuk_style()


class CommitmentForm(GovukFormMixin, forms.Form):
    status = forms.ChoiceField(label="Status", choices=CommitmentStatus.choices,
                               widget=forms.RadioSelect)
    evidence = forms.CharField(label="Evidence", required=False,
                               widget=forms.Textarea(attrs={"rows": 3}),
                               help_text="What shows the progress: a report, an audit, a change "
                                         "in practice")


class PublishForm(GovukFormMixin, forms.Form):
    confirm = forms.BooleanField(required=True, label="I confirm the partners have agreed this "
                                                      "report")
