from django import forms

from safeguarding.core.forms_govuk import GovukFormMixin


class TargetForm(GovukFormMixin, forms.Form):
    govuk_widths = {"target": 5, "amber_tolerance": 5}

    target = forms.DecimalField(label="Target", max_digits=10, decimal_places=1)
    amber_tolerance = forms.DecimalField(
        label="Amber tolerance", max_digits=10, decimal_places=1, initial=5,
        help_text="How far short of the target, in the measure's unit, is still amber rather than red")
    note = forms.CharField(label="Reason for the target", max_length=300, required=False)
