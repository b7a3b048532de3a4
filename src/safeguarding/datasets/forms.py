from pathlib import Path

from django import forms
from django.db.models import Q

from safeguarding.core.forms_govuk import GovukFormMixin
from safeguarding.core.models import Partnership
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
    local_authority = forms.CharField(
        label="Local authority code (optional)", required=False, max_length=9,
        help_text="Only for an Annex A or SSDA903 file when the partnership covers more than one "
                  "local authority: the 3-digit code, such as 860")
    check_only = forms.BooleanField(label="Check the file only, and load nothing",
                                    required=False)

    def __init__(self, *args, partnerships=None, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["partnership"].queryset = partnerships or Partnership.objects.none()

    def clean(self):
        cleaned = super().clean()
        upload, kind = cleaned.get("file"), cleaned.get("kind")
        allowed = KIND_EXTENSIONS.get(kind, ()) if kind else ()
        if upload and kind and Path(upload.name).suffix.lower() not in allowed:
            names = " or ".join(ext[1:].upper() for ext in allowed)
            self.add_error("file", f"The file must be a {names} file for "
                                   f"{ImportKind(kind).label.split(' (')[0]}")
        code = (cleaned.get("local_authority") or "").strip()
        partnership = cleaned.get("partnership")
        cleaned["local_authority"] = None
        if code and partnership is not None:
            found = partnership.local_authorities.filter(
                Q(old_code=code) | Q(new_code__iexact=code)).first()
            if found is None:
                self.add_error("local_authority",
                               f"Enter the code of a local authority {partnership.name} covers")
            cleaned["local_authority"] = found
        return cleaned
