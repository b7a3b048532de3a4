"""The app's API router: serious incidents with their due dates, and statistics.

Mounted on the project API (``safeguarding.api.router.api``) under ``/reviews``,
so it inherits the project's sign-in (session with second factor, or agency
token). The list names no child: it is the same for every role that may see it.
"""

from __future__ import annotations

import datetime as dt
from typing import cast

from ninja import Router, Schema
from ninja.errors import HttpError

from safeguarding.core.models import Partnership
from safeguarding.measures.periods import financial_year_of, parse_financial_year
from safeguarding.reviews import clocks, selectors
from safeguarding.reviews import statistics as stats
from safeguarding.reviews import steps as step_builders
from safeguarding.reviews.rules import Level, review_access

router = Router(tags=["reviews"])


class ClockOut(Schema):
    step: str
    due_on: dt.date | None
    rule_id: str
    rule_title: str
    rule_source: str
    done_on: dt.date | None
    status: str


class IncidentOut(Schema):
    id: int
    reference: str
    partnership: str
    aware_on: dt.date
    harm: str
    abuse_or_neglect: str
    looked_after: bool
    decision: str
    clocks: list[ClockOut]


class IncidentPage(Schema):
    total: int
    offset: int
    limit: int
    items: list[IncidentOut]


def _clock(step: clocks.Step, on: dt.date, memo: dict) -> dict:
    return {"step": step.workflow, "due_on": step.due_on, "rule_id": step.rule_id,
            "rule_title": step.rule_title, "rule_source": step.rule_source,
            "done_on": step.done_on, "status": step.status(on, memo)}


@router.get("/incidents", response=IncidentPage, url_name="review_incidents")
def incidents(request, partnership: str = "", year: str = "", open_only: bool = False,
              offset: int = 0, limit: int = 50):
    """Serious incidents the caller may see, with each step's stored due date and rule."""
    if not request.user.has_perm("reviews.list_records"):
        raise HttpError(403, "You do not have access to learning reviews")
    chosen = None
    if partnership:
        chosen = selectors.readable_partnerships(actor=request.user).filter(
            code=partnership.upper()).first()
        if chosen is None:
            raise HttpError(404, "No such partnership among those you can see")
    label = ""
    if year:
        try:
            label = parse_financial_year(year).label
        except ValueError as error:
            raise HttpError(422, str(error)) from None
    found = selectors.incident_list(actor=request.user, partnership=chosen,
                                    financial_year=label, open_only=open_only)
    limit, offset = max(1, min(limit, 200)), max(0, offset)
    on, memo = clocks.today(), cast(dict, {})
    items = []
    for incident in found[offset:offset + limit]:
        review = getattr(incident, "rapid_review", None)
        steps = [step_builders.notification_step(incident)]
        if review is not None:
            steps.append(step_builders.rapid_review_step(review, incident))
        items.append({
            "id": incident.pk, "reference": incident.reference,
            "partnership": incident.partnership.code, "aware_on": incident.aware_on,
            "harm": incident.harm, "abuse_or_neglect": incident.abuse_or_neglect,
            "looked_after": incident.looked_after,
            "decision": review.decision if review else "",
            "clocks": [_clock(s, on, memo) for s in steps],
        })
    return {"total": found.count(), "offset": offset, "limit": limit, "items": items}


class FigureOut(Schema):
    id: str
    title: str
    definition: str
    unit: str
    value: float | int | None
    numerator: int | None
    denominator: int | None
    reason: str
    rules: list[str]
    detail: dict


class StatisticsOut(Schema):
    partnership: str
    period: str
    start: dt.date
    end: dt.date
    figures: list[FigureOut]
    summary: dict


@router.get("/statistics", response=StatisticsOut, url_name="review_statistics")
def statistics(request, partnership: str = "", period: str = ""):
    """The catalogue figures for one partnership and financial year, such as 2020-21.

    Without a partnership, the first the caller may see; without a period, this year."""
    if not request.user.has_perm("reviews.view_statistics"):
        raise HttpError(403, "You do not have access to these statistics")
    visible = Partnership.objects.filter(
        pk__in=review_access(request.user).partnerships(Level.AGGREGATE)).order_by("name")
    chosen = visible.filter(code=partnership.upper()).first() if partnership else visible.first()
    if chosen is None:
        raise HttpError(404, "No such partnership among those you can see")
    try:
        year = parse_financial_year(period) if period else financial_year_of(clocks.today())
    except ValueError as error:
        raise HttpError(422, str(error)) from None
    figures, summary = stats.statistics(chosen, year)
    if not stats.sees_true_numbers(request.user, chosen):
        figures, summary = stats.disclosed(figures, summary)
    return {
        "partnership": chosen.code, "period": year.label, "start": year.start, "end": year.end,
        "figures": [f.as_dict() for f in figures], "summary": summary,
    }
