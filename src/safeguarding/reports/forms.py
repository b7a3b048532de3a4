from django import forms

from safeguarding.core.forms_govuk import GovukDateField, GovukFormMixin
from safeguarding.reports.models import ReportSend


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


class SendForm(GovukFormMixin, forms.Form):
    recipient = forms.ChoiceField(label="Sent to", choices=ReportSend.Recipient.choices,
                                  widget=forms.RadioSelect)
    sent_on = GovukDateField(label="Date sent", help_text="For example, 27 9 2021")
    published_url = forms.URLField(label="Where the report is published (optional)",
                                   required=False, assume_scheme="https")


class PublishForm(GovukFormMixin, forms.Form):
    confirm = forms.BooleanField(required=True, label="I confirm the partners have agreed this "
                                                      "report")
