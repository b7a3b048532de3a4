"""The child death review API (django-ninja). Mount on the project API with:

    api.add_router("/child-deaths/", "safeguarding.child_deaths.api.router")

Cases go to panel members and the panel's business unit only, each read audited
through core.access; statistics also go to analysts, with small numbers suppressed.
"""

from __future__ import annotations

import datetime as dt

from django.core.exceptions import PermissionDenied
from django.utils import timezone
from ninja import Router, Schema
from ninja.errors import HttpError

from safeguarding.child_deaths import selectors, statistics
from safeguarding.child_deaths.rules import scopes_for
from safeguarding.measures.periods import financial_year_of

router = Router(tags=["child deaths"])


class CaseOut(Schema):
    id: int
    reference: str
    partnership: str
    child_id: int
    first_name: str
    last_name: str
    date_of_birth: dt.date
    nhs_number: str
    date_of_death: dt.date
    age_at_death_days: int
    neonatal: bool
    expected: str
    jar_triggers: list[str]
    notified_on: dt.date
    status: str
    category: int | None
    modifiable: str | None


class CasePage(Schema):
    total: int
    offset: int
    limit: int
    items: list[CaseOut]


def _case_out(case) -> dict:
    review = getattr(case, "review", None)
    return {
        "id": case.pk,
        "reference": case.reference,
        "partnership": case.partnership.code,
        "child_id": case.child_id,
        "first_name": case.child.first_name,
        "last_name": case.child.last_name,
        "date_of_birth": case.child.date_of_birth,
        "nhs_number": case.child.nhs_number,
        "date_of_death": case.date_of_death,
        "age_at_death_days": case.age_at_death_days,
        "neonatal": case.neonatal,
        "expected": case.expected,
        "jar_triggers": list(case.jar_triggers),
        "notified_on": case.notified_on,
        "status": case.status,
        "category": review.category if review else None,
        "modifiable": review.modifiable if review else None,
    }


@router.get("/cases", response=CasePage, url_name="child_death_cases")
def cases(
    request,
    partnership: str = "",
    status: str = "",
    period: str = "",
    offset: int = 0,
    limit: int = 50,
):
    """Cases the caller may see (panel members and business unit), newest first."""
    if not request.user.has_perm("child_deaths.list_cases"):
        raise PermissionDenied
    limit = max(1, min(limit, 200))
    offset = max(0, offset)
    try:
        found, total = selectors.case_search(
            actor=request.user,
            partnership=partnership,
            status=status,
            period=period,
            limit=limit,
            offset=offset,
        )
    except ValueError as error:
        raise HttpError(422, str(error)) from None
    return {
        "total": total,
        "offset": offset,
        "limit": limit,
        "items": [_case_out(c) for c in found],
    }


class ChildDeathFigureOut(Schema):
    id: str
    title: str
    definition: str
    unit: str
    numerator: int | None
    denominator: int | None
    value: float | None
    reason: str
    suppressed: bool


class CategoryOut(Schema):
    code: int
    name: str


class TrendOut(Schema):
    category: CategoryOut
    years: list[ChildDeathFigureOut]


class ChildDeathStatisticsOut(Schema):
    scope: str
    year: str
    small_numbers_suppressed: bool
    headline: list[ChildDeathFigureOut]
    by_category: list[ChildDeathFigureOut]
    by_theme: list[ChildDeathFigureOut]
    trend: TrendOut | None


@router.get("/statistics", response=ChildDeathStatisticsOut, url_name="child_death_statistics")
def child_death_statistics(
    request, scope: str = "", year: str = "", trend_category: int | None = None
):
    """Figures for a partnership code (like STAFFS) or a joint panel (like panel-STAFFS).

    Without ``scope``, the caller's joint panel (or first partnership); without ``year``,
    the last complete financial year.
    """
    if not request.user.has_perm("child_deaths.view_statistics"):
        raise PermissionDenied
    if not scope:
        available = [s for s, _ in scopes_for(request.user)]
        if not available:
            raise PermissionDenied
        scope = next((s for s in available if s.key.startswith("panel-")), available[0]).key
    year = year or financial_year_of(timezone.localdate()).previous().label
    try:
        result = statistics.child_death_statistics(
            actor=request.user, scope_key=scope, year=year, trend_category=trend_category
        )
    except ValueError as error:
        raise HttpError(422, str(error)) from None
    return statistics.as_json(result)
