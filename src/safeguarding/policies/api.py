"""The policies API, mounted under ``/policies`` on the project API (session with second
factor, or an agency token pinned to one seat): the library and its search, and one
policy's current version, for the policies of the seat's partnerships."""

from __future__ import annotations

import datetime as dt

from django.core.exceptions import PermissionDenied
from django.utils import timezone
from ninja import Router, Schema
from ninja.errors import HttpError

from safeguarding.policies import selectors

router = Router(tags=["policies"])


class PolicyOut(Schema):
    id: int
    title: str
    reference: str
    partnerships: list[str]
    owner: str
    review_due: dt.date
    status: str
    version: int | None
    published_on: dt.date | None
    rank: float | None = None


class PolicyDetailOut(PolicyOut):
    summary: str
    body: str
    change_summary: str
    has_file: bool


def _reader(request) -> None:
    if not request.user.has_perm("policies.open"):
        raise HttpError(403, "You hold no seat in a partnership")


def _out(policy, version, rank=None) -> dict:
    return {"id": policy.pk, "title": policy.title, "reference": policy.reference,
            "partnerships": sorted(p.code for p in policy.partnerships.all()),
            "owner": policy.owner.get_full_name() or policy.owner.username,
            "review_due": policy.review_due,
            "status": selectors.status(policy, timezone.localdate()),
            "version": version.number if version else None,
            "published_on": version.published_on if version else None, "rank": rank}


@router.get("/", response=list[PolicyOut], url_name="policies_library")
def library(request, q: str = ""):
    """The policies of your partnerships; with ``q``, those matching it, best first."""
    _reader(request)
    if q.strip():
        return [_out(h.policy, h.version, h.rank) for h in selectors.search(request.user, q)]
    return [_out(p, selectors.current_version(p)) for p in selectors.library(request.user)]


@router.get("/{pk}", response=PolicyDetailOut, url_name="policies_policy")
def policy(request, pk: int):
    """One policy with its current version's text."""
    try:
        found = selectors.policy_get(actor=request.user, pk=pk)
    except PermissionDenied:
        raise HttpError(403, "That policy does not apply to your partnerships") from None
    version = selectors.current_version(found)
    return {**_out(found, version), "summary": found.summary,
            "body": version.body if version else "",
            "change_summary": version.change_summary if version else "",
            "has_file": bool(version and version.file_name)}
