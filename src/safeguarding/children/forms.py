from django import forms
from django.core.exceptions import ValidationError

from safeguarding.children import code_lists
from safeguarding.core.forms_govuk import GovukDateField, GovukFormMixin
from safeguarding.core.models import Agency, LocalAuthority, Partnership


class ChildForm(GovukFormMixin, forms.Form):
    govuk_widths = {"postcode": 10, "nhs_number": 10, "la_child_id": 10}

    partnership = forms.ModelChoiceField(label="Partnership", queryset=Partnership.objects.none())
    local_authority = forms.ModelChoiceField(
        label="Local authority", queryset=LocalAuthority.objects.all(), required=False)
    first_name = forms.CharField(label="First name", max_length=100)
    last_name = forms.CharField(label="Last name", max_length=100)
    date_of_birth = GovukDateField(label="Date of birth", help_text="For example, 27 3 2012")
    sex = forms.ChoiceField(label="Sex", choices=code_lists.plain_choices("sex"),
                            widget=forms.RadioSelect)
    ethnicity = forms.ChoiceField(label="Ethnicity", choices=[("", "Choose ethnicity"),
                                                             *code_lists.choices("ethnicity")])
    postcode = forms.CharField(label="Postcode", max_length=8, required=False)
    nhs_number = forms.CharField(label="NHS number", max_length=12, required=False,
                                 help_text="10 digits, for example 999 123 4560")
    upn = forms.CharField(label="Unique pupil number (UPN)", max_length=13, required=False,
                          help_text="13 characters, starting with a check letter")
    la_child_id = forms.CharField(label="LA child ID", max_length=10, required=False)
    police_reference = forms.CharField(label="Police reference", max_length=30, required=False)

    def __init__(self, *args, partnerships=None, editing=False, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["partnership"].queryset = partnerships or Partnership.objects.none()
        if editing:
            del self.fields["partnership"]

    def clean(self):
        # Check the identifiers with the other fields, so every mistake is listed at once.
        from safeguarding.children.services import _clean_identifiers

        cleaned = super().clean()
        try:
            cleaned.update(_clean_identifiers(cleaned))
        except ValidationError as error:
            for field, messages in error.message_dict.items():
                self.add_error(field, messages)
        return cleaned


class InvolvementForm(GovukFormMixin, forms.Form):
    agency = forms.ModelChoiceField(label="Agency", queryset=Agency.objects.none())
    reason = forms.CharField(label="Reason for involvement", max_length=200)
    started_on = GovukDateField(label="Involved since")

    def __init__(self, *args, partnership=None, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["agency"].queryset = partnership.agencies.all() if partnership else Agency.objects.none()
