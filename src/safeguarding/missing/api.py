"""The missing children API: worker roles only, mounted under ``/missing`` on the project
API (session with second factor, or an agency token pinned to one seat). Episodes carry
the child's pseudonymous key, never a name; each read is audited through core.access."""

from __future__ import annotations

import datetime as dt

from django.core.exceptions import PermissionDenied, ValidationError
from ninja import Router, Schema, Status
from ninja.errors import HttpError

from safeguarding.missing import importer, selectors, services

router = Router(tags=["missing"])


class EpisodeOut(Schema):
    id: int
    force_reference: str
    category: str
    child_key: str
    la: str
    missing_from: dt.datetime
    returned_at: dt.datetime | None
    where_found: str
    rhi_due_at: dt.datetime | None
    rhi_offered_at: dt.datetime | None
    rhi_interview_at: dt.datetime | None


class EpisodeIn(Schema):
    force_reference: str
    category: str
    child_la: str
    child_id: str
    missing_from: str
    returned_at: str = ""
    where_found: str = ""


def _out(e) -> dict:
    interview = getattr(e, "interview", None)
    return {"id": e.pk, "force_reference": e.force_reference, "category": e.category,
            "child_key": e.child_key, "la": e.local_authority.old_code,
            "missing_from": e.missing_from, "returned_at": e.returned_at,
            "where_found": e.where_found, "rhi_due_at": e.rhi_due_at,
            "rhi_offered_at": interview.offered_at if interview else None,
            "rhi_interview_at": interview.interview_at if interview else None}


def _partnership(request, code: str):
    try:
        return selectors.partnership_get(actor=request.user, code=code)
    except PermissionDenied:
        raise HttpError(403, "You do not work missing children's records here") from None


@router.get("/{code}/episodes", response=list[EpisodeOut], url_name="missing_episodes")
def episodes(request, code: str):
    partnership = _partnership(request, code)
    return [_out(e) for e in selectors.episodes(actor=request.user, partnership=partnership,
                                                purpose="missing episodes (API)")]


@router.get("/{code}/due", response=dict[str, list[EpisodeOut]], url_name="missing_due")
def due(request, code: str):
    """Missing episodes whose interview offer is overdue or due (72 clock hours)."""
    partnership = _partnership(request, code)
    lists = selectors.interviews_due(actor=request.user, partnership=partnership)
    return {name: [_out(e) for e in found] for name, found in lists.items()}


@router.post("/{code}/episodes", response={201: EpisodeOut}, url_name="missing_episode_add")
def episode_add(request, code: str, payload: EpisodeIn):
    """Record one episode, checked with the CSV template's rules (YYYY-MM-DD HH:MM times)."""
    partnership = _partnership(request, code)
    values = payload.dict()
    for name in ("missing_from", "returned_at"):
        text = values[name]
        values[name] = importer.parse_datetime(text) if text else None
        if text and values[name] is None:
            raise HttpError(422, f"{name} must look like 2020-06-05 14:30")
    if values["missing_from"] is None:
        raise HttpError(422, "missing_from is required")
    if values["category"] not in ("M", "A"):
        raise HttpError(422, "category must be M or A")
    values["child_id"] = values["child_id"].replace(" ", "").upper()
    try:
        episode = services.episode_record(actor=request.user, partnership=partnership,
                                          values=values)
    except ValidationError as error:
        raise HttpError(422, "; ".join(error.messages)) from None
    return Status(201, _out(selectors.episode_get(actor=request.user, pk=episode.pk,
                                                  purpose="missing episode added (API)")))
