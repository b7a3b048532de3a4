"""The audits API, mounted under ``/audits`` on the project API (session with second factor,
or an agency token pinned to one seat): audits with their findings and grades (no case
detail), an agency's open returns, submitting a return, and a case file through the door.
Another partnership's audits are not found."""

from __future__ import annotations

import datetime as dt

from django.core.exceptions import PermissionDenied
from django.utils import timezone
from ninja import Field, Router, Schema

from safeguarding.audits import selectors, services

router = Router(tags=["audits"])


class FindingOut(Schema):
    kind: str
    text: str


class AuditOut(Schema):
    id: int
    reference: str
    title: str
    theme: str
    partnership: str
    status: str
    planned_on: dt.date
    sample_size: int
    seed: int | None
    population_size: int | None
    returns_due: dt.date | None
    completed_on: dt.date | None
    re_audit_on: dt.date | None
    grades: dict[str, int]
    findings: list[FindingOut]
    actions: list[str]


class ReturnOut(Schema):
    id: int
    case: str
    audit: str
    agency: str
    due_on: dt.date | None
    submitted_on: dt.date | None


class ReturnIn(Schema):
    answers: dict[int, str] = Field(default_factory=dict)
    grades: dict[int, str] = Field(default_factory=dict)
    good_practice: str = ""
    development: str = ""
    recommendations: str = ""
    auditor: str = ""
    submit: bool = False
    on: dt.date | None = None


class CaseOut(Schema):
    id: int
    reference: str
    audit: str
    child_id: int
    child_name: str
    date_of_birth: dt.date
    returns: list[ReturnOut]


def _user(request) -> None:
    if not request.user.has_perm("audits.use"):
        raise PermissionDenied


def _audit(a) -> dict:
    return {"id": a.pk, "reference": a.reference, "title": a.title, "theme": a.theme,
            "partnership": a.programme.partnership.code, "status": a.status,
            "planned_on": a.planned_on, "sample_size": a.sample_size, "seed": a.seed,
            "population_size": a.population_size, "returns_due": a.returns_due,
            "completed_on": a.completed_on, "re_audit_on": a.re_audit_on,
            "grades": selectors.grade_distribution([a]),
            "findings": [{"kind": f.kind, "text": f.text} for f in a.findings.all()],
            "actions": [x.reference for x in selectors.audit_actions(a)]}


def _return(r) -> dict:
    return {"id": r.pk, "case": r.case.reference, "audit": r.case.audit.reference,
            "agency": r.agency.name, "due_on": r.due_on, "submitted_on": r.submitted_on}


@router.get("/", response=list[AuditOut], url_name="audits_list")
def audits(request):
    _user(request)
    return [_audit(a) for a in selectors.audits_for(request.user)]


@router.get("/returns", response=list[ReturnOut], url_name="audits_returns")
def returns(request):
    """The open returns the seat's agency owes."""
    _user(request)
    return [_return(r) for r in selectors.returns_owed(request.user, timezone.localdate())]


@router.get("/{pk}", response=AuditOut, url_name="audits_audit")
def audit(request, pk: int):
    _user(request)
    return _audit(selectors.audit_get(actor=request.user, pk=pk))


@router.get("/cases/{pk}", response=CaseOut, url_name="audits_case")
def case(request, pk: int):
    """A case file: read through the door (checked and audited)."""
    _user(request)
    found = selectors.case_get(actor=request.user, pk=pk)
    child = found.child_record  # type: ignore[attr-defined]
    return {"id": found.pk, "reference": found.reference, "audit": found.audit.reference,
            "child_id": child.pk, "child_name": child.full_name,
            "date_of_birth": child.date_of_birth,
            "returns": [_return(r) for r in found.returns.select_related("agency", "case__audit")]}


@router.post("/returns/{pk}", response=ReturnOut, url_name="audits_return_save")
def return_save(request, pk: int, data: ReturnIn):
    _user(request)
    found = selectors.return_get(actor=request.user, pk=pk)
    services.return_save(actor=request.user, agency_return=found, answers=data.answers,
                         grades=data.grades, good_practice=data.good_practice,
                         development=data.development, recommendations=data.recommendations,
                         auditor=data.auditor, submit=data.submit,
                         on=data.on or (timezone.localdate() if data.submit else None))
    return _return(found)

