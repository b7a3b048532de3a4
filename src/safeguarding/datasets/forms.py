from pathlib import Path

from django import forms

from safeguarding.core.forms_govuk import GovukFormMixin
from safeguarding.core.models import LocalAuthority, Partnership
from safeguarding.datasets.models import KIND_EXTENSIONS, ImportKind


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
    check_only = forms.BooleanField(label="Check the file only, and load nothing",
                                    required=False)

    def __init__(self, *args, partnerships=None, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["partnership"].queryset = partnerships or Partnership.objects.none()
        self.fields["local_authority"].queryset = LocalAuthority.objects.filter(
            partnership__in=partnerships or Partnership.objects.none()).order_by("old_code")

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
        return cleaned
