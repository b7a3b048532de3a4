from pathlib import Path

from django import forms

from safeguarding.core.forms_govuk import GovukFormMixin
from safeguarding.core.models import Agency, LocalAuthority, Partnership
from safeguarding.datasets.loader import TEMPLATE_KINDS
from safeguarding.datasets.models import KIND_EXTENSIONS, ImportKind
from safeguarding.measures.periods import PeriodError, parse


class ImportForm(GovukFormMixin, forms.Form):
    partnership = forms.ModelChoiceField(
        label="Partnership", queryset=Partnership.objects.none(), empty_label=None,
        error_messages={"required": "Select a partnership",
                        "invalid_choice": "Select one of your partnerships"})
    kind = forms.ChoiceField(label="What is in the file?", choices=ImportKind.choices,
                             widget=forms.RadioSelect,
                             error_messages={"required": "Select what is in the file"})
    file = forms.FileField(label="Upload a file",
                           help_text="A CIN census return is an XML file; an SSDA903 return is a ZIP "
                                     "of its CSV tables; an Annex A return is an XLSX workbook; "
                                     "DfE tables and agency templates are CSV files.",
                           error_messages={"required": "Select a file to upload",
                                           "empty": "The selected file is empty"})
    local_authority = forms.ModelChoiceField(
        label="Local authority (SSDA903 and Annex A only)", queryset=LocalAuthority.objects.none(),
        required=False, empty_label="The partnership's local authority",
        help_text="SSDA903 and Annex A files do not say which local authority they are for. "
                  "Choose one only when the partnership covers more than one.",
        error_messages={"invalid_choice": "Select one of the partnership's local authorities"})
    period = forms.CharField(
        label="Period the extract covers (agency templates only)", required=False, max_length=10,
        help_text="A financial year (2020-21), a quarter (2020-Q3 is October to December 2020) "
                  "or a month (2020-06). Needed for early help, police, missing, school and MACE "
                  "extracts, so a measure can tell a period with nothing to report from one "
                  "with no data.")
    agency = forms.ModelChoiceField(
        label="Agency that sent the extract (agency templates only)",
        queryset=Agency.objects.none(), required=False, empty_label="Work it out from the partnership",
        help_text="Needed only when the partnership has more than one agency that could send it.")
    check_only = forms.BooleanField(label="Check the file only, and load nothing",
                                    required=False)

    def __init__(self, *args, partnerships=None, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["partnership"].queryset = partnerships or Partnership.objects.none()
        self.fields["local_authority"].queryset = LocalAuthority.objects.filter(
            partnership__in=partnerships or Partnership.objects.none()).order_by("old_code")
        self.fields["agency"].queryset = (
            Agency.objects.filter(partnerships__in=partnerships).distinct().order_by("name")
            if partnerships is not None else Agency.objects.none())

    def clean(self):
        cleaned = super().clean()
        upload, kind = cleaned.get("file"), cleaned.get("kind")
        allowed = KIND_EXTENSIONS.get(kind, ()) if kind else ()
        if upload and kind and Path(upload.name).suffix.lower() not in allowed:
            names = " or ".join(ext[1:].upper() for ext in allowed)
            self.add_error("file", f"The file must be a {names} file for "
                                   f"{ImportKind(kind).label.split(' (')[0]}")
        la, partnership = cleaned.get("local_authority"), cleaned.get("partnership")
        if la and kind and kind not in (ImportKind.SSDA903, ImportKind.ANNEX_A):
            self.add_error("local_authority", "Choose a local authority only for an SSDA903 "
                                              "return or an Annex A workbook")
        elif la and partnership and la.partnership_id != partnership.pk:
            self.add_error("local_authority", f"{partnership} does not cover {la}")
        if kind in TEMPLATE_KINDS:
            period = (cleaned.get("period") or "").strip()
            if not period:
                self.add_error("period", "Enter the period the extract covers, like 2020-21")
            else:
                try:
                    cleaned["period"] = parse(period).label
                except PeriodError:
                    self.add_error("period", "Enter a financial year like 2020-21, a quarter "
                                             "like 2020-Q3 or a month like 2020-06")
        agency, partnership = cleaned.get("agency"), cleaned.get("partnership")
        if agency and partnership and not agency.partnerships.filter(pk=partnership.pk).exists():
            self.add_error("agency", f"{agency.name} is not an agency of {partnership.name}")
        return cleaned
