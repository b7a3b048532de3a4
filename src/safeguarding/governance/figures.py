"""Rows for the measure engine (contract.py): (LA, record key, day) only."""

from __future__ import annotations

import datetime as dt
from collections import defaultdict

from django.db.models import Max, Min
from django.utils import timezone

from safeguarding.core.calendar import month_end
from safeguarding.core.selectors import home_las
from safeguarding.governance.models import Action, Body, Commitment, Meeting, RiskReview


def _body_las(homes: dict[int, str]) -> dict[int, list[str]]:
    """Body id -> the home LAs (in ``homes``) of the partnerships it belongs to."""
    found: dict[int, list[str]] = defaultdict(list)
    for pk, host in Body.objects.values_list("pk", "partnership_id"):
        if host in homes:
            found[pk].append(homes[host])
    for pk, joint in Body.joint_with.through.objects.values_list("body_id", "partnership_id"):
        if joint in homes:
            found[pk].append(homes[joint])
    return found


def meeting_rows(las: list[str], *, quorate: bool) -> list[tuple]:
    bodies = _body_las(home_las(las))
    found = Meeting.objects.filter(body__in=list(bodies), held=True)
    if quorate:
        found = found.filter(quorate=True)
    return [(la, f"M{pk}", day) for pk, body, day in
            found.order_by("pk").values_list("pk", "body_id", "held_on") for la in bodies[body]]


def attendance_rows(las: list[str], *, present: bool, kind: str | None = None) -> list[tuple]:
    bodies = _body_las(home_las(las))
    rows = []
    meetings = (Meeting.objects.filter(body__in=list(bodies), held=True).order_by("pk")
                .prefetch_related("attendance", "terms__members__agency"))
    for m in meetings:
        here = {a.agency_id for a in m.attendance.all() if a.status == "present"}
        members = sorted({(t.agency_id, t.agency.kind) for t in m.terms.members.all()})
        for agency_id, agency_kind in members:
            if (kind and agency_kind != kind) or (present and agency_id not in here):
                continue
            rows += [(la, f"M{m.pk}-{agency_id}", m.held_on) for la in bodies[m.body_id]]
    return rows


def action_rows(las: list[str], *, dated: str, late: bool = False) -> list[tuple]:
    """Actions dated the day raised or due; ``late``: not done by the due date (still open
    past it, or closed after it; dropped actions count as done)."""
    bodies = _body_las(home_las(las))
    rows = []
    today = timezone.localdate()
    for a in Action.objects.filter(body__in=list(bodies)).order_by("pk"):
        if late and not ((a.status == Action.Status.OPEN and a.due_on < today)
                         or (a.closed_on is not None and a.closed_on > a.due_on)):
            continue
        day = a.raised_on if dated == "raised" else a.due_on
        rows += [(la, a.reference, day) for la in bodies[a.body_id]]
    return rows


def risk_rows(las: list[str], *, rag: str | None = None) -> list[tuple]:
    bodies = _body_las(home_las(las))
    found = RiskReview.objects.filter(risk__register__body__in=list(bodies))
    if rag:
        found = found.filter(rag=rag)
    return [(la, f"R{pk}", day) for pk, body, day in
            found.order_by("pk").values_list("pk", "risk__register__body_id", "reviewed_on")
            for la in bodies[body]]


def commitment_rows(las: list[str], *, kept: bool = False) -> list[tuple]:
    """Commitments with a due date, dated the day due; ``kept``: only those kept. Counted
    under the home LA of the partnership that made them."""
    homes = home_las(las)
    found = Commitment.objects.filter(partnership_id__in=list(homes), due_on__isnull=False)
    if kept:
        found = found.filter(status=Commitment.Status.KEPT)
    return [(homes[pid], f"C{pk}", day) for pk, pid, day in
            found.order_by("pk").values_list("pk", "partnership_id", "due_on")]


def coverage_spans(las: list[str]) -> list[tuple[str, dt.date, dt.date]]:
    """A partnership's governance records (its joint bodies' too) cover its home LA from its
    first body's start (or first meeting) to the end of the month of its latest meeting or
    risk scoring."""
    bodies = _body_las(home_las(las))
    by_la: dict[str, list[int]] = defaultdict(list)
    for body, codes in bodies.items():
        for la in codes:
            by_la[la].append(body)
    spans = []
    for la, ids in sorted(by_la.items()):
        meetings = Meeting.objects.filter(body__in=ids).aggregate(first=Min("held_on"),
                                                                   last=Max("held_on"))
        reviews = RiskReview.objects.filter(risk__register__body__in=ids).aggregate(
            first=Min("reviewed_on"), last=Max("reviewed_on"))
        starts = Body.objects.filter(pk__in=ids).aggregate(first=Min("started_on"))
        firsts = [d for d in (meetings["first"], reviews["first"], starts["first"]) if d]
        lasts = [d for d in (meetings["last"], reviews["last"]) if d]
        if firsts and lasts:
            spans.append((la, min(firsts), month_end(max(lasts))))
    return spans
