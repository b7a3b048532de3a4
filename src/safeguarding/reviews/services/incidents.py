"""Writes for serious incidents and their rapid reviews, one transaction each."""

from __future__ import annotations

import datetime as dt
from typing import TYPE_CHECKING

from django.db import transaction

from safeguarding.children import selectors as child_selectors
from safeguarding.core.deadlines import due_date
from safeguarding.core.models import Agency, AuditEvent, Partnership, User
from safeguarding.reviews.models import (
    AbuseOrNeglect,
    AgencyReturn,
    ChronologyEntry,
    Decision,
    Harm,
    RapidReview,
    SeriousIncident,
    Theme,
)
from safeguarding.reviews.services._common import (
    Errors,
    agency_serves,
    audit,
    coordinated_partnership_ids,
    next_reference,
    require,
)

if TYPE_CHECKING:
    from safeguarding.children.models import Child

NOTIFICATION_RULE = "serious_incident_notification"
RAPID_REVIEW_RULE = "rapid_review"
AGENCY_RETURN_RULE = "rapid_review_agency_return"

_CREATE = AuditEvent.Action.CREATE
_UPDATE = AuditEvent.Action.UPDATE


LINK_PURPOSE = "link child to serious incident notification"


def find_children(partnership: Partnership, identifiers: list[str], errors: Errors,
                  field: str = "children", *, actor: User | None) -> list[Child]:
    """Find children by LA child ID or NHS number, among those the partnership reviews for.

    An LA child ID is unique within its local authority only: one that two areas share is
    taken from the partnership's own area, or can be written with the old LA code first,
    like ``861/S0000001``. Each child is read through the audited door
    (``reviews.link_child``); one the actor may not have is refused, and audited, with the
    same words as an identifier nobody has. Call it outside the write's transaction, so
    the audit rows survive a refusal.
    """
    found: list[Child] = []
    allowed = coordinated_partnership_ids(partnership)
    for raw in identifiers:
        value = raw.strip()
        if not value:
            continue
        child = child_selectors.child_find_by_identifier(
            actor=actor, value=value, within=allowed, prefer=partnership.pk,
            permission="reviews.link_child", purpose=LINK_PURPOSE)
        if child is None:
            errors.add(field, f"No single child has the LA child ID or NHS number '{value}'. "
                              "For a child of another area, write the old LA code first, "
                              "like 861/S0000001")
        elif child not in found:
            found.append(child)
    if not found and field not in errors:
        errors.add(field, "Enter the LA child ID or NHS number of at least one child")
    return found


def _check_children(errors: Errors, partnership: Partnership, children: list[Child]) -> None:
    if not children:
        errors.add("children", "Enter the LA child ID or NHS number of at least one child")
    allowed = coordinated_partnership_ids(partnership)
    if any(c.partnership_id not in allowed for c in children):
        errors.add("children", "Every child must belong to this partnership or one it "
                               "coordinates practice reviews for")


def _check_incident(errors: Errors, *, aware_on, harm, abuse_or_neglect, summary,
                    notification_sent_on=None) -> None:
    errors.required("aware_on", aware_on, "Enter the date the local authority became aware")
    errors.past("aware_on", aware_on, "The date the local authority became aware")
    if harm not in Harm.values:
        errors.add("harm", "Select whether the child died or was seriously harmed")
    if abuse_or_neglect not in AbuseOrNeglect.values:
        errors.add("abuse_or_neglect", "Select whether abuse or neglect is known or suspected")
    errors.required("summary", (summary or "").strip(), "Enter what happened")
    _check_notification(errors, aware_on, notification_sent_on)


def _check_notification(errors: Errors, aware_on, sent_on) -> None:
    errors.past("notification_sent_on", sent_on, "The date the notification was sent")
    errors.not_before("notification_sent_on", sent_on, aware_on,
                      "The notification cannot be sent before the local authority became aware")


def _start_rapid_review(actor: User | None, incident: SeriousIncident) -> RapidReview:
    """Open or move the rapid review clock: it counts from the notification."""
    started = incident.notification_sent_on
    assert started is not None, "the rapid review starts at the notification"
    due = due_date(RAPID_REVIEW_RULE, started)
    review, created = RapidReview.objects.get_or_create(
        incident=incident,
        defaults={"started_on": started, "due_on": due, "due_rule": RAPID_REVIEW_RULE})
    if not created and review.started_on != started:
        review.started_on, review.due_on, review.due_rule = started, due, RAPID_REVIEW_RULE
        review.save(update_fields=["started_on", "due_on", "due_rule"])
        return_due = due_date(AGENCY_RETURN_RULE, started)
        review.agency_returns.update(due_on=return_due, due_rule=AGENCY_RETURN_RULE)
    if created:
        audit(actor, _CREATE, review, "start rapid review")
    return review


def incident_create(*, actor: User | None, partnership: Partnership, aware_on: dt.date,
                    harm: str, abuse_or_neglect: str, looked_after: bool, summary: str,
                    children: list[Child] | None = None, child_identifiers: list[str] | None = None,
                    themes: list[Theme] | None = None,
                    notification_sent_on: dt.date | None = None) -> SeriousIncident:
    """Record a serious incident; its notification clock starts at the awareness date."""
    require(actor, "reviews.manage_record", partnership)
    errors = Errors()
    _check_incident(errors, aware_on=aware_on, harm=harm, abuse_or_neglect=abuse_or_neglect,
                    summary=summary, notification_sent_on=notification_sent_on)
    if children is None:
        # Before the write's transaction: the lookups' audit rows survive a refusal.
        children = find_children(partnership, child_identifiers or [], errors, actor=actor)
    else:
        _check_children(errors, partnership, children)
    errors.raise_if_any()
    return _incident_save(actor=actor, partnership=partnership, aware_on=aware_on, harm=harm,
                          abuse_or_neglect=abuse_or_neglect, looked_after=looked_after,
                          summary=summary, children=children, themes=themes,
                          notification_sent_on=notification_sent_on)


@transaction.atomic
def _incident_save(*, actor: User | None, partnership: Partnership, aware_on: dt.date,
                   harm: str, abuse_or_neglect: str, looked_after: bool, summary: str,
                   children: list[Child], themes: list[Theme] | None,
                   notification_sent_on: dt.date | None) -> SeriousIncident:
    incident = SeriousIncident(
        partnership=partnership, aware_on=aware_on, harm=harm, abuse_or_neglect=abuse_or_neglect,
        looked_after=looked_after, summary=summary.strip(),
        reference=next_reference(SeriousIncident, partnership, "SI", aware_on),
        notification_due=due_date(NOTIFICATION_RULE, aware_on),
        notification_due_rule=NOTIFICATION_RULE,
        notification_sent_on=notification_sent_on,
        created_by=actor,
    )
    incident.full_clean()
    incident.save()
    incident.children.set(children)
    incident.themes.set(themes or [])
    audit(actor, _CREATE, incident, "record serious incident",
          {"children": sorted(c.pk for c in children)})
    if notification_sent_on is not None:
        _start_rapid_review(actor, incident)
    return incident


def incident_update(*, actor: User | None, incident: SeriousIncident, aware_on: dt.date,
                    harm: str, abuse_or_neglect: str, looked_after: bool, summary: str,
                    themes: list[Theme], child_identifiers: list[str] | None = None,
                    children: list[Child] | None = None) -> SeriousIncident:
    require(actor, "reviews.manage_record", incident)
    found = None
    errors = Errors()
    if children is None and child_identifiers is not None:
        # Before the write's transaction: the lookups' audit rows survive a refusal.
        found = find_children(incident.partnership, child_identifiers, errors, actor=actor)
    return _incident_change(actor=actor, incident=incident, aware_on=aware_on, harm=harm,
                            abuse_or_neglect=abuse_or_neglect, looked_after=looked_after,
                            summary=summary, themes=themes, found=found, children=children,
                            errors=errors)


@transaction.atomic
def _incident_change(*, actor: User | None, incident: SeriousIncident, aware_on: dt.date,
                     harm: str, abuse_or_neglect: str, looked_after: bool, summary: str,
                     themes: list[Theme], found: list[Child] | None,
                     children: list[Child] | None, errors: Errors) -> SeriousIncident:
    _check_incident(errors, aware_on=aware_on, harm=harm, abuse_or_neglect=abuse_or_neglect,
                    summary=summary, notification_sent_on=incident.notification_sent_on)
    if "notification_sent_on" in errors:
        errors.by_field.pop("notification_sent_on")
        errors.add("aware_on", "The local authority cannot become aware after the notification "
                               "was sent")
    if found is not None:
        children = found
    elif children is not None:
        _check_children(errors, incident.partnership, children)
    errors.raise_if_any()
    changed = [f for f, v in (("aware_on", aware_on), ("harm", harm),
                              ("abuse_or_neglect", abuse_or_neglect),
                              ("looked_after", looked_after), ("summary", summary.strip()))
               if getattr(incident, f) != v]
    incident.aware_on, incident.harm, incident.abuse_or_neglect = aware_on, harm, abuse_or_neglect
    incident.looked_after, incident.summary = looked_after, summary.strip()
    incident.notification_due = due_date(NOTIFICATION_RULE, aware_on)
    incident.notification_due_rule = NOTIFICATION_RULE
    incident.full_clean()
    incident.save()
    incident.themes.set(themes)
    if children is not None:
        incident.children.set(children)
        changed.append("children")
    audit(actor, _UPDATE, incident, "edit serious incident", {"changed": changed})
    return incident


@transaction.atomic
def incident_notify(*, actor: User | None, incident: SeriousIncident,
                    sent_on: dt.date) -> SeriousIncident:
    """Record the notification to the Panel; the rapid review clock starts from it."""
    require(actor, "reviews.manage_record", incident)
    errors = Errors()
    errors.required("notification_sent_on", sent_on, "Enter the date the notification was sent")
    _check_notification(errors, incident.aware_on, sent_on)
    errors.raise_if_any()
    incident.notification_sent_on = sent_on
    incident.full_clean()
    incident.save(update_fields=["notification_sent_on", "updated_at"])
    audit(actor, _UPDATE, incident, "record serious incident notification",
          {"sent_on": sent_on.isoformat()})
    _start_rapid_review(actor, incident)
    return incident


def _review_dates(errors: Errors, review: RapidReview, field: str, value, what: str) -> None:
    errors.past(field, value, what)
    errors.not_before(field, value, review.started_on,
                      f"{what} cannot be before the notification "
                      f"({review.started_on:%-d %B %Y})")


@transaction.atomic
def rapid_review_update(*, actor: User | None, rapid_review: RapidReview,
                        meeting_on: dt.date | None, completed_on: dt.date | None) -> RapidReview:
    require(actor, "reviews.manage_record", rapid_review)
    errors = Errors()
    _review_dates(errors, rapid_review, "meeting_on", meeting_on, "The meeting date")
    _review_dates(errors, rapid_review, "completed_on", completed_on,
                  "The date the rapid review was sent to the Panel")
    errors.raise_if_any()
    rapid_review.meeting_on, rapid_review.completed_on = meeting_on, completed_on
    rapid_review.full_clean()
    rapid_review.save()
    audit(actor, _UPDATE, rapid_review, "edit rapid review")
    return rapid_review


@transaction.atomic
def rapid_review_decide(*, actor: User | None, rapid_review: RapidReview, decision: str,
                        decision_on: dt.date, rationale: str) -> RapidReview:
    require(actor, "reviews.manage_record", rapid_review)
    errors = Errors()
    if decision not in Decision.values:
        errors.add("decision", "Select the decision")
    errors.required("decision_on", decision_on, "Enter the date of the decision")
    _review_dates(errors, rapid_review, "decision_on", decision_on, "The decision date")
    errors.required("rationale", (rationale or "").strip(), "Enter the reasons for the decision")
    errors.raise_if_any()
    rapid_review.decision, rapid_review.decision_on = decision, decision_on
    rapid_review.rationale = rationale.strip()
    rapid_review.full_clean()
    rapid_review.save()
    audit(actor, _UPDATE, rapid_review, "record rapid review decision", {"decision": decision})
    return rapid_review


@transaction.atomic
def rapid_review_panel_response(*, actor: User | None, rapid_review: RapidReview,
                                response_on: dt.date, response: str) -> RapidReview:
    require(actor, "reviews.manage_record", rapid_review)
    errors = Errors()
    errors.required("panel_response_on", response_on, "Enter the date of the Panel's response")
    errors.past("panel_response_on", response_on, "The date of the Panel's response")
    errors.not_before("panel_response_on", response_on,
                      rapid_review.completed_on or rapid_review.started_on,
                      "The Panel cannot respond before the rapid review was sent")
    errors.required("panel_response", (response or "").strip(), "Enter the Panel's response")
    errors.raise_if_any()
    rapid_review.panel_response_on, rapid_review.panel_response = response_on, response.strip()
    rapid_review.save()
    audit(actor, _UPDATE, rapid_review, "record Panel response")
    return rapid_review


@transaction.atomic
def agency_return_request(*, actor: User | None, rapid_review: RapidReview, agency: Agency,
                          requested_on: dt.date) -> AgencyReturn:
    """Ask an agency for its information; due 10 working days after the notification."""
    require(actor, "reviews.contribute_record", rapid_review)
    incident = rapid_review.incident
    errors = Errors()
    errors.required("agency", agency, "Select the agency")
    if agency is not None and not agency_serves(agency, incident.partnership):
        errors.add("agency", "That agency does not take part in this partnership")
    if agency is not None and rapid_review.agency_returns.filter(agency=agency).exists():
        errors.add("agency", "A return has already been requested from that agency")
    errors.required("requested_on", requested_on, "Enter the date the return was requested")
    errors.past("requested_on", requested_on, "The date the return was requested")
    errors.not_before("requested_on", requested_on, incident.aware_on,
                      "A return cannot be requested before the local authority became aware")
    errors.raise_if_any()
    item = AgencyReturn.objects.create(
        rapid_review=rapid_review, agency=agency, requested_on=requested_on,
        due_on=due_date(AGENCY_RETURN_RULE, rapid_review.started_on),
        due_rule=AGENCY_RETURN_RULE)
    audit(actor, _CREATE, item, "request agency return", {"agency": agency.pk})
    return item


@transaction.atomic
def agency_return_update(*, actor: User | None, agency_return: AgencyReturn,
                         received_on: dt.date | None, attended_meeting: bool) -> AgencyReturn:
    require(actor, "reviews.contribute_record", agency_return)
    errors = Errors()
    errors.past("received_on", received_on, "The date the return was received")
    errors.not_before("received_on", received_on, agency_return.requested_on,
                      "The return cannot be received before it was requested")
    errors.raise_if_any()
    agency_return.received_on, agency_return.attended_meeting = received_on, attended_meeting
    agency_return.save()
    audit(actor, _UPDATE, agency_return, "record agency return")
    return agency_return


@transaction.atomic
def chronology_add(*, actor: User | None, rapid_review: RapidReview, agency: Agency,
                   occurred_on: dt.date, entry: str) -> ChronologyEntry:
    require(actor, "reviews.contribute_record", rapid_review)
    errors = Errors()
    errors.required("agency", agency, "Select the agency")
    if agency is not None and not agency_serves(agency, rapid_review.incident.partnership):
        errors.add("agency", "That agency does not take part in this partnership")
    errors.required("occurred_on", occurred_on, "Enter the date")
    errors.past("occurred_on", occurred_on, "The date")
    errors.required("entry", (entry or "").strip(), "Enter what happened")
    errors.raise_if_any()
    item = ChronologyEntry.objects.create(rapid_review=rapid_review, agency=agency,
                                          occurred_on=occurred_on, entry=entry.strip(),
                                          added_by=actor)
    audit(actor, _CREATE, item, "add chronology entry")
    return item

