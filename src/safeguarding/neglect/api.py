"""The GCP2 API, mounted under ``/neglect`` on the project API (session with second factor,
or an agency token pinned to one seat): champions, licences (current, or expiring soon),
agencies' assessment summaries, and recording a summary. The same selectors and services
as the pages, so the same rules: another partnership's or agency's records are not listed,
and recording for them is refused."""

from __future__ import annotations

import datetime as dt

from django.core.exceptions import PermissionDenied, ValidationError
from django.utils import timezone
from ninja import Router, Schema

from safeguarding.core.models import Agency, Partnership
from safeguarding.neglect import selectors, services

router = Router(tags=["neglect"])


class ChampionOut(Schema):
    id: int
    partnership: str
    name: str
    agency: str
    trained_on: dt.date
    stepped_down_on: dt.date | None


class LicenceOut(Schema):
    id: int
    partnership: str
    practitioner: str
    agency: str
    issued_on: dt.date
    expires_on: dt.date
    withdrawn_on: dt.date | None


class SummaryOut(Schema):
    id: int
    partnership: str
    agency: str
    period: str
    completed: int
    children: int
    grades: list[int]
    reviewed: int
    improved: int
    outcomes: dict[str, int]


class SummaryIn(Schema):
    partnership: str
    agency: int
    period: str
    completed: int
    children: int
    grade_1: int = 0
    grade_2: int = 0
    grade_3: int = 0
    grade_4: int = 0
    grade_5: int = 0
    reviewed: int = 0
    improved: int = 0
    outcomes: dict[str, int] = {}


def _reader(request) -> None:
    if not request.user.has_perm("neglect.view"):
        raise PermissionDenied


def _licence(lic) -> dict:
    return {"id": lic.pk, "partnership": lic.partnership.code, "practitioner": lic.practitioner,
            "agency": lic.agency.name, "issued_on": lic.issued_on, "expires_on": lic.expires_on,
            "withdrawn_on": lic.withdrawn_on}


def _summary(s) -> dict:
    return {"id": s.pk, "partnership": s.partnership.code, "agency": s.agency.name,
            "period": s.period, "completed": s.completed, "children": s.children,
            "grades": s.grades, "reviewed": s.reviewed, "improved": s.improved,
            "outcomes": s.outcomes}


@router.get("/champions", response=list[ChampionOut], url_name="neglect_champions")
def champions(request):
    _reader(request)
    return [{"id": c.pk, "partnership": c.partnership.code, "name": c.name,
             "agency": c.agency.name, "trained_on": c.trained_on,
             "stepped_down_on": c.stepped_down_on}
            for c in selectors.champions_for(request.user)]


@router.get("/licences", response=list[LicenceOut], url_name="neglect_licences")
def licences(request, expiring: bool = False, on: dt.date | None = None):
    """Current licences on the day (today unless given); ``expiring``: only those expiring
    within the configured window and not renewed."""
    _reader(request)
    day = on or timezone.localdate()
    found = selectors.licences_for(request.user)
    found = selectors.expiring(found, day) if expiring else selectors.current_licences(found, day)
    return [_licence(lic) for lic in found]


@router.get("/summaries", response=list[SummaryOut], url_name="neglect_summaries")
def summaries(request, period: str = ""):
    _reader(request)
    found = selectors.summaries_for(request.user)
    if period:
        found = found.filter(period__startswith=period)
    return [_summary(s) for s in found]


@router.post("/summaries", response={201: SummaryOut}, url_name="neglect_summary_record")
def summary_record(request, data: SummaryIn):
    _reader(request)
    partnership = Partnership.objects.filter(code=data.partnership).first()
    agency = Agency.objects.filter(pk=data.agency).first()
    if partnership is None or agency is None:
        raise ValidationError({"agency": ["No such partnership or agency"]})
    summary = services.summary_record(
        actor=request.user, partnership=partnership, agency=agency, period=data.period,
        completed=data.completed, children=data.children,
        grades=[data.grade_1, data.grade_2, data.grade_3, data.grade_4, data.grade_5],
        reviewed=data.reviewed, improved=data.improved, outcomes=data.outcomes)
    return 201, _summary(summary)
