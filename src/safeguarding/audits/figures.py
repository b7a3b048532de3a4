"""Rows for the measure engine (contract.py): (LA, record key, day) only - an audit's,
a return's or an agreed grade's own key, never a child's. A partnership's audits count
under its home LA (the lowest LA code)."""

from __future__ import annotations

import datetime as dt

from safeguarding.audits import config
from safeguarding.audits.models import AgencyReturn, AgreedGrade, Audit
from safeguarding.core.calendar import month_end
from safeguarding.core.selectors import home_las


def audit_rows(las: list[str], *, dated: str, completed: bool = False) -> list[tuple]:
    """Audits dated the month planned (``planned``) or the day completed (``completed``);
    ``completed`` keeps only completed audits."""
    homes = home_las(las)
    found = Audit.objects.filter(programme__partnership_id__in=list(homes)).order_by("pk")
    if completed or dated == "completed":
        found = found.filter(status=Audit.Status.COMPLETE)
    return [(homes[p], f"A{pk}", planned if dated == "planned" else done)
            for pk, p, planned, done in found.values_list(
                "pk", "programme__partnership_id", "planned_on", "completed_on")]


def return_rows(las: list[str], *, on_time: bool = False) -> list[tuple]:
    """Returns dated their due day; ``on_time``: submitted on or before it."""
    homes = home_las(las)
    rows = []
    for pk, p, due, submitted in (AgencyReturn.objects
                                  .filter(case__audit__programme__partnership_id__in=list(homes),
                                          due_on__isnull=False).order_by("pk")
                                  .values_list("pk", "case__audit__programme__partnership_id",
                                               "due_on", "submitted_on")):
        if on_time and (submitted is None or due is None or submitted > due):
            continue
        rows.append((homes[p], f"R{pk}", due))
    return rows


def grade_rows(las: list[str], *, band: str | None = None) -> list[tuple]:
    """Agreed grades (one per case and section) dated the day agreed, by band."""
    homes = home_las(las)
    rows = []
    for pk, p, scale, grade, day in (AgreedGrade.objects
                                     .filter(case__audit__programme__partnership_id__in=list(homes))
                                     .order_by("pk")
                                     .values_list("pk", "case__audit__programme__partnership_id",
                                                  "case__audit__scale", "grade", "agreed_on")):
        if band and config.band(scale, grade) != band:
            continue
        rows.append((homes[p], f"G{pk}", day))
    return rows


def coverage_spans(las: list[str]) -> list[tuple[str, dt.date, dt.date]]:
    """A partnership's audit records cover its home LA from its first programme year's
    start to the end of the month of its latest planned, due, agreed or completed day."""
    homes = home_las(las)
    spans = []
    for pid, la in sorted(homes.items(), key=lambda x: x[1]):
        audits = Audit.objects.filter(programme__partnership_id=pid)
        if not audits.exists():
            continue
        first_year = min(audits.values_list("programme__year", flat=True))
        days = [d for row in audits.values_list("planned_on", "returns_due", "moderated_on",
                                                "completed_on") for d in row if d]
        spans.append((la, dt.date(first_year, 4, 1), month_end(max(days))))
    return spans
