"""GOV.UK forms for the review pages. Field names match the services' error keys."""

from __future__ import annotations

from typing import cast

from django import forms

from safeguarding.core.forms_govuk import GovukDateField, GovukFormMixin
from safeguarding.core.models import Agency, Partnership
from safeguarding.reviews.models import (
    AbuseOrNeglect,
    ActionStatus,
    Decision,
    DeferralReason,
    Harm,
    LearningKind,
    PracticeReview,
    ReviewKind,
    SeriousIncident,
    Theme,
)


def _given(queryset, model):
    return queryset if queryset is not None else model.objects.none()


def _choices(form: forms.Form, name: str) -> forms.ModelChoiceField:
    return cast(forms.ModelChoiceField, form.fields[name])


YES_NO = [("yes", "Yes"), ("no", "No")]
DATE_HINT = "For example, 12 4 2021"


def _themes_field(required: bool = False) -> forms.ModelMultipleChoiceField:
    return forms.ModelMultipleChoiceField(
        label="Themes", queryset=Theme.objects.filter(active=True), required=required,
        widget=forms.CheckboxSelectMultiple)


def _text(label: str, rows: int = 4, required: bool = True, **kwargs) -> forms.CharField:
    return forms.CharField(label=label, required=required,
                           widget=forms.Textarea(attrs={"rows": rows}), **kwargs)


class _IncidentChoice(forms.ModelMultipleChoiceField):
    def label_from_instance(self, obj: SeriousIncident) -> str:
        return f"{obj.reference}, aware {obj.aware_on:%-d %B %Y}"


class IncidentForm(GovukFormMixin, forms.Form):
    partnership = forms.ModelChoiceField(label="Partnership", queryset=Partnership.objects.none())
    children = _text(
        "Children", rows=3,
        help_text="The LA child ID or NHS number of each child, one on each line")
    aware_on = GovukDateField(label="Date the local authority became aware", help_text=DATE_HINT)
    harm = forms.ChoiceField(label="What happened", choices=Harm.choices,
                             widget=forms.RadioSelect)
    abuse_or_neglect = forms.ChoiceField(label="Abuse or neglect", choices=AbuseOrNeglect.choices,
                                         widget=forms.RadioSelect)
    looked_after = forms.ChoiceField(label="Was a child looked after?", choices=YES_NO,
                                     widget=forms.RadioSelect)
    summary = _text("Summary of what happened",
                    help_text="Do not include names or identifiers: board members read this")
    themes = _themes_field()
    notification_sent_on = GovukDateField(
        label="Date the notification was sent to the Panel", required=False,
        help_text="Leave this blank if it has not been sent yet")

    def __init__(self, *args, partnerships=None, editing: bool = False, **kwargs):
        super().__init__(*args, **kwargs)
        if editing:
            del self.fields["partnership"]
            del self.fields["notification_sent_on"]
        else:
            _choices(self, "partnership").queryset = _given(partnerships, Partnership)

    def clean_children(self) -> list[str]:
        return [line.strip() for line in self.cleaned_data["children"].splitlines()
                if line.strip()]

    def clean_looked_after(self) -> bool:
        return self.cleaned_data["looked_after"] == "yes"


class NotificationForm(GovukFormMixin, forms.Form):
    notification_sent_on = GovukDateField(label="Date the notification was sent to the Panel",
                                          help_text=DATE_HINT)


class RapidReviewForm(GovukFormMixin, forms.Form):
    meeting_on = GovukDateField(label="Date of the rapid review meeting", required=False,
                                help_text=DATE_HINT)
    completed_on = GovukDateField(label="Date the rapid review was sent to the Panel",
                                  required=False, help_text="Leave this blank until it is sent")


class DecisionForm(GovukFormMixin, forms.Form):
    decision = forms.ChoiceField(label="Decision", choices=Decision.choices,
                                 widget=forms.RadioSelect)
    decision_on = GovukDateField(label="Date of the decision", help_text=DATE_HINT)
    rationale = _text("Reasons for the decision", rows=6)


class PanelResponseForm(GovukFormMixin, forms.Form):
    panel_response_on = GovukDateField(label="Date of the Panel's response", help_text=DATE_HINT)
    panel_response = _text("The Panel's response", rows=6)


class AgencyReturnRequestForm(GovukFormMixin, forms.Form):
    agency = forms.ModelChoiceField(label="Agency", queryset=Agency.objects.none())
    requested_on = GovukDateField(label="Date the return was requested", help_text=DATE_HINT)

    def __init__(self, *args, agencies=None, **kwargs):
        super().__init__(*args, **kwargs)
        _choices(self, "agency").queryset = _given(agencies, Agency)


class AgencyReturnForm(GovukFormMixin, forms.Form):
    received_on = GovukDateField(label="Date the return was received", required=False,
                                 help_text="Leave this blank until it arrives")
    attended_meeting = forms.BooleanField(label="The agency attended the rapid review meeting",
                                          required=False)


class ChronologyForm(GovukFormMixin, forms.Form):
    agency = forms.ModelChoiceField(label="Agency", queryset=Agency.objects.none())
    occurred_on = GovukDateField(label="Date", help_text=DATE_HINT)
    entry = _text("What happened", rows=4)

    def __init__(self, *args, agencies=None, **kwargs):
        super().__init__(*args, **kwargs)
        _choices(self, "agency").queryset = _given(agencies, Agency)


class PracticeReviewCreateForm(GovukFormMixin, forms.Form):
    partnership = forms.ModelChoiceField(label="Partnership", queryset=Partnership.objects.none())
    kind = forms.ChoiceField(label="Kind of review", choices=ReviewKind.choices,
                             widget=forms.RadioSelect)
    title = forms.CharField(label="Title", max_length=200,
                            help_text="No real names: for example Child Q, or Infants under one")
    scope = _text("Scope", rows=3, required=False,
                  help_text="For a thematic review, what the cases have in common")
    incidents = _IncidentChoice(label="Serious incidents", queryset=SeriousIncident.objects.none(),
                                widget=forms.CheckboxSelectMultiple)
    decided_on = GovukDateField(label="Date of the decision to carry out the review",
                                help_text="Publication is due six months after this date")
    reviewer = forms.CharField(label="Reviewer", max_length=200, required=False)
    commissioned_on = GovukDateField(label="Date the review was commissioned", required=False)
    themes = _themes_field()

    def __init__(self, *args, partnerships=None, incidents=None, **kwargs):
        super().__init__(*args, **kwargs)
        _choices(self, "partnership").queryset = _given(partnerships, Partnership)
        if incidents is not None:
            _choices(self, "incidents").queryset = incidents


class PracticeReviewForm(GovukFormMixin, forms.Form):
    title = forms.CharField(label="Title", max_length=200)
    scope = _text("Scope", rows=3, required=False)
    reviewer = forms.CharField(label="Reviewer", max_length=200, required=False)
    terms_of_reference = _text("Terms of reference", rows=6, required=False)
    commissioned_on = GovukDateField(label="Date the review was commissioned", required=False)
    terms_agreed_on = GovukDateField(label="Date the terms of reference were agreed",
                                     required=False)
    draft_on = GovukDateField(label="Date of the draft report", required=False)
    final_on = GovukDateField(label="Date of the final report", required=False)
    planned_publication_on = GovukDateField(
        label="Planned publication date", required=False,
        help_text="The Panel and the Secretary of State are told before this date")
    panel_notice_on = GovukDateField(
        label="Date the Panel and the Secretary of State were told", required=False)
    themes = _themes_field()


class PublishForm(GovukFormMixin, forms.Form):
    published_on = GovukDateField(label="Date the review was published", help_text=DATE_HINT)
    published_url = forms.URLField(label="Web address of the published report", required=False,
                                   assume_scheme="https")


class DeferForm(GovukFormMixin, forms.Form):
    deferral_reason = forms.ChoiceField(label="Why publication is deferred",
                                        choices=DeferralReason.choices, widget=forms.RadioSelect)
    deferral_detail = _text("More detail", rows=3, required=False)
    deferred_on = GovukDateField(label="Date publication was deferred", help_text=DATE_HINT)
    deferral_review_on = GovukDateField(label="Date to look at this again",
                                        help_text="For example, after the trial is due to end")


class FindingForm(GovukFormMixin, forms.Form):
    text = _text("Finding", rows=5)
    themes = _themes_field()


class RecommendationForm(GovukFormMixin, forms.Form):
    text = _text("Recommendation", rows=4)


class ActionForm(GovukFormMixin, forms.Form):
    text = _text("Action", rows=3)
    owner_agency = forms.ModelChoiceField(label="Agency that owns the action",
                                          queryset=Agency.objects.none())
    due_on = GovukDateField(label="Due date", help_text="The date agreed with the agency")

    def __init__(self, *args, agencies=None, **kwargs):
        super().__init__(*args, **kwargs)
        _choices(self, "owner_agency").queryset = _given(agencies, Agency)


class ActionUpdateForm(GovukFormMixin, forms.Form):
    status = forms.ChoiceField(label="Status", choices=ActionStatus.choices,
                               widget=forms.RadioSelect)
    evidence_of_impact = _text(
        "Evidence of impact", rows=5, required=False,
        help_text="What has changed for children and families, and how you know. "
                  "Needed before an action is done")
    completed_on = GovukDateField(label="Date the action was done", required=False,
                                  help_text="Only when it is done. Leave blank for today")


class ActionFilterForm(GovukFormMixin, forms.Form):
    overdue = forms.BooleanField(label="Only overdue actions", required=False)
    status = forms.ChoiceField(label="Status", required=False,
                               choices=[("", "Any status"), *ActionStatus.choices])
    agency = forms.ModelChoiceField(label="Agency", required=False, queryset=Agency.objects.none(),
                                    empty_label="Any agency")

    def __init__(self, *args, agencies=None, **kwargs):
        super().__init__(*args, **kwargs)
        _choices(self, "agency").queryset = _given(agencies, Agency)


class _ReviewChoice(forms.ModelMultipleChoiceField):
    def label_from_instance(self, obj: PracticeReview) -> str:
        return f"{obj.reference}: {obj.title}"


class LearningEventForm(GovukFormMixin, forms.Form):
    partnership = forms.ModelChoiceField(label="Partnership", queryset=Partnership.objects.none())
    kind = forms.ChoiceField(label="Kind", choices=LearningKind.choices, widget=forms.RadioSelect)
    title = forms.CharField(label="Title", max_length=200)
    held_on = GovukDateField(label="Date", help_text=DATE_HINT)
    description = _text("Description", rows=3, required=False)
    practice_reviews = _ReviewChoice(label="Practice reviews whose learning it shared",
                                     queryset=PracticeReview.objects.none(), required=False,
                                     widget=forms.CheckboxSelectMultiple)
    rapid_reviews = _IncidentChoice(label="Rapid reviews whose learning it shared",
                                    queryset=SeriousIncident.objects.none(), required=False,
                                    widget=forms.CheckboxSelectMultiple)

    def __init__(self, *args, partnerships=None, practice_reviews=None, incidents=None,
                 agencies=(), **kwargs):
        super().__init__(*args, **kwargs)
        _choices(self, "partnership").queryset = _given(partnerships, Partnership)
        if practice_reviews is not None:
            _choices(self, "practice_reviews").queryset = practice_reviews
        if incidents is not None:
            _choices(self, "rapid_reviews").queryset = incidents
        self.agencies = list(agencies)
        self.govuk_widths = {}
        for agency in self.agencies:
            name = f"reach_{agency.pk}"
            field = forms.IntegerField(label=f"People reached at {agency.name}", required=False,
                                       min_value=0)
            # Added after the mixin styled the form's fields: style these here too.
            field.widget.attrs["class"] = "govuk-input govuk-input--width-4"
            self.fields[name] = field
            self.govuk_widths[name] = 4

    def reach(self) -> dict:
        return {a: self.cleaned_data.get(f"reach_{a.pk}") or 0 for a in self.agencies}


class ThemeForm(GovukFormMixin, forms.Form):
    name = forms.CharField(label="Name", max_length=120)
    description = _text("Description", rows=3, required=False)
    source = forms.CharField(label="Source", max_length=300, required=False,
                             help_text="Where the theme comes from, for example a review or a report")
    active = forms.BooleanField(label="In use (untick to retire it from new records)",
                                required=False)

    def __init__(self, *args, editing: bool = False, owners=(), **kwargs):
        super().__init__(*args, **kwargs)
        if not editing:
            del self.fields["active"]
        if len(owners) > 1:
            self.fields["owner"] = forms.ChoiceField(
                label="Whose list", choices=owners, required=False,
                help_text="A partnership's business unit looks after its own themes")


class StatisticsForm(GovukFormMixin, forms.Form):
    partnership = forms.ModelChoiceField(label="Partnership", queryset=Partnership.objects.none(),
                                         empty_label=None)
    period = forms.ChoiceField(label="Year (1 April to 31 March)", choices=())

    def __init__(self, *args, partnerships=None, periods=(), **kwargs):
        super().__init__(*args, **kwargs)
        _choices(self, "partnership").queryset = _given(partnerships, Partnership)
        self.fields["period"].choices = [(p, p) for p in periods]
