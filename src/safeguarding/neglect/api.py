"""The GCP2 API, mounted under ``/neglect`` on the project API (session with second factor,
or an agency token pinned to one seat): champions, licences (current, or expiring soon),
agencies' assessment summaries, and recording a summary; for the business unit, adding a
champion and recording one stepping down, and issuing, renewing and withdrawing licences.
The same selectors and services as the pages, so the same rules: another partnership's or
agency's records are not listed (404 for one asked for by its id), and recording for them
is refused (403)."""

from __future__ import annotations

import datetime as dt

from django.core.exceptions import PermissionDenied, ValidationError
from django.http import Http404
from django.utils import timezone
from ninja import Field, Router, Schema, Status

from safeguarding.core.models import Agency, Partnership
from safeguarding.neglect import selectors, services
from safeguarding.neglect.rules import managed

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
    return Status(201, _summary(summary))


# The business unit's writes -----------------------------------------------------------


class ChampionIn(Schema):
    partnership: str
    agency: int
    name: str = Field(max_length=200)
    trained_on: dt.date
    email: str = Field("", max_length=254)
    job_title: str = Field("", max_length=200)


class OnIn(Schema):
    on: dt.date


class LicenceIn(Schema):
    partnership: str
    agency: int
    practitioner: str = Field(max_length=200)
    issued_on: dt.date
    email: str = Field("", max_length=254)
    expires_on: dt.date | None = None


class RenewIn(Schema):
    issued_on: dt.date


class WithdrawIn(Schema):
    on: dt.date
    reason: str


def _champion(c) -> dict:
    return {"id": c.pk, "partnership": c.partnership.code, "name": c.name,
            "agency": c.agency.name, "trained_on": c.trained_on,
            "stepped_down_on": c.stepped_down_on}


def _partnership_agency(partnership: str, agency: int) -> tuple[Partnership, Agency]:
    found = Partnership.objects.filter(code=partnership).first()
    which = Agency.objects.filter(pk=agency).first()
    if found is None or which is None:
        raise ValidationError({"agency": ["No such partnership or agency"]})
    return found, which


def _managed_licence(request, pk: int):
    """As on the page: 403 to anyone who manages no partnership's GCP2; a licence outside
    the partnerships they manage is not found (404)."""
    if not managed(request.user):
        raise PermissionDenied
    licence = selectors.licence_get(actor=request.user, pk=pk)
    if licence.partnership_id not in managed(request.user):
        raise Http404("No such licence")
    return licence


@router.post("/champions", response={201: ChampionOut}, url_name="neglect_champion_add")
def champion_add(request, data: ChampionIn):
    """Add a trained GCP2 champion (the business unit of the partnership)."""
    _reader(request)
    partnership, agency = _partnership_agency(data.partnership, data.agency)
    made = services.champion_add(actor=request.user, partnership=partnership, name=data.name,
                                 agency=agency, trained_on=data.trained_on, email=data.email,
                                 job_title=data.job_title)
    return Status(201, _champion(made))


@router.post("/champions/{pk}/step-down", response=ChampionOut,
             url_name="neglect_champion_step_down")
def champion_step_down(request, pk: int, data: OnIn):
    """Record that a champion stepped down on a day."""
    _reader(request)
    champion = selectors.champion_get(actor=request.user, pk=pk)
    return _champion(services.champion_step_down(actor=request.user, champion=champion,
                                                 on=data.on))


@router.post("/licences", response={201: LicenceOut}, url_name="neglect_licence_issue")
def licence_issue(request, data: LicenceIn):
    """Issue a GCP2 licence to a practitioner; it expires after the configured term unless
    ``expires_on`` is given."""
    _reader(request)
    partnership, agency = _partnership_agency(data.partnership, data.agency)
    made = services.licence_issue(actor=request.user, partnership=partnership,
                                  practitioner=data.practitioner, agency=agency,
                                  issued_on=data.issued_on, email=data.email,
                                  expires_on=data.expires_on)
    return Status(201, _licence(made))


@router.post("/licences/{pk}/renew", response={201: LicenceOut},
             url_name="neglect_licence_renew")
def licence_renew(request, pk: int, data: RenewIn):
    """Renew a licence: a new licence for the same practitioner from ``issued_on``."""
    _reader(request)
    made = services.licence_renew(actor=request.user, licence=_managed_licence(request, pk),
                                  issued_on=data.issued_on)
    return Status(201, _licence(made))


@router.post("/licences/{pk}/withdraw", response=LicenceOut,
             url_name="neglect_licence_withdraw")
def licence_withdraw(request, pk: int, data: WithdrawIn):
    """Withdraw a licence from a day, with the reason."""
    _reader(request)
    return _licence(services.licence_withdraw(actor=request.user,
                                              licence=_managed_licence(request, pk),
                                              on=data.on, reason=data.reason))
