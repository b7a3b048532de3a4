"""GOV.UK forms for the policy library; each form's data goes to one service."""

from __future__ import annotations

from django import forms

from safeguarding.core.forms_govuk import GovukDateField, GovukFormMixin
from safeguarding.core.models import Partnership, User

DATE_HINT = "For example, 31 3 2021"


class SearchForm(GovukFormMixin, forms.Form):
    q = forms.CharField(label="Search policies and procedures", required=False, max_length=200,
                        help_text="Words from the title or the text, for example: escalation")


class VersionFields(GovukFormMixin, forms.Form):
    change_summary = forms.CharField(label="What changed", widget=forms.Textarea(attrs={"rows": 3}),
                                     help_text="Practitioners see this in the version history")
    body = forms.CharField(label="The policy's text", required=False,
                           widget=forms.Textarea(attrs={"rows": 12}),
                           help_text="Enter the text, upload a file, or both")
    file = forms.FileField(label="File (optional)", required=False,
                           help_text="A PDF, Word (.docx) or text file")
    published_on = GovukDateField(label="Date published", help_text=DATE_HINT)

    def file_parts(self) -> dict:
        upload = self.cleaned_data.get("file")
        if not upload:
            return {}
        return {"file_name": upload.name, "file_type": upload.content_type or "",
                "file_content": upload.read()}


class PolicyForm(VersionFields):
    title = forms.CharField(label="Title", max_length=200)
    reference = forms.CharField(label="Reference (optional)", max_length=30, required=False)
    summary = forms.CharField(label="Summary (optional)", required=False,
                              widget=forms.Textarea(attrs={"rows": 3}))
    partnerships = forms.ModelMultipleChoiceField(
        label="Partnerships it applies to", queryset=Partnership.objects.none(),
        widget=forms.CheckboxSelectMultiple, help_text="A joint policy applies to several")
    owner = forms.ModelChoiceField(label="Owner", queryset=User.objects.none(),
                                   help_text="The person who keeps it under review")
    review_due = GovukDateField(label="Review date", help_text=DATE_HINT)

    field_order = ["title", "reference", "summary", "partnerships", "owner", "review_due",
                   "body", "file", "change_summary", "published_on"]

    def __init__(self, *args, partnerships, owners, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["partnerships"].queryset = partnerships
        self.fields["owner"].queryset = owners
        self.fields["change_summary"].initial = "First version"


class ReviewForm(GovukFormMixin, forms.Form):
    reviewed_on = GovukDateField(label="Date reviewed", help_text=DATE_HINT)
    next_due = GovukDateField(label="Next review date", required=False,
                              help_text="Leave blank for the partnership's usual interval")
    note = forms.CharField(label="Note (optional)", required=False,
                           widget=forms.Textarea(attrs={"rows": 3}),
                           help_text="For example, reviewed with no changes")
