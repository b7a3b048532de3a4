"""GOV.UK forms for the restraint pages. Field names are the CSV template's columns, so a
form's cleaned data goes to the same services and rules as an imported row."""

from __future__ import annotations

from typing import Any

from django import forms

from safeguarding.children.code_lists import plain_choices
from safeguarding.core.forms_govuk import GovukDateField, GovukFormMixin, aware_at, time_field
from safeguarding.restraint import config, importer
from safeguarding.restraint.models import Review

DATE_HINT = "For example, 5 6 2020"
YES_NO_FIELDS = ("planned", "senior_officer_in_control", "de_escalation_tried", "pit_used",
                 "floor", "handcuffs", "sound_captured", "cctv", "child_injured",
                 "staff_injured", "assault_on_staff", "healthcare_attended", "separation",
                 "child_debriefed", "parent_told", "yjs_told")
LABELS = {c["name"]: c["description"] for c in importer.columns()}


class IncidentForm(GovukFormMixin, forms.Form):
    incident_ref = forms.CharField(label="Incident reference", max_length=50,
                                   help_text=LABELS["incident_ref"])
    occurred_on = GovukDateField(label="Date of the restraint", help_text=DATE_HINT)
    occurred_time = time_field("Time the restraint began")
    location = forms.ChoiceField(label="Location", choices=config.choices("locations"))
    planned = forms.BooleanField(label="The restraint was planned", required=False)
    authorised_by = forms.CharField(label="Who authorised it (for a planned restraint)",
                                    required=False, max_length=200)
    senior_officer_in_control = forms.BooleanField(label="A senior officer took control",
                                                   required=False)
    primary_reason = forms.ChoiceField(label="Main reason", choices=config.choices("reasons"))
    other_reasons = forms.MultipleChoiceField(label="Other reasons", required=False,
                                              choices=config.choices("reasons"),
                                              widget=forms.CheckboxSelectMultiple)
    de_escalation_tried = forms.BooleanField(label="De-escalation was tried first",
                                             required=False)
    positions = forms.MultipleChoiceField(label="Positions", choices=config.choices("positions"),
                                          widget=forms.CheckboxSelectMultiple)
    techniques = forms.MultipleChoiceField(label="MMPR techniques", required=False,
                                           choices=config.choices("techniques"),
                                           widget=forms.CheckboxSelectMultiple)
    pit_used = forms.BooleanField(label="A pain-inducing technique was used", required=False)
    pit_technique = forms.ChoiceField(
        label="Pain-inducing technique", required=False,
        choices=[("", "None"), *config.choices("pain_inducing_techniques")])
    pit_justification = forms.CharField(
        label="Justification: the immediate risk of serious physical harm", required=False,
        widget=forms.Textarea(attrs={"rows": 3}))
    duration_minutes = forms.IntegerField(label="Duration in minutes", min_value=0,
                                          max_value=1440)
    floor = forms.BooleanField(label="The child was taken to the floor", required=False)
    handcuffs = forms.BooleanField(label="Handcuffs were applied", required=False)
    body_worn_camera = forms.ChoiceField(label="Body-worn camera footage",
                                         choices=[("Y", "Yes"), ("N", "No"),
                                                  ("NK", "Not known")],
                                         widget=forms.RadioSelect)
    camera_ids = forms.CharField(label="Camera numbers", required=False, max_length=200)
    sound_captured = forms.BooleanField(label="The footage has sound", required=False)
    cctv = forms.BooleanField(label="CCTV covers the incident", required=False)
    child_injured = forms.BooleanField(label="The child was injured", required=False)
    staff_injured = forms.BooleanField(label="A member of staff was injured", required=False)
    assault_on_staff = forms.BooleanField(label="The incident involved an assault on staff",
                                          required=False)
    healthcare_attended = forms.BooleanField(label="Healthcare attended", required=False)
    healthcare_on = GovukDateField(label="Date healthcare attended", required=False,
                                   help_text=DATE_HINT)
    healthcare_time = time_field("Time healthcare attended", required=False)
    separation = forms.BooleanField(label="The child was separated afterwards", required=False)
    relocated_to = forms.CharField(label="Relocated to", required=False, max_length=100)
    child_debriefed = forms.BooleanField(label="The child was debriefed", required=False)
    child_views = forms.CharField(label="The child's account, in their words", required=False,
                                  widget=forms.Textarea(attrs={"rows": 3}))
    parent_told = forms.BooleanField(label="The parent or carer was told", required=False)
    yjs_told = forms.BooleanField(label="The youth justice worker was told", required=False)
    child_la = forms.RegexField(label="Child's home LA (old code)", regex=r"^\d{3}$",
                                help_text="Three digits, for example 860",
                                error_messages={"invalid": "Enter a three-digit LA code"})
    la_child_id = forms.CharField(label="LA child ID", max_length=10)
    date_of_birth = GovukDateField(label="Child's date of birth", help_text=DATE_HINT)
    ethnicity = forms.ChoiceField(label="Ethnicity", choices=plain_choices("ethnicity"))
    staff = forms.CharField(label="Staff involved", help_text=LABELS["staff"])

    def values(self) -> dict[str, Any]:
        """The cleaned data as the CSV template's values."""
        data = self.cleaned_data
        values = {k: data.get(k) for k in (
            "incident_ref", "location", "authorised_by", "primary_reason", "other_reasons",
            "positions", "techniques", "pit_technique", "pit_justification", "duration_minutes",
            "body_worn_camera", "camera_ids", "relocated_to", "child_views", "child_la",
            "la_child_id", "date_of_birth", "ethnicity", *YES_NO_FIELDS)}
        values["occurred_at"] = aware_at(data.get("occurred_on"), data.get("occurred_time"))
        values["healthcare_at"] = aware_at(data.get("healthcare_on"), data.get("healthcare_time"))
        return values

    def clean_staff(self) -> list:
        staff, rule, message = importer.parse_staff({"type": "staff"}, self.cleaned_data["staff"])
        if rule:
            raise forms.ValidationError(f"Staff involved: {message}")
        if not staff:
            raise forms.ValidationError("Enter at least one member of staff")
        return staff


class IncidentEditForm(GovukFormMixin, forms.Form):
    """The fields a reviewer most often corrects, and the reason, which is required."""

    floor = forms.BooleanField(label="The child was taken to the floor", required=False)
    positions = forms.MultipleChoiceField(label="Positions", choices=config.choices("positions"),
                                          widget=forms.CheckboxSelectMultiple)
    pit_used = forms.BooleanField(label="A pain-inducing technique was used", required=False)
    senior_officer_in_control = forms.BooleanField(label="A senior officer took control",
                                                   required=False)
    body_worn_camera = IncidentForm.base_fields["body_worn_camera"]
    sound_captured = forms.BooleanField(label="The footage has sound", required=False)
    child_injured = forms.BooleanField(label="The child was injured", required=False)
    healthcare_attended = forms.BooleanField(label="Healthcare attended", required=False)
    child_views = forms.CharField(label="The child's account, in their words", required=False,
                                  widget=forms.Textarea(attrs={"rows": 3}))
    reason = forms.CharField(label="Reason for the change",
                             help_text="For example: an error in the report, something "
                                       "missing, or new evidence such as footage",
                             widget=forms.Textarea(attrs={"rows": 3}))


class ReviewForm(GovukFormMixin, forms.Form):
    reviewed_on = GovukDateField(label="Date of the review", help_text=DATE_HINT)
    proportionate = forms.ChoiceField(label="Was the restraint proportionate?",
                                      choices=Review.Proportionate.choices,
                                      widget=forms.RadioSelect)
    concerns = forms.MultipleChoiceField(label="Concerns", required=False,
                                         choices=list(Review.CONCERNS.items()),
                                         widget=forms.CheckboxSelectMultiple)
    referral = forms.ChoiceField(label="Does it need a referral?",
                                 choices=Review.Referral.choices, widget=forms.RadioSelect)
    follow_up = forms.CharField(label="What follows", required=False,
                                widget=forms.Textarea(attrs={"rows": 3}))


class ImportForm(GovukFormMixin, forms.Form):
    file = forms.FileField(label="CSV file of restraint incidents",
                           help_text="The columns of the restraint incidents template")


class SampleDrawForm(GovukFormMixin, forms.Form):
    quarter = forms.RegexField(label="Quarter", regex=r"^\d{4}-Q[1-4]$",
                               help_text="Financial quarter, for example 2020-Q3 (October to "
                                         "December 2020)",
                               error_messages={"invalid": "Enter a quarter such as 2020-Q3"})
    size = forms.IntegerField(label="Sample size", min_value=6, max_value=10, required=False,
                              help_text="6 to 10; blank for the establishment's usual size")
    seed = forms.IntegerField(label="Seed", required=False, min_value=0,
                              help_text="Blank for a new random seed; give a stored seed to "
                                        "draw the same sample again")


class SampleItemForm(GovukFormMixin, forms.Form):
    footage_reviewed = forms.BooleanField(label="Footage reviewed", required=False)
    paperwork_reviewed = forms.BooleanField(label="Paperwork reviewed", required=False)
    notes = forms.CharField(label="Notes", required=False,
                            widget=forms.Textarea(attrs={"rows": 3}))

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        for key, text in config.checklist().items():
            self.fields[f"check_{key}"] = forms.ChoiceField(
                label=text, required=False, widget=forms.RadioSelect,
                choices=[("Y", "Yes"), ("N", "No"), ("NA", "Not applicable")])

    def checklist(self) -> dict[str, str]:
        return {key: self.cleaned_data[f"check_{key}"] for key in config.checklist()
                if self.cleaned_data.get(f"check_{key}")}


class SampleNotesForm(GovukFormMixin, forms.Form):
    reflective_notes = forms.CharField(label="Reflective discussion", required=False,
                                       widget=forms.Textarea(attrs={"rows": 4}))
    good_practice = forms.CharField(label="Good practice", required=False,
                                    widget=forms.Textarea(attrs={"rows": 3}))
    learning = forms.CharField(label="Learning", required=False,
                               widget=forms.Textarea(attrs={"rows": 3}))


class SampleActionForm(GovukFormMixin, forms.Form):
    theme = forms.ChoiceField(label="Theme", choices=config.choices("themes"))
    action = forms.CharField(label="Action", widget=forms.Textarea(attrs={"rows": 2}))
    owner = forms.CharField(label="Owner", max_length=200)
    due_on = GovukDateField(label="Due by", required=False, help_text=DATE_HINT)
