"""Reads for governance. A record of a partnership the reader has no level for is "not
found" (404): another partnership's bodies, meetings, actions and risks are not listed
and cannot be opened."""

from __future__ import annotations

import datetime as dt
from collections import Counter

from django.db.models import Q, QuerySet
from django.http import Http404

from safeguarding.core.models import User
from safeguarding.governance.models import (
    Action,
    Body,
    Commitment,
    Meeting,
    Priority,
    Risk,
    RiskRegister,
    TermsOfReference,
)
from safeguarding.governance.rules import Level, partnerships_at


def _body_q(ids: set[int], prefix: str = "") -> Q:
    return Q(**{f"{prefix}partnership_id__in": ids}) | Q(**{f"{prefix}joint_with__in": ids})


def bodies_for(actor: User) -> QuerySet[Body]:
    ids = partnerships_at(actor, Level.VIEW)
    return (Body.objects.filter(pk__in=Body.objects.filter(_body_q(ids)).values("pk"))
            .select_related("partnership", "sub_group", "reports_to")
            .prefetch_related("joint_with"))


def body_get(*, actor: User, pk: int) -> Body:
    found = bodies_for(actor).filter(pk=pk).first()
    if found is None:
        raise Http404("No such body")
    return found


def terms_in_force(body: Body, on: dt.date) -> TermsOfReference | None:
    return (body.terms.filter(effective_from__lte=on).order_by("-version")
            .prefetch_related("members__agency").first())


def terms_current(body: Body) -> TermsOfReference | None:
    return body.terms.order_by("-version").prefetch_related("members__agency").first()


def _visible(actor: User, model, prefix: str):
    ids = partnerships_at(actor, Level.VIEW)
    visible = Body.objects.filter(_body_q(ids)).values("pk")
    return model.objects.filter(**{f"{prefix}body__in": visible})


def meeting_get(*, actor: User, pk: int) -> Meeting:
    found = (_visible(actor, Meeting, "").select_related("body__partnership", "terms")
             .filter(pk=pk).first())
    if found is None:
        raise Http404("No such meeting")
    return found


def action_get(*, actor: User, pk: int) -> Action:
    found = _visible(actor, Action, "").select_related("body", "agency").filter(pk=pk).first()
    if found is None:
        raise Http404("No such action")
    return found


def register_get(*, actor: User, pk: int) -> RiskRegister:
    found = _visible(actor, RiskRegister, "").select_related("body").filter(pk=pk).first()
    if found is None:
        raise Http404("No such risk register")
    return found


def risk_get(*, actor: User, pk: int) -> Risk:
    found = (_visible(actor, Risk, "register__").select_related("register__body")
             .filter(pk=pk).first())
    if found is None:
        raise Http404("No such risk")
    return found


def registers_for(actor: User) -> QuerySet[RiskRegister]:
    return _visible(actor, RiskRegister, "").select_related("body", "partnership")


def actions_for(actor: User, *, body: Body | None = None,
                status: str | None = None) -> QuerySet[Action]:
    found = _visible(actor, Action, "").select_related("body", "agency", "partnership")
    if body is not None:
        found = found.filter(body=body)
    if status:
        found = found.filter(status=status)
    return found.order_by("due_on", "reference")


def overdue_actions(actor: User, on: dt.date) -> QuerySet[Action]:
    """The one overdue view: open actions past their due date, across every body."""
    return actions_for(actor, status=Action.Status.OPEN).filter(due_on__lt=on)


def open_actions(body: Body) -> QuerySet[Action]:
    return body.actions.filter(status=Action.Status.OPEN).order_by("due_on", "reference")


def risks_due(body: Body, on: dt.date) -> QuerySet[Risk]:
    return Risk.objects.filter(register__body=body, register__closed_on__isnull=True,
                               closed_on__isnull=True, review_on__lte=on).order_by("reference")


def overdue_counts(on: dt.date) -> dict[int, int]:
    """Overdue open actions by partnership (the reminder job's figures; no names)."""
    rows = Action.objects.filter(status=Action.Status.OPEN, due_on__lt=on).values_list(
        "partnership_id", flat=True)
    return dict(Counter(rows))


def attendance_by_agency(meetings) -> list[tuple[str, int, int]]:
    """(agency, meetings attended, meetings expected) over held meetings, by the terms'
    member agencies."""
    expected: Counter[str] = Counter()
    present: Counter[str] = Counter()
    for meeting in meetings:
        if not meeting.held:
            continue
        here = {a.agency_id for a in meeting.attendance.all() if a.status == "present"}
        for member in {(m.agency_id, m.agency.name) for m in meeting.terms.members.all()}:
            expected[member[1]] += 1
            present[member[1]] += member[0] in here
    return sorted((name, present[name], expected[name]) for name in expected)


# For the command line (no actor): one partnership's records, its joint bodies included.

def partnership_bodies(partnership) -> QuerySet[Body]:
    return Body.objects.filter(pk__in=Body.objects.filter(_body_q({partnership.pk})).values("pk"))


def partnership_overdue(partnership, on: dt.date) -> list[Action]:
    return list(Action.objects.filter(body__in=partnership_bodies(partnership),
                                      status=Action.Status.OPEN, due_on__lt=on)
                .select_related("body", "agency").order_by("due_on", "reference"))


def partnership_registers(partnership) -> QuerySet[RiskRegister]:
    return RiskRegister.objects.filter(body__in=partnership_bodies(partnership))


# Priorities and commitments ----------------------------------------------------------------

def priorities_for(actor: User, year: str | None = None) -> QuerySet[Priority]:
    found = (Priority.objects.filter(partnership_id__in=partnerships_at(actor, Level.VIEW))
             .select_related("partnership", "lead_body").prefetch_related("objectives"))
    if year:
        found = found.filter(year=year)
    return found.order_by("-year", "partnership__name", "position")


def priority_get(*, actor: User, pk: int) -> Priority:
    found = priorities_for(actor).filter(pk=pk).first()
    if found is None:
        raise Http404("No such priority")
    return found


def commitments_for(actor: User, *, year: str | None = None, status: str | None = None
                    ) -> QuerySet[Commitment]:
    found = (Commitment.objects.filter(partnership_id__in=partnerships_at(actor, Level.VIEW))
             .select_related("partnership", "owner", "owner_agency", "action", "priority"))
    if year:
        found = found.filter(year_made=year)
    if status:
        found = found.filter(status=status)
    return found.order_by("-year_made", "partnership__name", "section", "position", "pk")


def commitment_get(*, actor: User, pk: int) -> Commitment:
    found = commitments_for(actor).filter(pk=pk).first()
    if found is None:
        raise Http404("No such commitment")
    return found


OPEN_COMMITMENT = (Commitment.Status.OPEN, Commitment.Status.IN_PROGRESS)


def commitments_owned_due(user: User, on: dt.date, within_days: int) -> list[Commitment]:
    """Open commitments the person owns, due within the days given or overdue, of the
    partnerships where they still have a governance level."""
    return list(Commitment.objects.filter(
        owner=user, status__in=OPEN_COMMITMENT, due_on__isnull=False,
        due_on__lte=on + dt.timedelta(days=within_days),
        partnership_id__in=partnerships_at(user, Level.VIEW)).order_by("due_on", "pk"))


def partnership_priorities(partnership, year: str) -> list[Priority]:
    return list(Priority.objects.filter(partnership=partnership, year=year)
                .prefetch_related("objectives").order_by("position", "pk"))


def partnership_commitments(partnership, year_made: str) -> list[Commitment]:
    return list(Commitment.objects.filter(partnership=partnership, year_made=year_made)
                .select_related("owner", "owner_agency", "action")
                .order_by("section", "position", "pk"))


def body_year(body: Body, start: dt.date, end: dt.date) -> dict:
    """A body's meetings held in the period, quorate ones, attendance by agency and its
    decisions, for the yearly report."""
    meetings = list(body.meetings.filter(held=True, held_on__gte=start, held_on__lte=end)
                    .prefetch_related("attendance", "terms__members__agency", "decisions")
                    .order_by("held_on"))
    return {"held": len(meetings), "quorate": sum(1 for m in meetings if m.quorate),
            "attendance": attendance_by_agency(meetings),
            "decisions": [d.text for m in meetings for d in m.decisions.all()]}
