"""Reads for the Covid-19 follow-up. A child's row is read only through core.access (each
read audited), and only by the business unit or the key adult of the child's school; the
weekly counts name no child."""

from __future__ import annotations

import datetime as dt
from collections import defaultdict

from django.db.models import Count, Q, QuerySet
from django.http import Http404

from safeguarding.core.access import read_many, read_one
from safeguarding.core.modules import HomeItem
from safeguarding.covid_followup.models import AttendanceRecord, School
from safeguarding.covid_followup.rules import (
    business_partnerships,
    figure_partnerships,
    key_adult_agencies,
)


def schools_for(user) -> QuerySet[School]:
    """The schools whose children this person follows up."""
    q = Q(partnership_id__in=business_partnerships(user))
    for partnership, agency in key_adult_agencies(user):
        q |= Q(partnership_id=partnership, agency_id=agency)
    return School.objects.filter(q)


def _records_q(user) -> QuerySet[AttendanceRecord]:
    return AttendanceRecord.objects.filter(school__in=schools_for(user))


def not_attending(*, actor, week: dt.date | None = None, owed_only: bool = False,
                  purpose: str = "Covid-19 follow-up list") -> list[AttendanceRecord]:
    """Vulnerable children who did not attend, for the person's schools, each read audited."""
    found = (_records_q(actor).filter(attended=False).select_related("school", "follow_up")
             .order_by("-week", "school__name", "child_id"))
    if week:
        found = found.filter(week=week)
    if owed_only:
        found = found.filter(follow_up__isnull=True)
    return read_many(actor=actor, objects=found, permission="covid_followup.view_record",
                     purpose=purpose)


def record_get(*, actor, pk: int) -> AttendanceRecord:
    found = _records_q(actor).filter(pk=pk).select_related("school").first()
    if found is None:
        raise Http404("No such record")
    return read_one(actor=actor, obj=found, permission="covid_followup.view_record",
                    purpose="record Covid-19 follow-up")


def weekly_counts(user) -> list[dict]:
    """By partnership and week: vulnerable children recorded, not attending, and followed up
    (no child named). The business unit, board members and analysts see their partnership's;
    a key adult their own school's."""
    q = Q(partnership_id__in=figure_partnerships(user))
    for partnership, agency in key_adult_agencies(user):
        q |= Q(partnership_id=partnership, school__agency_id=agency)
    rows = (AttendanceRecord.objects.filter(q).values("week").annotate(
        recorded=Count("pk"), absent=Count("pk", filter=Q(attended=False)),
        followed=Count("pk", filter=Q(attended=False, follow_up__isnull=False)))
        .order_by("week"))
    return list(rows)


def home_items(user) -> list[HomeItem]:
    """A key adult's (and the business unit's) follow-ups owed, by school and week; the
    title names the school and the week, never a child."""
    from django.urls import reverse

    owed: dict[tuple, int] = defaultdict(int)
    for school, week in (_records_q(user).filter(attended=False, follow_up__isnull=True)
                         .values_list("school__name", "week")):
        owed[(school, week)] += 1
    return [HomeItem(kind="return", title=f"Covid-19 follow-ups owed: {school}, week of "
                                          f"{week:%-d %B %Y}",
                     url=reverse("covid_followup:week", args=[week.isoformat()]), due=week,
                     detail=f"{n} {'child' if n == 1 else 'children'} not followed up")
            for (school, week), n in sorted(owed.items(), key=lambda kv: (kv[0][1], kv[0][0]))]
