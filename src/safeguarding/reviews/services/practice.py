"""Writes for practice reviews, findings, recommendations and actions."""

from __future__ import annotations

import datetime as dt

from django.db import transaction
from django.db.models import Max

from safeguarding.core.deadlines import due_date
from safeguarding.core.models import Agency, AuditEvent, Partnership, User
from safeguarding.reviews import clocks
from safeguarding.reviews.models import (
    Action,
    ActionStatus,
    DeferralReason,
    Finding,
    PracticeReview,
    RapidReview,
    Recommendation,
    ReviewKind,
    SeriousIncident,
    Theme,
)
from safeguarding.reviews.rules import partnership_of
from safeguarding.reviews.services._common import (
    Errors,
    agency_serves,
    audit,
    next_reference,
    require,
)

PUBLICATION_RULE = "practice_review_publication"
PANEL_NOTICE_RULE = "practice_review_pre_publication_notice"

_CREATE = AuditEvent.Action.CREATE
_UPDATE = AuditEvent.Action.UPDATE


@transaction.atomic
def practice_review_create(*, actor: User | None, partnership: Partnership, kind: str,
                           title: str, decided_on: dt.date, incidents: list[SeriousIncident],
                           themes: list[Theme] | None = None, scope: str = "",
                           reviewer: str = "",
                           commissioned_on: dt.date | None = None) -> PracticeReview:
    """Start a practice review; publication is due six months after the decision."""
    require(actor, "reviews.manage_record", partnership)
    errors = Errors()
    if kind not in ReviewKind.values:
        errors.add("kind", "Select the kind of review")
    errors.required("title", (title or "").strip(), "Enter a title")
    errors.required("decided_on", decided_on, "Enter the date of the decision")
    errors.past("decided_on", decided_on, "The date of the decision")
    if not incidents:
        errors.add("incidents", "Select at least one serious incident")
    if any(i.partnership_id != partnership.pk for i in incidents):
        errors.add("incidents", "Every incident must belong to this partnership")
    earliest = min((i.aware_on for i in incidents), default=None)
    errors.not_before("decided_on", decided_on, earliest,
                      "The decision cannot be before the local authority became aware")
    errors.past("commissioned_on", commissioned_on, "The date the review was commissioned")
    errors.not_before("commissioned_on", commissioned_on, decided_on,
                      "The review cannot be commissioned before the decision")
    errors.raise_if_any()
    prefix = "CSPR" if kind == ReviewKind.LOCAL else "TR"
    review = PracticeReview(
        partnership=partnership, kind=kind, title=title.strip(), scope=scope.strip(),
        reference=next_reference(PracticeReview, partnership, prefix, decided_on),
        decided_on=decided_on, publication_due=due_date(PUBLICATION_RULE, decided_on),
        publication_due_rule=PUBLICATION_RULE, reviewer=reviewer.strip(),
        commissioned_on=commissioned_on)
    review.full_clean()
    review.save()
    review.incidents.set(incidents)
    review.themes.set(themes or [])
    audit(actor, _CREATE, review, "start practice review",
          {"incidents": sorted(i.pk for i in incidents)})
    return review


_STAGES = [
    ("commissioned_on", "The date the review was commissioned"),
    ("terms_agreed_on", "The date the terms of reference were agreed"),
    ("draft_on", "The date of the draft report"),
    ("final_on", "The date of the final report"),
    ("panel_notice_on", "The date the Panel and the Secretary of State were told"),
]


@transaction.atomic
def practice_review_update(*, actor: User | None, review: PracticeReview, title: str,
                           scope: str, reviewer: str, terms_of_reference: str,
                           themes: list[Theme], commissioned_on: dt.date | None = None,
                           terms_agreed_on: dt.date | None = None,
                           draft_on: dt.date | None = None, final_on: dt.date | None = None,
                           planned_publication_on: dt.date | None = None,
                           panel_notice_on: dt.date | None = None) -> PracticeReview:
    """Record the stages; a planned publication date sets the notice-to-the-Panel clock."""
    require(actor, "reviews.manage_record", review)
    values = {"commissioned_on": commissioned_on, "terms_agreed_on": terms_agreed_on,
              "draft_on": draft_on, "final_on": final_on, "panel_notice_on": panel_notice_on}
    errors = Errors()
    errors.required("title", (title or "").strip(), "Enter a title")
    for field, what in _STAGES:
        errors.past(field, values[field], what)
        errors.not_before(field, values[field], review.decided_on,
                          f"{what} cannot be before the decision to carry out the review")
    errors.not_before("final_on", final_on, draft_on,
                      "The final report cannot come before the draft")
    errors.not_before("planned_publication_on", planned_publication_on, review.decided_on,
                      "Publication cannot be planned before the decision")
    errors.raise_if_any()
    for field, value in values.items():
        setattr(review, field, value)
    review.title, review.scope = title.strip(), scope.strip()
    review.reviewer, review.terms_of_reference = reviewer.strip(), terms_of_reference.strip()
    review.planned_publication_on = planned_publication_on
    if planned_publication_on is not None:
        review.panel_notice_due = due_date(PANEL_NOTICE_RULE, planned_publication_on)
        review.panel_notice_due_rule = PANEL_NOTICE_RULE
    else:
        review.panel_notice_due, review.panel_notice_due_rule = None, ""
    review.full_clean()
    review.save()
    review.themes.set(themes)
    audit(actor, _UPDATE, review, "edit practice review")
    return review


@transaction.atomic
def practice_review_publish(*, actor: User | None, review: PracticeReview,
                            published_on: dt.date, published_url: str = "") -> PracticeReview:
    require(actor, "reviews.manage_record", review)
    errors = Errors()
    errors.required("published_on", published_on, "Enter the date the review was published")
    errors.past("published_on", published_on, "The publication date")
    errors.not_before("published_on", published_on, review.decided_on,
                      "The review cannot be published before the decision to carry it out")
    errors.raise_if_any()
    review.published_on, review.published_url = published_on, (published_url or "").strip()
    review.full_clean()
    review.save()
    audit(actor, _UPDATE, review, "record publication")
    return review


@transaction.atomic
def practice_review_defer(*, actor: User | None, review: PracticeReview, reason: str,
                          detail: str, deferred_on: dt.date,
                          review_on: dt.date) -> PracticeReview:
    """Defer publication (for example during criminal proceedings) until a review date."""
    require(actor, "reviews.manage_record", review)
    errors = Errors()
    if review.published_on is not None:
        errors.add("deferral_reason", "This review has already been published")
    if reason not in DeferralReason.values:
        errors.add("deferral_reason", "Select the reason for deferring publication")
    errors.required("deferred_on", deferred_on, "Enter the date publication was deferred")
    errors.past("deferred_on", deferred_on, "The date publication was deferred")
    errors.not_before("deferred_on", deferred_on, review.decided_on,
                      "Publication cannot be deferred before the decision")
    errors.required("deferral_review_on", review_on, "Enter the date to look at this again")
    if review_on is not None and deferred_on is not None and review_on <= deferred_on:
        errors.add("deferral_review_on", "The next review date must be after the deferral")
    errors.raise_if_any()
    review.deferral_reason, review.deferral_detail = reason, (detail or "").strip()
    review.deferred_on, review.deferral_review_on = deferred_on, review_on
    review.save()
    audit(actor, _UPDATE, review, "defer publication", {"reason": reason})
    return review


@transaction.atomic
def finding_add(*, actor: User | None, review: PracticeReview | RapidReview, text: str,
                themes: list[Theme] | None = None) -> Finding:
    require(actor, "reviews.contribute_record", review)
    errors = Errors()
    errors.required("text", (text or "").strip(), "Enter the finding")
    errors.raise_if_any()
    link = ({"practice_review": review} if isinstance(review, PracticeReview)
            else {"rapid_review": review})
    number = (Finding.objects.filter(**link).aggregate(n=Max("number"))["n"] or 0) + 1
    finding = Finding.objects.create(number=number, text=text.strip(), **link)
    finding.themes.set(themes or [])
    audit(actor, _CREATE, finding, "add finding")
    return finding


@transaction.atomic
def recommendation_add(*, actor: User | None, finding: Finding, text: str) -> Recommendation:
    require(actor, "reviews.contribute_record", finding)
    errors = Errors()
    errors.required("text", (text or "").strip(), "Enter the recommendation")
    errors.raise_if_any()
    number = (finding.recommendations.aggregate(n=Max("number"))["n"] or 0) + 1
    item = Recommendation.objects.create(finding=finding, number=number, text=text.strip())
    audit(actor, _CREATE, item, "add recommendation")
    return item


@transaction.atomic
def action_add(*, actor: User | None, recommendation: Recommendation, text: str,
               owner_agency: Agency, due_on: dt.date) -> Action:
    """Add an action; its due date is agreed by people, so it has no rule id."""
    require(actor, "reviews.contribute_record", recommendation)
    partnership = Partnership.objects.get(pk=partnership_of(recommendation) or 0)
    errors = Errors()
    errors.required("text", (text or "").strip(), "Enter the action")
    errors.required("owner_agency", owner_agency, "Select the agency that owns the action")
    if owner_agency is not None and not agency_serves(owner_agency, partnership):
        errors.add("owner_agency", "That agency does not take part in this partnership")
    errors.required("due_on", due_on, "Enter the date the action is due")
    errors.raise_if_any()
    action = Action.objects.create(recommendation=recommendation, partnership=partnership,
                                   text=text.strip(), owner_agency=owner_agency, due_on=due_on,
                                   due_rule="", updated_by=actor)
    audit(actor, _CREATE, action, "add action", {"agency": owner_agency.pk})
    return action


@transaction.atomic
def action_update(*, actor: User | None, action: Action, status: str,
                  evidence_of_impact: str, completed_on: dt.date | None = None) -> Action:
    """Update an action's progress; the owning agency's people may do this."""
    require(actor, "reviews.update_action", action)
    errors = Errors()
    if status not in ActionStatus.values:
        errors.add("status", "Select the status")
    evidence = (evidence_of_impact or "").strip()
    if status == ActionStatus.DONE:
        completed_on = completed_on or clocks.today()
        errors.past("completed_on", completed_on, "The completion date")
        if not evidence:
            errors.add("evidence_of_impact",
                       "Enter the evidence that the action has made a difference")
    else:
        completed_on = None
    errors.raise_if_any()
    action.status, action.completed_on = status, completed_on
    action.evidence_of_impact, action.updated_by = evidence, actor
    action.full_clean()
    action.save()
    audit(actor, _UPDATE, action, "update action", {"status": status})
    return action
