"""The policies API, mounted under ``/policies`` on the project API (session with second
factor, or an agency token pinned to one seat): the library and its search, and one
policy's current version, for the policies of the seat's partnerships; for the business unit
of a partnership the policy applies to, and its owner, recording a review (which sets the
next review date) and publishing a new version (its text; a file is uploaded on the page).
The writes call the page's services."""

from __future__ import annotations

import datetime as dt

from django.core.exceptions import PermissionDenied
from django.utils import timezone
from ninja import Router, Schema, Status
from ninja.errors import HttpError

from safeguarding.policies import selectors, services

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


class ReviewIn(Schema):
    reviewed_on: dt.date | None = None
    next_due: dt.date | None = None
    note: str = ""


class ReviewOut(Schema):
    policy: int
    due_on: dt.date
    reviewed_on: dt.date
    next_due: dt.date
    note: str


class VersionIn(Schema):
    change_summary: str
    body: str
    published_on: dt.date | None = None


class VersionOut(Schema):
    policy: int
    number: int
    change_summary: str
    published_on: dt.date


def _managed(request, pk: int):
    """The policy, for those who may revise it (the page's rule: policies.manage)."""
    try:
        found = selectors.policy_get(actor=request.user, pk=pk)
    except PermissionDenied:
        raise HttpError(403, "That policy does not apply to your partnerships") from None
    if not request.user.has_perm("policies.manage", found):
        raise HttpError(403, "Only the policy's owner or business unit may revise it")
    return found


@router.post("/{pk}/review", response={201: ReviewOut}, url_name="policies_review")
def review(request, pk: int, data: ReviewIn):
    """Record that the policy was reviewed (today unless ``reviewed_on``) and set its next
    review date (by default the partnership's interval after the review)."""
    found = _managed(request, pk)
    made = services.policy_review(actor=request.user, policy=found,
                                  reviewed_on=data.reviewed_on, next_due=data.next_due,
                                  note=data.note)
    return Status(201, {"policy": found.pk, "due_on": made.due_on, "reviewed_on": made.reviewed_on,
                        "next_due": made.next_due, "note": made.note})


@router.post("/{pk}/versions", response={201: VersionOut}, url_name="policies_version_publish")
def version_publish(request, pk: int, data: VersionIn):
    """Publish a new version from its text: it becomes the current one; earlier versions stay
    in the history. Publishing does not record a review."""
    found = _managed(request, pk)
    made = services.version_publish(actor=request.user, policy=found,
                                    change_summary=data.change_summary, body=data.body,
                                    published_on=data.published_on)
    return Status(201, {"policy": found.pk, "number": made.number,
                        "change_summary": made.change_summary, "published_on": made.published_on})
