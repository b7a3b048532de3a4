"""GOV.UK forms for the missing pages. The episode form's field names are the CSV
template's columns, so a form's data goes to the same services and rules as a row."""

from __future__ import annotations

from typing import Any

from django import forms

from safeguarding.core.forms_govuk import GovukDateField, GovukFormMixin, aware_at, time_field
from safeguarding.missing import config, importer

DATE_HINT = "For example, 5 6 2020"
LABELS = {c["name"]: c["description"] for c in importer.columns()}


class EpisodeForm(GovukFormMixin, forms.Form):
    force_reference = forms.CharField(label="Police force reference", max_length=50,
                                      help_text=LABELS["force_reference"])
    category = forms.ChoiceField(label="Missing or absent", choices=config.choices("categories"),
                                 widget=forms.RadioSelect)
    child_la = forms.RegexField(label="Child's home LA (old code)", regex=r"^\d{3}$",
                                help_text="Three digits, for example 860",
                                error_messages={"invalid": "Enter a three-digit LA code"})
    child_id = forms.RegexField(label="LA child ID or NHS number", regex=r"^[A-Za-z0-9 ]{1,20}$",
                                help_text=LABELS["child_id"],
                                error_messages={"invalid": "Enter an LA child ID or NHS number"})
    missing_on = GovukDateField(label="Date missing from", help_text=DATE_HINT)
    missing_time = time_field("Time missing from")
    returned_on = GovukDateField(label="Date returned or found", required=False,
                                 help_text="Leave blank while the child is missing")
    returned_time = time_field("Time returned or found", required=False)
    where_found = forms.ChoiceField(label="Where found", required=False,
                                    choices=[("", "Not yet found"), *config.choices("where_found")])

    def values(self) -> dict[str, Any]:
        data = self.cleaned_data
        return {"force_reference": data["force_reference"].strip(),
                "category": data["category"], "child_la": data["child_la"],
                "child_id": data["child_id"].replace(" ", "").upper(),
                "missing_from": aware_at(data.get("missing_on"), data.get("missing_time")),
                "returned_at": aware_at(data.get("returned_on"), data.get("returned_time")),
                "where_found": data.get("where_found") or ""}


class ReturnForm(GovukFormMixin, forms.Form):
    returned_on = GovukDateField(label="Date returned or found", help_text=DATE_HINT)
    returned_time = time_field("Time returned or found")
    where_found = forms.ChoiceField(label="Where found", choices=config.choices("where_found"))


ANSWERS = [("", "Not answered yet"), ("Y", "Accepted"), ("N", "Declined")]


class InterviewForm(GovukFormMixin, forms.Form):
    offered_on = GovukDateField(label="Date the interview was offered", help_text=DATE_HINT)
    offered_time = time_field("Time offered")
    accepted = forms.ChoiceField(label="Did the child accept?", choices=ANSWERS, required=False,
                                 widget=forms.RadioSelect)
    interview_on = GovukDateField(label="Date of the interview", required=False,
                                  help_text="Leave blank until it is held")
    interview_time = time_field("Time of the interview", required=False)
    interviewer = forms.CharField(label="Who did the interview", max_length=200, required=False,
                                  help_text="Name and role; independent of the child's carer")
    outcome = forms.ChoiceField(label="Outcome", required=False,
                                choices=[("", "None yet"), *config.choices("outcomes")])
    notes = forms.CharField(label="Notes", required=False,
                            widget=forms.Textarea(attrs={"rows": 3}))

    def values(self) -> dict[str, Any]:
        data = self.cleaned_data
        answer = data.get("accepted")
        return {"offered_at": aware_at(data.get("offered_on"), data.get("offered_time")),
                "accepted": {"Y": True, "N": False}.get(answer or ""),
                "interview_at": aware_at(data.get("interview_on"), data.get("interview_time")),
                "interviewer": data.get("interviewer") or "", "outcome": data.get("outcome") or "",
                "notes": data.get("notes") or ""}


class ImportForm(GovukFormMixin, forms.Form):
    file = forms.FileField(label="CSV file of missing episodes",
                           help_text="The columns of the police missing episodes template")
