"""The restraint API: reviewer roles only, mounted under ``/restraint`` on the project API
(session with second factor, or an agency token pinned to one seat). Incidents carry the
child's pseudonymous key and age, never a name; each read is audited through core.access."""

from __future__ import annotations

import datetime as dt

from django.core.exceptions import PermissionDenied
from ninja import Router, Schema
from ninja.errors import HttpError

from safeguarding.restraint import selectors, services

router = Router(tags=["restraint"])


class IncidentOut(Schema):
    id: int
    reference: str
    occurred_at: dt.datetime
    location: str
    primary_reason: str
    pit_used: bool
    prone: bool
    body_worn_camera: str
    sound_captured: bool
    child_key: str
    child_age: int
    review_due: dt.date
    reviewed_on: dt.date | None


class SampleOut(Schema):
    quarter: str
    seed: int
    size: int
    matches_seed: bool
    incidents: list[str]


def _establishment(request, pk: int):
    try:
        return selectors.establishment_get(actor=request.user, pk=pk)
    except PermissionDenied:
        raise HttpError(403, "You do not review restraint at this establishment") from None


@router.get("/{est}/incidents", response=list[IncidentOut], url_name="restraint_incidents")
def incidents(request, est: int, month: str = ""):
    """A month's restraints (YYYY-MM; the latest month held when blank)."""
    establishment = _establishment(request, est)
    day = None
    if month:
        try:
            day = dt.date.fromisoformat(f"{month}-01")
        except ValueError:
            raise HttpError(422, "month must look like 2020-06") from None
    found = selectors.incidents(actor=request.user, establishment=establishment, month=day,
                                purpose="restraint incidents (API)")
    return [{**{f: getattr(i, f) for f in IncidentOut.model_fields if f != "reviewed_on"},
             "reviewed_on": i.review.reviewed_on if hasattr(i, "review") else None}
            for i in found]


@router.get("/{est}/overdue", response=list[IncidentOut], url_name="restraint_overdue")
def overdue(request, est: int):
    establishment = _establishment(request, est)
    found = selectors.reviews_due(actor=request.user, establishment=establishment)["overdue"]
    return [{**{f: getattr(i, f) for f in IncidentOut.model_fields if f != "reviewed_on"},
             "reviewed_on": None} for i in found]


@router.get("/{est}/samples/{quarter}", response=SampleOut, url_name="restraint_sample")
def sample(request, est: int, quarter: str):
    establishment = _establishment(request, est)
    found = establishment.samples.filter(quarter=quarter).first()
    if found is None:
        raise HttpError(404, f"No sample drawn for {quarter}")
    return {"quarter": found.quarter, "seed": found.seed, "size": found.size,
            "matches_seed": services.sample_check(found),
            "incidents": [i.incident.reference for i in found.items.select_related("incident")]}
