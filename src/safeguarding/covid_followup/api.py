"""The Covid-19 follow-up API, under ``/covid-followup``: the weekly counts (no child named)
and the follow-ups owed (the business unit's and key adults' own schools, each read
audited)."""

from __future__ import annotations

import datetime as dt

from django.core.exceptions import PermissionDenied
from ninja import Router, Schema

from safeguarding.covid_followup import selectors

router = Router(tags=["covid-followup"])


class WeekOut(Schema):
    week: dt.date
    recorded: int
    absent: int
    followed: int


class OwedOut(Schema):
    id: int
    school_urn: str
    child_id: str
    status: str
    week: dt.date


@router.get("/weeks", response=list[WeekOut], url_name="covid_followup_weeks")
def weeks(request):
    if not request.user.has_perm("covid_followup.view"):
        raise PermissionDenied
    return selectors.weekly_counts(request.user)


@router.get("/owed", response=list[OwedOut], url_name="covid_followup_owed")
def owed(request):
    if not request.user.has_perm("covid_followup.view_record"):
        raise PermissionDenied
    return [{"id": r.pk, "school_urn": r.school.urn, "child_id": r.child_id,
             "status": r.status, "week": r.week}
            for r in selectors.not_attending(actor=request.user, owed_only=True,
                                             purpose="Covid-19 follow-ups owed (API)")]
