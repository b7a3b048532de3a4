from __future__ import annotations

from django import forms

from safeguarding.core.forms_govuk import GovukDateField, GovukFormMixin
from safeguarding.core.models import Partnership
from safeguarding.covid_followup.models import FollowUp


class ImportForm(GovukFormMixin, forms.Form):
    partnership = forms.ModelChoiceField(label="Partnership", queryset=Partnership.objects.none())
    file = forms.FileField(label="Weekly attendance extract (CSV)")

    def __init__(self, *args, partnerships, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["partnership"].queryset = partnerships


class FollowUpForm(GovukFormMixin, forms.Form):
    made_on = GovukDateField(label="Date of the follow-up", help_text="For example, 27 4 2020")
    method = forms.ChoiceField(label="How the school followed up", choices=FollowUp.Method.choices,
                               widget=forms.RadioSelect)
    outcome = forms.ChoiceField(label="Outcome", choices=FollowUp.Outcome.choices,
                                widget=forms.RadioSelect)
    note = forms.CharField(label="Note (optional)", required=False,
                           widget=forms.Textarea(attrs={"rows": 3}))
