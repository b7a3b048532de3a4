"""The governance API, mounted under ``/governance`` on the project API (session with second
factor, or an agency token pinned to one seat): bodies with their current terms, meetings,
the action log and its overdue view, risk registers with each risk's score history. Readers
are the partnership's business unit, board and sub-group members; the business unit and
board members add actions and close them. Another partnership's records are not found."""

from __future__ import annotations

import datetime as dt

from django.core.exceptions import PermissionDenied, ValidationError
from django.utils import timezone
from ninja import Router, Schema, Status

from safeguarding.core.models import Agency
from safeguarding.governance import config, selectors, services

router = Router(tags=["governance"])


class BodyOut(Schema):
    id: int
    name: str
    kind: str
    partnership: str
    joint_with: list[str]
    terms_version: int | None
    chair: str | None
    quorum: int | None
    review_on: dt.date | None


class MeetingOut(Schema):
    id: int
    held_on: dt.date
    papers_due: dt.date
    held: bool
    quorate: bool | None
    agenda: list[str]
    present: list[str]
    apologies: list[str]
    decisions: list[str]


class ActionOut(Schema):
    id: int
    reference: str
    body: str
    title: str
    owner: str
    agency: str
    raised_on: dt.date
    due_on: dt.date
    status: str
    evidence: str
    carried_forward: int


class ActionIn(Schema):
    title: str
    owner: str
    agency: int
    due_on: dt.date
    raised_on: dt.date | None = None


class CloseIn(Schema):
    status: str
    evidence: str
    on: dt.date | None = None


class ScoreOut(Schema):
    reviewed_on: dt.date
    score: int
    residual_score: int
    rag: str


class RiskOut(Schema):
    reference: str
    title: str
    owner: str
    score: int
    residual_score: int
    rag: str
    review_on: dt.date
    closed_on: dt.date | None
    history: list[ScoreOut]


class ReviewIn(Schema):
    on: dt.date
    likelihood: int
    impact: int
    residual_likelihood: int
    residual_impact: int
    review_on: dt.date
    note: str = ""


class RegisterOut(Schema):
    id: int
    name: str
    kind: str
    opened_on: dt.date
    closed_on: dt.date | None
    closing_reason: str
    risks: list[RiskOut]


def _body(body) -> dict:
    terms = selectors.terms_current(body)
    return {"id": body.pk, "name": body.name, "kind": body.kind,
            "partnership": body.partnership.code,
            "joint_with": [p.code for p in body.joint_with.all()],
            "terms_version": terms.version if terms else None,
            "chair": terms.chair if terms else None, "quorum": terms.quorum if terms else None,
            "review_on": terms.review_on if terms else None}


def _action(a) -> dict:
    return {"id": a.pk, "reference": a.reference, "body": a.body.name, "title": a.title,
            "owner": a.owner, "agency": a.agency.name, "raised_on": a.raised_on,
            "due_on": a.due_on, "status": a.status, "evidence": a.evidence,
            "carried_forward": a.carried_forward}


def _reader(request) -> None:
    if not request.user.has_perm("governance.view"):
        raise PermissionDenied


@router.get("/bodies", response=list[BodyOut], url_name="governance_bodies")
def bodies(request):
    _reader(request)
    return [_body(b) for b in selectors.bodies_for(request.user)]


def _meeting(m) -> dict:
    by = {s: [a.agency.name for a in m.attendance.all() if a.status == s]
          for s in ("present", "apologies")}
    return {"id": m.pk, "held_on": m.held_on, "papers_due": m.papers_due,
            "held": m.held, "quorate": m.quorate,
            "agenda": [i.title for i in m.agenda.all()],
            "present": by["present"], "apologies": by["apologies"],
            "decisions": [d.text for d in m.decisions.all()]}


@router.get("/bodies/{pk}/meetings", response=list[MeetingOut], url_name="governance_meetings")
def meetings(request, pk: int):
    _reader(request)
    body = selectors.body_get(actor=request.user, pk=pk)
    return [_meeting(m) for m in body.meetings.order_by("held_on").prefetch_related(
        "agenda", "attendance__agency", "decisions")]


class MeetingIn(Schema):
    held_on: dt.date


@router.post("/bodies/{pk}/meetings", response={201: MeetingOut},
             url_name="governance_meeting_add")
def meeting_add(request, pk: int, data: MeetingIn):
    """Plan a meeting: its agenda is built from the action log, the risks and the terms due
    for review, and the last meeting's minutes to approve."""
    _reader(request)
    body = selectors.body_get(actor=request.user, pk=pk)
    meeting = services.meeting_schedule(actor=request.user, body=body, held_on=data.held_on)
    return Status(201, _meeting(meeting))


@router.get("/actions", response=list[ActionOut], url_name="governance_actions")
def actions(request, status: str = ""):
    _reader(request)
    return [_action(a) for a in selectors.actions_for(request.user, status=status or None)]


@router.get("/actions/overdue", response=list[ActionOut], url_name="governance_overdue")
def overdue(request, on: dt.date | None = None):
    _reader(request)
    return [_action(a) for a in
            selectors.overdue_actions(request.user, on or timezone.localdate())]


@router.post("/bodies/{pk}/actions", response={201: ActionOut}, url_name="governance_action_add")
def action_add(request, pk: int, data: ActionIn):
    _reader(request)
    body = selectors.body_get(actor=request.user, pk=pk)
    agency = Agency.objects.filter(pk=data.agency).first()
    if agency is None:
        raise ValidationError({"agency": ["No such agency"]})
    action = services.action_add(actor=request.user, body=body, title=data.title,
                                 owner=data.owner, agency=agency, due_on=data.due_on,
                                 raised_on=data.raised_on or timezone.localdate())
    return Status(201, _action(action))


@router.post("/actions/{pk}/close", response=ActionOut, url_name="governance_action_close")
def action_close(request, pk: int, data: CloseIn):
    _reader(request)
    action = selectors.action_get(actor=request.user, pk=pk)
    services.action_close(actor=request.user, action=action, status=data.status,
                          evidence=data.evidence, on=data.on or timezone.localdate())
    return _action(action)


@router.get("/registers/{pk}", response=RegisterOut, url_name="governance_register")
def register(request, pk: int):
    _reader(request)
    found = selectors.register_get(actor=request.user, pk=pk)
    return {"id": found.pk, "name": found.name, "kind": found.kind,
            "opened_on": found.opened_on, "closed_on": found.closed_on,
            "closing_reason": found.closing_reason,
            "risks": [{"reference": r.reference, "title": r.title, "owner": r.owner,
                       "score": r.score, "residual_score": r.residual_score,
                       "rag": config.rag(r.residual_score), "review_on": r.review_on,
                       "closed_on": r.closed_on,
                       "history": [{"reviewed_on": h.reviewed_on, "score": h.score,
                                    "residual_score": h.residual_score, "rag": h.rag}
                                   for h in r.reviews.all()]}
                      for r in found.risks.prefetch_related("reviews")]}


def _risk(r) -> dict:
    return {"reference": r.reference, "title": r.title, "owner": r.owner, "score": r.score,
            "residual_score": r.residual_score, "rag": config.rag(r.residual_score),
            "review_on": r.review_on, "closed_on": r.closed_on,
            "history": [{"reviewed_on": h.reviewed_on, "score": h.score,
                         "residual_score": h.residual_score, "rag": h.rag}
                        for h in r.reviews.order_by("reviewed_on", "pk")]}


@router.post("/risks/{pk}/review", response=RiskOut, url_name="governance_risk_review")
def risk_review(request, pk: int, data: ReviewIn):
    """Score a risk again (likelihood x impact before and after controls); its history keeps
    the earlier scores."""
    _reader(request)
    risk = selectors.risk_get(actor=request.user, pk=pk)
    services.risk_review(actor=request.user, risk=risk, on=data.on,
                         likelihood=data.likelihood, impact=data.impact,
                         residual_likelihood=data.residual_likelihood,
                         residual_impact=data.residual_impact, review_on=data.review_on,
                         note=data.note)
    risk.refresh_from_db()
    return _risk(risk)


# Priorities and commitments ----------------------------------------------------------------

class PriorityOut(Schema):
    id: int
    partnership: str
    year: str
    key: str
    title: str
    summary: str
    objectives: list[str]


class CommitmentOut(Schema):
    id: int
    partnership: str
    year_made: str
    section: str
    text: str
    priority: str | None
    owner: str | None
    owner_agency: str | None
    due_on: dt.date | None
    measure_key: str
    action: str | None
    status: str
    outcome: str
    evidence: str


class CommitmentIn(Schema):
    status: str
    evidence: str = ""
    due_on: dt.date | None = None
    measure_key: str = ""
    owner_agency: int | None = None


def _commitment(c) -> dict:
    return {"id": c.pk, "partnership": c.partnership.code, "year_made": c.year_made,
            "section": c.section_title, "text": c.text,
            "priority": c.priority.title if c.priority else None,
            "owner": (c.owner.get_full_name() or c.owner.username) if c.owner else None,
            "owner_agency": c.owner_agency.name if c.owner_agency else None,
            "due_on": c.due_on, "measure_key": c.measure_key,
            "action": c.action.reference if c.action else None, "status": c.status,
            "outcome": c.outcome, "evidence": c.evidence}


@router.get("/priorities", response=list[PriorityOut], url_name="governance_priorities")
def priorities(request, year: str = ""):
    _reader(request)
    return [{"id": p.pk, "partnership": p.partnership.code, "year": p.year, "key": p.key,
             "title": p.title, "summary": p.summary,
             "objectives": [o.text for o in p.objectives.all()]}
            for p in selectors.priorities_for(request.user, year or None)]


@router.get("/commitments", response=list[CommitmentOut], url_name="governance_commitments")
def commitments(request, year: str = "", status: str = ""):
    _reader(request)
    return [_commitment(c) for c in selectors.commitments_for(
        request.user, year=year or None, status=status or None)]


@router.post("/commitments/{pk}", response=CommitmentOut,
             url_name="governance_commitment_update")
def commitment_update(request, pk: int, data: CommitmentIn):
    """Set a commitment's status and evidence (kept and missed need evidence), and, where
    given, its due date, measure and owning agency; the rest is kept as it is."""
    _reader(request)
    commitment = selectors.commitment_get(actor=request.user, pk=pk)
    agency = commitment.owner_agency
    if data.owner_agency is not None:
        agency = Agency.objects.filter(pk=data.owner_agency).first()
        if agency is None:
            raise ValidationError({"owner_agency": ["No such agency"]})
    services.commitment_update(
        actor=request.user, commitment=commitment, status=data.status,
        evidence=data.evidence, owner=commitment.owner, owner_agency=agency,
        due_on=data.due_on or commitment.due_on,
        measure_key=data.measure_key or commitment.measure_key, action=commitment.action,
        priority=commitment.priority)
    return _commitment(commitment)
