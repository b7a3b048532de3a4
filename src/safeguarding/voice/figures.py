"""Rows for the measure engine (contract.py): (LA, response key, day) only, never a person.

A partnership's surveys are counted under its home LA (the lowest LA code)."""

from __future__ import annotations

import calendar
import datetime as dt

from django.db.models import Max, Min

from safeguarding.core.selectors import home_las
from safeguarding.voice import config
from safeguarding.voice.models import Answer, Response, Survey


def response_rows(las: list[str], *, audience: str | None = None) -> list[tuple]:
    homes = home_las(las)
    found = Response.objects.filter(survey__partnership_id__in=list(homes))
    if audience:
        found = found.filter(survey__audience=audience)
    return [(homes[p], f"R{pk}", day) for pk, p, day in found.order_by("pk").values_list(
        "pk", "survey__partnership_id", "received_on")]


def result_rows(las: list[str], *, result_id: str, chosen: bool) -> list[tuple]:
    """Answers to the closed questions tagged for a tracked result (data/config.yaml): every
    answer, or (``chosen``) those choosing one of the result's options."""
    result = next(r for r in config.results() if r["id"] == result_id)
    homes = home_las(las)
    wanted = {str(o) for o in result["options"]}
    rows = []
    for pk, p, day, choices in (Answer.objects.filter(
            question__tag=result["tag"], response__survey__partnership_id__in=list(homes))
            .order_by("pk").values_list("response_id", "response__survey__partnership_id",
                                        "response__received_on", "choices")):
        if chosen and not wanted & set(choices):
            continue
        rows.append((homes[p], f"R{pk}", day))
    return rows


def coverage_spans(las: list[str]) -> list[tuple[str, dt.date, dt.date]]:
    """A partnership's surveys cover its home LA from the start of the financial year in
    which its first survey opened (a year with surveys recorded on the platform: a month
    with no response is a true 0) to the end of the month of its last response."""
    homes = home_las(las)
    spans = []
    for pid, la in sorted(homes.items(), key=lambda kv: kv[1]):
        first = Survey.objects.filter(partnership_id=pid).aggregate(d=Min("opened_on"))["d"]
        last = Response.objects.filter(survey__partnership_id=pid).aggregate(
            d=Max("received_on"))["d"]
        if first and last:
            end = last.replace(day=calendar.monthrange(last.year, last.month)[1])
            start = min(first, last)
            year_start = dt.date(start.year if start.month >= 4 else start.year - 1, 4, 1)
            spans.append((la, year_start, end))
    return spans
