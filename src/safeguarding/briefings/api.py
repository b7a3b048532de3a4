"""The briefings API, mounted under ``/briefings`` on the project API (session with second
factor, or an agency token pinned to one seat): briefings, the records of use the caller may
read, recording a use for one's own agency, and campaigns. The same selectors and services
as the pages, so the same rules."""

from __future__ import annotations

import datetime as dt

from django.core.exceptions import PermissionDenied
from django.http import Http404
from ninja import Field, Router, Schema, Status

from safeguarding.briefings import selectors, services
from safeguarding.briefings.rules import managed

router = Router(tags=["briefings"])


class BriefingOut(Schema):
    id: int
    partnership: str
    title: str
    source: str
    source_reference: str
    themes: list[str]
    issued_on: dt.date
    file_name: str


class UseOut(Schema):
    id: int
    agency: str
    team: str
    used_on: dt.date
    attendees: int
    reflections: str
    actions: str


class UseIn(Schema):
    agency: int
    team: str
    used_on: dt.date
    attendees: int
    reflections: str
    actions: str = ""


class CampaignOut(Schema):
    id: int
    partnership: str
    name: str
    audience: str
    starts_on: dt.date
    ends_on: dt.date | None
    reach: int


def _reader(request) -> None:
    if not request.user.has_perm("briefings.view"):
        raise PermissionDenied


def _use(u) -> dict:
    return {"id": u.pk, "agency": u.agency.name, "team": u.team, "used_on": u.used_on,
            "attendees": u.attendees, "reflections": u.reflections, "actions": u.actions}


@router.get("", response=list[BriefingOut], url_name="briefings_list")
def briefings(request, q: str = ""):
    _reader(request)
    return [{"id": b.pk, "partnership": b.partnership.code, "title": b.title,
             "source": b.source, "source_reference": b.source_reference, "themes": b.themes,
             "issued_on": b.issued_on, "file_name": b.file_name}
            for b in selectors.search(selectors.briefings_for(request.user), q)]


@router.get("/{pk}/uses", response=list[UseOut], url_name="briefings_uses")
def uses(request, pk: int):
    _reader(request)
    briefing = selectors.briefing_get(actor=request.user, pk=pk)
    return [_use(u) for u in selectors.uses_for(request.user, briefing)]


@router.post("/{pk}/uses", response={201: UseOut}, url_name="briefings_use_record")
def use_record(request, pk: int, data: UseIn):
    _reader(request)
    briefing = selectors.briefing_get(actor=request.user, pk=pk)
    # An agency the caller may not record for (not theirs, or not expected) is not found,
    # as a briefing of another partnership is.
    agency = selectors.recording_agencies(request.user, briefing).filter(pk=data.agency).first()
    if agency is None:
        raise Http404("No such agency for this briefing")
    use = services.use_record(actor=request.user, briefing=briefing, agency=agency,
                              team=data.team, used_on=data.used_on, attendees=data.attendees,
                              reflections=data.reflections, actions=data.actions)
    return Status(201, _use(use))


@router.get("/campaigns", response=list[CampaignOut], url_name="briefings_campaigns")
def campaigns(request):
    _reader(request)
    return [{"id": c.pk, "partnership": c.partnership.code, "name": c.name,
             "audience": c.audience, "starts_on": c.starts_on, "ends_on": c.ends_on,
             "reach": c.reach} for c in selectors.campaigns_for(request.user)]


class CampaignIn(Schema):
    partnership: str
    name: str = Field(max_length=200)
    audience: str = Field(max_length=300)
    starts_on: dt.date
    ends_on: dt.date | None = None
    materials: str = ""
    reach: int = Field(0, le=2_000_000_000)
    reach_note: str = Field("", max_length=300)


class CampaignUpdateIn(Schema):
    reach: int = Field(le=2_000_000_000)
    ends_on: dt.date | None = None
    reach_note: str = Field("", max_length=300)


def _campaign(c) -> dict:
    return {"id": c.pk, "partnership": c.partnership.code, "name": c.name,
            "audience": c.audience, "starts_on": c.starts_on, "ends_on": c.ends_on,
            "reach": c.reach}


@router.post("/campaigns", response={201: CampaignOut}, url_name="briefings_campaign_add")
def campaign_add(request, data: CampaignIn):
    """Record a campaign (the business unit of the partnership): name, audience, materials,
    dates and reach."""
    from django.core.exceptions import ValidationError

    from safeguarding.core.models import Partnership

    partnership = Partnership.objects.filter(code=data.partnership).first()
    if partnership is None:
        raise ValidationError({"partnership": ["No such partnership"]})
    made = services.campaign_add(actor=request.user, partnership=partnership, name=data.name,
                                 audience=data.audience, starts_on=data.starts_on,
                                 ends_on=data.ends_on, materials=data.materials,
                                 reach=data.reach, reach_note=data.reach_note)
    return Status(201, _campaign(made))


@router.post("/campaigns/{pk}", response=CampaignOut, url_name="briefings_campaign_update")
def campaign_update(request, pk: int, data: CampaignUpdateIn):
    """Update a campaign's reach and end date. As on the page: 403 to anyone who manages no
    partnership's campaigns; another partnership's campaign is not found (404)."""
    if not managed(request.user):
        raise PermissionDenied
    campaign = selectors.campaign_get(actor=request.user, pk=pk)
    if campaign.partnership_id not in managed(request.user):
        raise Http404("No such campaign")
    return _campaign(services.campaign_update(actor=request.user, campaign=campaign,
                                              reach=data.reach, ends_on=data.ends_on,
                                              reach_note=data.reach_note))
