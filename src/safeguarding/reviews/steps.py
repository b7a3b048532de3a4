"""Build the steps (clocks) of each record from the stored due dates and rule ids.

Used by the pages (timeline, due this week, lists), the reminders task and the
API. Nothing here computes a due date: they were computed and stored by the
services; here they are only read and compared with a day.
"""

from __future__ import annotations

from collections.abc import Iterable
from typing import Any

from django.db.models import Q
from django.urls import reverse

from safeguarding.reviews.clocks import Step, Workflow
from safeguarding.reviews.models import (
    Action,
    ActionStatus,
    AgencyReturn,
    PracticeReview,
    RapidReview,
    SeriousIncident,
)


def notification_step(incident: SeriousIncident) -> Step:
    return Step(
        key=f"incident:{incident.pk}:notification", workflow=Workflow.NOTIFICATION,
        label="Notify the Child Safeguarding Practice Review Panel",
        due_on=incident.notification_due, rule_id=incident.notification_due_rule,
        done_on=incident.notification_sent_on, partnership_id=incident.partnership_id,
        reference=incident.reference,
        url=reverse("reviews:incident-detail", args=[incident.pk]))


def rapid_review_step(review: RapidReview, incident: SeriousIncident | None = None) -> Step:
    incident = incident or review.incident
    return Step(
        key=f"rapid_review:{review.pk}", workflow=Workflow.RAPID_REVIEW,
        label="Complete the rapid review and send it to the Panel",
        due_on=review.due_on, rule_id=review.due_rule, done_on=review.completed_on,
        partnership_id=incident.partnership_id, reference=incident.reference,
        url=reverse("reviews:rapid-review", args=[incident.pk]))


def agency_return_step(item: AgencyReturn, incident: SeriousIncident | None = None) -> Step:
    incident = incident or item.rapid_review.incident
    return Step(
        key=f"agency_return:{item.pk}", workflow=Workflow.AGENCY_RETURN,
        label=f"Information return from {item.agency.name}",
        due_on=item.due_on, rule_id=item.due_rule, done_on=item.received_on,
        partnership_id=incident.partnership_id, reference=incident.reference,
        url=reverse("reviews:rapid-review", args=[incident.pk]),
        agency_id=item.agency_id, agency_name=item.agency.name)


def practice_review_steps(review: PracticeReview) -> list[Step]:
    url = reverse("reviews:practice-review-detail", args=[review.pk])
    common: dict[str, Any] = {"partnership_id": review.partnership_id,
                              "reference": review.reference, "url": url}
    deferred = review.deferred
    note = ""
    if deferred:
        note = f"Deferred: {review.get_deferral_reason_display()}"
    steps = [Step(key=f"practice_review:{review.pk}:publication",
                  workflow=Workflow.PUBLICATION, label=f"Publish {review.title}",
                  due_on=review.publication_due, rule_id=review.publication_due_rule,
                  done_on=review.published_on, deferred=deferred, note=note, **common)]
    if review.panel_notice_due is not None:
        steps.append(Step(key=f"practice_review:{review.pk}:panel_notice",
                          workflow=Workflow.PANEL_NOTICE,
                          label="Tell the Panel and the Secretary of State before publication",
                          due_on=review.panel_notice_due, rule_id=review.panel_notice_due_rule,
                          done_on=review.panel_notice_on, **common))
    if deferred and review.deferral_review_on is not None:
        steps.append(Step(key=f"practice_review:{review.pk}:deferral_review",
                          workflow=Workflow.DEFERRAL_REVIEW,
                          label="Look again at the deferred publication",
                          due_on=review.deferral_review_on, rule_id="", done_on=None,
                          note=note, **common))
    return steps


def action_step(action: Action) -> Step:
    return Step(
        key=f"action:{action.pk}", workflow=Workflow.ACTION, label=action.text,
        due_on=action.due_on, rule_id=action.due_rule, done_on=action.completed_on,
        partnership_id=action.partnership_id, reference=_action_reference(action),
        url=reverse("reviews:action-update", args=[action.pk]),
        agency_id=action.owner_agency_id, agency_name=action.owner_agency.name)


def _action_reference(action: Action) -> str:
    finding = action.recommendation.finding
    if finding.practice_review is not None:
        return finding.practice_review.reference
    assert finding.rapid_review is not None
    return finding.rapid_review.incident.reference


def incident_timeline(incident: SeriousIncident) -> list[Step]:
    """Every clock of one incident, in the order the work happens."""
    steps = [notification_step(incident)]
    review = getattr(incident, "rapid_review", None)
    if review is not None:
        steps.append(rapid_review_step(review, incident))
        for item in review.agency_returns.select_related("agency"):
            steps.append(agency_return_step(item, incident))
    for practice in incident.practice_reviews.all():
        steps.extend(practice_review_steps(practice))
    return steps


_ACTION_RELATED = ("owner_agency", "recommendation__finding__practice_review",
                   "recommendation__finding__rapid_review__incident")


def open_steps(*, partnership_ids: Iterable[int] = (),
               action_seats: Iterable[tuple[int, int]] = ()) -> list[Step]:
    """Every step not yet done, in the given partnerships (all workflows) and, for
    people who only own actions, the open actions of their agencies, each in the
    seat's own partnership: (partnership, agency) pairs."""
    partnership_ids = list(partnership_ids)
    steps: list[Step] = []
    if partnership_ids:
        for incident in SeriousIncident.objects.filter(
                partnership_id__in=partnership_ids, notification_sent_on__isnull=True):
            steps.append(notification_step(incident))
        for review in RapidReview.objects.filter(
                incident__partnership_id__in=partnership_ids,
                completed_on__isnull=True).select_related("incident"):
            steps.append(rapid_review_step(review))
        for item in AgencyReturn.objects.filter(
                rapid_review__incident__partnership_id__in=partnership_ids,
                received_on__isnull=True).select_related("agency", "rapid_review__incident"):
            steps.append(agency_return_step(item))
        for practice in PracticeReview.objects.filter(
                partnership_id__in=partnership_ids, published_on__isnull=True):
            steps.extend(s for s in practice_review_steps(practice) if s.done_on is None)
        for action in Action.objects.filter(partnership_id__in=partnership_ids).exclude(
                status=ActionStatus.DONE).select_related(*_ACTION_RELATED):
            steps.append(action_step(action))
    action_seats = list(action_seats)
    owned = Q(pk__in=[])
    for partnership_id, agency_id in action_seats:
        owned |= Q(partnership_id=partnership_id, owner_agency_id=agency_id)
    if action_seats:
        seen = {s.key for s in steps}
        for action in Action.objects.filter(owned).exclude(
                status=ActionStatus.DONE).select_related(*_ACTION_RELATED):
            step = action_step(action)
            if step.key not in seen:
                steps.append(step)
    steps.sort(key=lambda s: (s.due_on, s.key))
    return steps
