"""GOV.UK forms for the briefings pages; each form's data goes to one service."""

from __future__ import annotations

from django import forms

from safeguarding.briefings import config
from safeguarding.briefings.models import Briefing
from safeguarding.core.forms_govuk import GovukDateField, GovukFormMixin
from safeguarding.core.models import Agency

DATE_HINT = "For example, 10 3 2021"


def _date(label: str, required: bool = True) -> GovukDateField:
    return GovukDateField(label=label, help_text=DATE_HINT, required=required)


class BriefingForm(GovukFormMixin, forms.Form):
    title = forms.CharField(label="Title", max_length=300)
    source = forms.ChoiceField(label="Where the learning comes from", widget=forms.RadioSelect,
                               choices=Briefing.Source.choices)
    source_reference = forms.CharField(
        label="Reference of the review or audit", max_length=100, required=False,
        help_text="Such as the rapid review's reference, if the learning comes from one")
    themes = forms.MultipleChoiceField(label="Themes", required=False,
                                       widget=forms.CheckboxSelectMultiple)
    other_themes = forms.CharField(label="Other themes", required=False, max_length=300,
                                   help_text="Separate themes with commas")
    summary = forms.CharField(label="Summary", required=False,
                              widget=forms.Textarea(attrs={"rows": 4}))
    issued_on = _date("Date issued")
    file = forms.FileField(label="Briefing file", required=False,
                           help_text="A PDF, Word, PowerPoint or OpenDocument file")
    expected = forms.ModelMultipleChoiceField(
        label="Agencies expected to use it", queryset=Agency.objects.none(),
        widget=forms.CheckboxSelectMultiple, required=False,
        help_text="Leave every box clear for every agency of the partnership")

    def __init__(self, *args, partnership, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["themes"].choices = [(t, t) for t in config.themes()]
        self.fields["expected"].queryset = partnership.agencies.order_by("name")

    def all_themes(self) -> list[str]:
        extra = [t for t in self.cleaned_data.get("other_themes", "").split(",") if t.strip()]
        return list(self.cleaned_data.get("themes", [])) + extra


class UseForm(GovukFormMixin, forms.Form):
    agency = forms.ModelChoiceField(label="Agency", queryset=Agency.objects.none())
    team = forms.CharField(label="Team", max_length=200)
    used_on = _date("Date the team used it")
    attendees = forms.IntegerField(label="Number of people who attended", min_value=1)
    reflections = forms.CharField(label="Key reflections", widget=forms.Textarea(attrs={"rows": 4}))
    actions = forms.CharField(label="Actions agreed, and how the team will know the learning "
                                    "is embedded", required=False,
                              widget=forms.Textarea(attrs={"rows": 4}))

    def __init__(self, *args, agencies, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["agency"].queryset = agencies


class CampaignForm(GovukFormMixin, forms.Form):
    name = forms.CharField(label="Name", max_length=200)
    audience = forms.CharField(label="Audience", max_length=300,
                               help_text="Such as parents and carers of babies")
    materials = forms.CharField(label="Materials", required=False,
                                widget=forms.Textarea(attrs={"rows": 3}))
    starts_on = _date("Start date")
    ends_on = _date("End date", required=False)
    reach = forms.IntegerField(label="People reached", min_value=0, initial=0)
    reach_note = forms.CharField(label="How the reach was counted", max_length=300,
                                 required=False)


class CampaignUpdateForm(GovukFormMixin, forms.Form):
    reach = forms.IntegerField(label="People reached", min_value=0)
    reach_note = forms.CharField(label="How the reach was counted", max_length=300,
                                 required=False)
    ends_on = _date("End date", required=False)
