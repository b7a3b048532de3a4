"""Writes for governance: bodies and their terms of reference, meetings (agenda, papers,
attendance and quoracy, decisions, minutes), the action log and risk registers. Every write
checks the actor's permission on the record (``actor=None`` is the command line) and
appends an audit row."""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterable

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.db.models import Max

from safeguarding.core.audit import audit_object
from safeguarding.core.models import Agency, AuditEvent, Partnership, User
from safeguarding.governance import config, selectors
from safeguarding.governance.models import (
    Action,
    AgendaItem,
    Attendance,
    Body,
    Commitment,
    Decision,
    Meeting,
    Minutes,
    Objective,
    Priority,
    Risk,
    RiskRegister,
    RiskReview,
    TermsMember,
    TermsOfReference,
)
from safeguarding.governance.rules import Level, partnerships_at


def _require(actor: User | None, obj=None) -> None:
    if actor is None:
        return
    if obj is None:
        allowed = bool(partnerships_at(actor, Level.EDIT))
    else:
        allowed = actor.has_perm("governance.edit", obj)
    if not allowed:
        raise PermissionDenied


# Bodies and terms of reference ------------------------------------------------------------

@transaction.atomic
def body_add(*, actor: User | None, partnership: Partnership, kind: str, name: str,
             sub_group=None, joint_with: Iterable[Partnership] = (), reports_to: Body | None = None,
             started_on: dt.date | None = None) -> Body:
    if actor is not None and partnership.pk not in partnerships_at(actor, Level.EDIT):
        raise PermissionDenied
    if sub_group is not None and sub_group.partnership_id != partnership.pk:
        raise ValidationError({"sub_group": ["The sub-group must belong to the partnership"]})
    if reports_to is not None and reports_to.partnership_id != partnership.pk:
        raise ValidationError({"reports_to": ["A body reports to a body of its own partnership"]})
    body = Body(partnership=partnership, kind=kind, name=name.strip(), sub_group=sub_group,
                reports_to=reports_to, started_on=started_on)
    body.full_clean()
    body.save()
    others = [p for p in joint_with if p.pk != partnership.pk]
    body.joint_with.set(others)
    audit_object(actor, AuditEvent.Action.CREATE, body, "add governance body",
                 {"joint_with": sorted(p.code for p in others)})
    return body


@transaction.atomic
def terms_add(*, actor: User | None, body: Body, purpose: str, chair: str, quorum: int,
              frequency: str, effective_from: dt.date, review_on: dt.date,
              members: Iterable[tuple[Agency, str]], chair_agency: Agency | None = None,
              required_kinds: list[str] | None = None,
              papers_days: int | None = None) -> TermsOfReference:
    """A new version of the body's terms of reference (earlier versions are kept)."""
    _require(actor, body)
    members = list(members)
    errors: dict[str, list[str]] = {}
    if not purpose.strip():
        errors["purpose"] = ["Enter the body's purpose"]
    if not chair.strip():
        errors["chair"] = ["Enter the chair"]
    if frequency not in dict(config.frequencies()):
        errors["frequency"] = ["Choose how often the body meets"]
    if not members:
        errors["members"] = ["List the member agencies"]
    elif not 1 <= quorum <= len({a.pk for a, _ in members}):
        errors["quorum"] = [f"The quorum must be 1 to {len({a.pk for a, _ in members})} "
                            "member agencies"]
    if review_on <= effective_from:
        errors["review_on"] = ["The review date must be after the date the terms take effect"]
    if errors:
        raise ValidationError(errors)
    latest = body.terms.aggregate(v=Max("version"))["v"] or 0
    terms = TermsOfReference.objects.create(
        body=body, version=latest + 1, purpose=purpose.strip(), chair=chair.strip(),
        chair_agency=chair_agency, quorum=quorum,
        required_kinds=(config.default_required_kinds() if required_kinds is None
                        else list(required_kinds)),
        frequency=frequency,
        papers_days=config.default_papers_days() if papers_days is None else papers_days,
        effective_from=effective_from, review_on=review_on, recorded_by=actor)
    TermsMember.objects.bulk_create(TermsMember(terms=terms, agency=a, role=r) for a, r in members)
    audit_object(actor, AuditEvent.Action.CREATE, terms, "new terms of reference version",
                 {"version": terms.version})
    return terms


# Meetings ---------------------------------------------------------------------------------

def _next_order(meeting: Meeting) -> int:
    return (meeting.agenda.aggregate(o=Max("order"))["o"] or 0) + 1


@transaction.atomic
def meeting_schedule(*, actor: User | None, body: Body, held_on: dt.date) -> Meeting:
    """Plan a meeting under the terms in force that day; its agenda is built from the
    action log and what falls due: the last meeting's minutes to approve, the body's open
    actions, its risks due for review and its terms of reference if due for review."""
    _require(actor, body)
    terms = selectors.terms_in_force(body, held_on)
    if terms is None:
        raise ValidationError({"held_on": ["The body has no terms of reference in force that day"]})
    if body.meetings.filter(held_on=held_on).exists():
        raise ValidationError({"held_on": ["The body already meets that day"]})
    meeting = Meeting.objects.create(
        body=body, terms=terms, held_on=held_on,
        papers_due=config.working_days_before(held_on, terms.papers_days))
    items: list[tuple[str, str, Action | None, Risk | None]] = [
        (AgendaItem.Kind.STANDING, "Welcome, attendance and apologies", None, None)]
    previous = body.meetings.filter(held_on__lt=held_on, held=True).order_by("-held_on").first()
    if previous is not None and previous.minutes_approved_at_id is None:
        items.append((AgendaItem.Kind.MINUTES, f"Minutes of {previous}", None, None))
    for action in selectors.open_actions(body):
        late = " (overdue)" if action.due_on < held_on else ""
        items.append((AgendaItem.Kind.ACTION, f"{action.reference}: {action.title}{late}",
                      action, None))
    for risk in selectors.risks_due(body, held_on):
        items.append((AgendaItem.Kind.RISK, f"Risk {risk.reference} review: {risk.title}",
                      None, risk))
    if terms.review_on <= held_on:
        items.append((AgendaItem.Kind.TERMS, "Review of the terms of reference", None, None))
    AgendaItem.objects.bulk_create(
        AgendaItem(meeting=meeting, order=n, kind=kind, title=title[:300], action=action,
                   risk=risk)
        for n, (kind, title, action, risk) in enumerate(items, start=1))
    audit_object(actor, AuditEvent.Action.CREATE, meeting, "schedule meeting",
                 {"agenda_items": len(items)})
    return meeting


@transaction.atomic
def paper_add(*, actor: User | None, meeting: Meeting, title: str,
              agency: Agency | None = None, received_on: dt.date | None = None) -> AgendaItem:
    _require(actor, meeting)
    if not title.strip():
        raise ValidationError({"title": ["Enter the paper's title"]})
    item = AgendaItem.objects.create(meeting=meeting, order=_next_order(meeting),
                                     kind=AgendaItem.Kind.PAPER, title=title.strip(),
                                     paper_agency=agency, paper_received_on=received_on)
    audit_object(actor, AuditEvent.Action.CREATE, item, "add paper to agenda")
    return item


def is_quorate(terms: TermsOfReference, present: Iterable[Agency]) -> bool:
    """Enough member agencies present, including each required kind the members hold."""
    members = {m.agency_id: m.agency.kind for m in terms.members.select_related("agency")}
    here = {a.pk for a in present if a.pk in members}
    if len(here) < terms.quorum:
        return False
    needed = set(terms.required_kinds) & set(members.values())
    return needed <= {members[pk] for pk in here}


@transaction.atomic
def attendance_record(*, actor: User | None, meeting: Meeting,
                      entries: Iterable[tuple[Agency, str, str]]) -> Meeting:
    """Record who came (agency, status, name) and work out quoracy from the terms."""
    _require(actor, meeting)
    entries = list(entries)
    statuses = dict(Attendance.Status.choices)
    bad = [s for _, s, _ in entries if s not in statuses]
    if bad:
        raise ValidationError({"status": [f"Unknown attendance status {bad[0]}"]})
    meeting.attendance.all().delete()
    Attendance.objects.bulk_create(Attendance(meeting=meeting, agency=a, status=s, name=n)
                                   for a, s, n in entries)
    present = [a for a, s, _ in entries if s == Attendance.Status.PRESENT]
    meeting.held = True
    meeting.quorate = is_quorate(meeting.terms, present)
    meeting.save(update_fields=["held", "quorate"])
    audit_object(actor, AuditEvent.Action.UPDATE, meeting, "record attendance",
                 {"present": len(present), "quorate": meeting.quorate})
    return meeting


@transaction.atomic
def decision_record(*, actor: User | None, meeting: Meeting, text: str,
                    item: AgendaItem | None = None) -> Decision:
    _require(actor, meeting)
    if not text.strip():
        raise ValidationError({"text": ["Enter the decision"]})
    if item is not None and item.meeting_id != meeting.pk:
        raise ValidationError({"item": ["The item is not on this meeting's agenda"]})
    decision = Decision.objects.create(meeting=meeting, item=item, text=text.strip())
    audit_object(actor, AuditEvent.Action.CREATE, decision, "record decision")
    return decision


@transaction.atomic
def minutes_record(*, actor: User | None, meeting: Meeting, text: str) -> Minutes:
    """A new version of the meeting's minutes; approved minutes are not changed."""
    _require(actor, meeting)
    if meeting.minutes_approved_at_id:
        raise ValidationError({"text": ["These minutes were approved; they cannot change"]})
    if not text.strip():
        raise ValidationError({"text": ["Enter the minutes"]})
    latest = meeting.minutes.aggregate(v=Max("version"))["v"] or 0
    found = Minutes.objects.create(meeting=meeting, version=latest + 1, text=text.strip(),
                                   recorded_by=actor)
    audit_object(actor, AuditEvent.Action.CREATE, found, "record minutes", {"version": found.version})
    return found


@transaction.atomic
def minutes_approve(*, actor: User | None, meeting: Meeting, at: Meeting) -> Meeting:
    """Minutes are approved at a later meeting of the same body."""
    _require(actor, at)
    if at.body_id != meeting.body_id or at.held_on <= meeting.held_on:
        raise ValidationError({"at": ["Minutes are approved at a later meeting of the same body"]})
    if not meeting.minutes.exists():
        raise ValidationError({"at": ["No minutes are recorded for that meeting"]})
    meeting.minutes_approved_at = at
    meeting.save(update_fields=["minutes_approved_at"])
    audit_object(actor, AuditEvent.Action.UPDATE, meeting, "approve minutes", {"at": at.pk})
    return meeting


# The action log ---------------------------------------------------------------------------

@transaction.atomic
def action_add(*, actor: User | None, body: Body, title: str, owner: str, agency: Agency,
               due_on: dt.date, raised_on: dt.date, raised_at: Meeting | None = None) -> Action:
    _require(actor, body)
    errors: dict[str, list[str]] = {}
    if not title.strip():
        errors["title"] = ["Enter the action"]
    if not owner.strip():
        errors["owner"] = ["Enter who owns the action"]
    if due_on < raised_on:
        errors["due_on"] = ["The due date must be on or after the day the action was raised"]
    if raised_at is not None and raised_at.body_id != body.pk:
        errors["raised_at"] = ["The meeting is not one of this body's"]
    if errors:
        raise ValidationError(errors)
    partnership = body.partnership
    count = Action.objects.select_for_update().filter(partnership=partnership).count()
    action = Action.objects.create(
        partnership=partnership, body=body, raised_at=raised_at,
        reference=f"{partnership.code}-A{count + 1:03d}", title=title.strip(),
        owner=owner.strip(), agency=agency, raised_on=raised_on, due_on=due_on)
    audit_object(actor, AuditEvent.Action.CREATE, action, "add action")
    return action


@transaction.atomic
def action_carry_forward(*, actor: User | None, action: Action, due_on: dt.date) -> Action:
    """Give an open action a later due date; the log counts each time it is carried."""
    _require(actor, action)
    if action.status != Action.Status.OPEN:
        raise ValidationError({"due_on": ["Only an open action is carried forward"]})
    if due_on <= action.due_on:
        raise ValidationError({"due_on": ["The new due date must be after the current one"]})
    action.due_on = due_on
    action.carried_forward += 1
    action.save(update_fields=["due_on", "carried_forward"])
    audit_object(actor, AuditEvent.Action.UPDATE, action, "carry action forward",
                 {"due_on": due_on.isoformat()})
    return action


@transaction.atomic
def action_close(*, actor: User | None, action: Action, status: str, evidence: str,
                 on: dt.date) -> Action:
    """Complete an action (with its evidence) or drop it (with the reason)."""
    _require(actor, action)
    if action.status == status:
        return action  # closed so already: closing it again changes nothing
    if action.status != Action.Status.OPEN:
        raise ValidationError({"status": ["The action is already closed"]})
    if status not in (Action.Status.COMPLETE, Action.Status.DROPPED):
        raise ValidationError({"status": ["Choose complete or dropped"]})
    if not evidence.strip():
        raise ValidationError({"evidence": ["Enter the evidence the action is done, or why "
                                            "it was dropped"]})
    if on < action.raised_on:
        raise ValidationError({"on": ["An action cannot close before it was raised"]})
    action.status, action.evidence, action.closed_on = status, evidence.strip(), on
    action.save(update_fields=["status", "evidence", "closed_on"])
    audit_object(actor, AuditEvent.Action.UPDATE, action, "close action", {"status": status})
    return action


# Risk registers ---------------------------------------------------------------------------

@transaction.atomic
def register_open(*, actor: User | None, body: Body, name: str, kind: str,
                  opened_on: dt.date) -> RiskRegister:
    _require(actor, body)
    if kind not in RiskRegister.Kind.values:
        raise ValidationError({"kind": ["Choose strategic or temporary"]})
    if not name.strip():
        raise ValidationError({"name": ["Enter the register's name"]})
    register = RiskRegister.objects.create(partnership=body.partnership, body=body,
                                           name=name.strip(), kind=kind, opened_on=opened_on)
    audit_object(actor, AuditEvent.Action.CREATE, register, "open risk register")
    return register


@transaction.atomic
def register_close(*, actor: User | None, register: RiskRegister, on: dt.date,
                   reason: str) -> RiskRegister:
    """Close a register and its open risks, with the reason."""
    _require(actor, register)
    if register.closed_on:
        raise ValidationError({"on": ["The register is already closed"]})
    if not reason.strip():
        raise ValidationError({"reason": ["Enter why the register is closed"]})
    if on < register.opened_on:
        raise ValidationError({"on": ["A register cannot close before it opened"]})
    register.closed_on, register.closing_reason = on, reason.strip()
    register.save(update_fields=["closed_on", "closing_reason"])
    register.risks.filter(closed_on__isnull=True).update(
        closed_on=on, closing_reason=f"Register closed: {reason.strip()}")
    audit_object(actor, AuditEvent.Action.UPDATE, register, "close risk register")
    return register


def _check_scores(likelihood: int, impact: int, residual_likelihood: int,
                  residual_impact: int) -> None:
    errors: dict[str, list[str]] = {}
    for name, value in (("likelihood", likelihood), ("impact", impact),
                        ("residual_likelihood", residual_likelihood),
                        ("residual_impact", residual_impact)):
        if not 1 <= value <= 5:
            errors[name] = ["Score from 1 to 5"]
    if not errors and residual_likelihood * residual_impact > likelihood * impact:
        errors["residual_impact"] = ["The score after controls cannot be above the score "
                                     "before them"]
    if errors:
        raise ValidationError(errors)


@transaction.atomic
def risk_add(*, actor: User | None, register: RiskRegister, title: str, cause: str,
             consequence: str, owner: str, controls: str, likelihood: int, impact: int,
             residual_likelihood: int, residual_impact: int, review_on: dt.date,
             on: dt.date, owner_agency: Agency | None = None) -> Risk:
    _require(actor, register)
    if register.closed_on:
        raise ValidationError({"title": ["The register is closed"]})
    errors = {f: ["Enter the risk's " + f] for f, v in
              (("title", title), ("cause", cause), ("consequence", consequence),
               ("owner", owner)) if not v.strip()}
    if errors:
        raise ValidationError(errors)
    _check_scores(likelihood, impact, residual_likelihood, residual_impact)
    number = register.risks.count() + 1
    risk = Risk.objects.create(
        register=register, reference=f"R{number:02d}", title=title.strip(), cause=cause.strip(),
        consequence=consequence.strip(), owner=owner.strip(), owner_agency=owner_agency,
        controls=controls.strip(), likelihood=likelihood, impact=impact,
        residual_likelihood=residual_likelihood, residual_impact=residual_impact,
        review_on=review_on)
    RiskReview.objects.create(risk=risk, reviewed_on=on, likelihood=likelihood, impact=impact,
                              residual_likelihood=residual_likelihood,
                              residual_impact=residual_impact,
                              rag=config.rag(residual_likelihood * residual_impact),
                              note="First scored")
    audit_object(actor, AuditEvent.Action.CREATE, risk, "add risk")
    return risk


@transaction.atomic
def risk_review(*, actor: User | None, risk: Risk, on: dt.date, likelihood: int, impact: int,
                residual_likelihood: int, residual_impact: int, review_on: dt.date,
                controls: str | None = None, note: str = "") -> RiskReview:
    """Score a risk again; the earlier scores stay in its history."""
    _require(actor, risk)
    if risk.closed_on:
        raise ValidationError({"on": ["The risk is closed"]})
    last = risk.reviews.order_by("-reviewed_on").first()
    if last is not None and on < last.reviewed_on:
        raise ValidationError({"on": ["A review cannot be dated before the last one"]})
    if review_on <= on:
        raise ValidationError({"review_on": ["The next review must be after this one"]})
    _check_scores(likelihood, impact, residual_likelihood, residual_impact)
    risk.likelihood, risk.impact = likelihood, impact
    risk.residual_likelihood, risk.residual_impact = residual_likelihood, residual_impact
    risk.review_on = review_on
    if controls is not None:
        risk.controls = controls.strip()
    risk.save()
    review = RiskReview.objects.create(
        risk=risk, reviewed_on=on, likelihood=likelihood, impact=impact,
        residual_likelihood=residual_likelihood, residual_impact=residual_impact,
        rag=config.rag(residual_likelihood * residual_impact), note=note.strip())
    audit_object(actor, AuditEvent.Action.UPDATE, risk, "review risk",
                 {"score": risk.residual_score, "rag": review.rag})
    return review


@transaction.atomic
def risk_close(*, actor: User | None, risk: Risk, on: dt.date, reason: str) -> Risk:
    _require(actor, risk)
    if not reason.strip():
        raise ValidationError({"reason": ["Enter why the risk is closed"]})
    risk.closed_on, risk.closing_reason = on, reason.strip()
    risk.save(update_fields=["closed_on", "closing_reason"])
    audit_object(actor, AuditEvent.Action.UPDATE, risk, "close risk")
    return risk


@transaction.atomic
def risk_link_action(*, actor: User | None, risk: Risk, action: Action) -> Risk:
    _require(actor, risk)
    if action.partnership_id != risk.register.partnership_id:
        raise ValidationError({"action": ["The action is not in this partnership's log"]})
    risk.actions.add(action)
    audit_object(actor, AuditEvent.Action.UPDATE, risk, "link action to risk",
                 {"action": action.reference})
    return risk


# Priorities and the business plan ---------------------------------------------------------

def _require_partnership(actor: User | None, partnership: Partnership) -> None:
    if actor is not None and partnership.pk not in partnerships_at(actor, Level.EDIT):
        raise PermissionDenied


def _check_year(year: str) -> str:
    from safeguarding.measures.periods import PeriodError, parse

    text = (year or "").strip().replace("/", "-")
    try:
        period = parse(text)
    except PeriodError:
        period = None
    if period is None or period.kind != "year":
        raise ValidationError({"year": ["Enter the year like 2020-21"]})
    return period.label


@transaction.atomic
def priority_add(*, actor: User | None, partnership: Partnership, year: str, title: str,
                 key: str = "", summary: str = "", objectives: Iterable[str] = (),
                 lead_body: Body | None = None) -> Priority:
    """A priority of the year's business plan, with its objectives (one per line)."""
    from django.utils.text import slugify

    _require_partnership(actor, partnership)
    year = _check_year(year)
    title = (title or "").strip()
    if not title:
        raise ValidationError({"title": ["Enter the priority"]})
    key = slugify(key or title)[:60]
    if Priority.objects.filter(partnership=partnership, year=year, key=key).exists():
        raise ValidationError({"title": [f"The {year} plan already has this priority"]})
    if lead_body is not None and partnership.pk not in rules_partnerships(lead_body):
        raise ValidationError({"lead_body": ["The lead body must belong to the partnership"]})
    position = (Priority.objects.filter(partnership=partnership, year=year)
                .aggregate(top=Max("position"))["top"] or 0) + 1
    priority = Priority.objects.create(partnership=partnership, year=year, key=key,
                                       title=title, summary=(summary or "").strip(),
                                       position=position, lead_body=lead_body)
    for n, text in enumerate(t.strip() for t in objectives):
        if text:
            Objective.objects.create(priority=priority, text=text, position=n)
    audit_object(actor, AuditEvent.Action.CREATE, priority, "add a business plan priority",
                 {"year": year, "key": key})
    return priority


def rules_partnerships(body: Body) -> set[int]:
    from safeguarding.governance.rules import partnerships_of

    return partnerships_of(body)


@transaction.atomic
def objective_add(*, actor: User | None, priority: Priority, text: str) -> Objective:
    _require(actor, priority)
    text = (text or "").strip()
    if not text:
        raise ValidationError({"text": ["Enter the objective"]})
    position = (priority.objectives.aggregate(top=Max("position"))["top"] or 0) + 1
    objective = Objective.objects.create(priority=priority, text=text, position=position)
    audit_object(actor, AuditEvent.Action.CREATE, objective, "add a priority objective")
    return objective


@transaction.atomic
def commitment_add(*, actor: User | None, partnership: Partnership, year_made: str,
                   text: str, section: str = "", section_title: str = "",
                   priority: Priority | None = None, owner: User | None = None,
                   owner_agency: Agency | None = None, due_on: dt.date | None = None,
                   measure_key: str = "", action: Action | None = None,
                   made_in_report: int | None = None, position: int = 0) -> Commitment:
    _require_partnership(actor, partnership)
    year_made = _check_year(year_made)
    text = " ".join((text or "").split())
    if not text:
        raise ValidationError({"text": ["Enter the commitment"]})
    _check_links(partnership, priority, action, measure_key)
    commitment = Commitment.objects.create(
        partnership=partnership, year_made=year_made, text=text, section=section,
        section_title=section_title, priority=priority, owner=owner,
        owner_agency=owner_agency, due_on=due_on, measure_key=measure_key.strip(),
        action=action, made_in_report=made_in_report, position=position)
    audit_object(actor, AuditEvent.Action.CREATE, commitment, "add a commitment",
                 {"year_made": year_made, "section": section})
    return commitment


def _check_links(partnership, priority, action, measure_key: str) -> None:
    if priority is not None and priority.partnership_id != partnership.pk:
        raise ValidationError({"priority": ["The priority must be the partnership's own"]})
    if action is not None and partnership.pk not in rules_partnerships(action.body):
        raise ValidationError({"action": ["The action must be in the partnership's log"]})
    if measure_key:
        from safeguarding.measures.catalogue import catalogue

        if measure_key.strip() not in catalogue():
            raise ValidationError({"measure_key": ["No measure with that key in the "
                                                   "catalogue"]})


@transaction.atomic
def commitment_update(*, actor: User | None, commitment: Commitment, status: str,
                      evidence: str = "", owner: User | None = None,
                      owner_agency: Agency | None = None, due_on: dt.date | None = None,
                      measure_key: str = "", action: Action | None = None,
                      priority: Priority | None = None, on: dt.date | None = None
                      ) -> Commitment:
    """Set who owns a commitment, when it is due, what it is measured by, and its status.
    Kept and missed need evidence (what shows it, or why not)."""
    from django.utils import timezone

    _require(actor, commitment)
    if status not in Commitment.Status.values:
        raise ValidationError({"status": ["Choose a status"]})
    evidence = (evidence or "").strip()
    if status in (Commitment.Status.KEPT, Commitment.Status.MISSED) and not evidence:
        raise ValidationError({"evidence": ["Say what shows it was kept, or why it was "
                                            "missed"]})
    _check_links(commitment.partnership, priority, action, measure_key)
    closed = status in (Commitment.Status.KEPT, Commitment.Status.MISSED)
    commitment.status, commitment.evidence = status, evidence
    commitment.owner, commitment.owner_agency, commitment.due_on = owner, owner_agency, due_on
    commitment.measure_key, commitment.action = (measure_key or "").strip(), action
    commitment.priority = priority
    commitment.closed_on = (on or timezone.localdate()) if closed else None
    commitment.updated_at = timezone.now()
    commitment.save()
    audit_object(actor, AuditEvent.Action.UPDATE, commitment, "update a commitment",
                 {"status": status})
    return commitment


def commitments_from_report(*, actor: User | None, partnership: Partnership, year: str,
                            number: int, focus: list[tuple[str, str, list[str]]]) -> int:
    """A published report's focus blocks become the year's commitments. Republishing keeps
    the ones someone has worked on and replaces the untouched ones."""
    existing = {(c.section, c.text): c for c in Commitment.objects.filter(
        partnership=partnership, year_made=year, made_in_report__isnull=False)}
    made = 0
    priorities = {p.key: p for p in Priority.objects.filter(partnership=partnership,
                                                            year=year)}
    for section, title, lines in focus:
        for position, text in enumerate(lines):
            text = " ".join(text.split())
            found = existing.pop((section, text), None)
            if found is not None:
                found.position, found.made_in_report = position, number
                found.save(update_fields=["position", "made_in_report"])
                continue
            commitment = Commitment.objects.create(
                partnership=partnership, year_made=year, section=section,
                section_title=title, text=text, position=position, made_in_report=number,
                priority=priorities.get(section))
            audit_object(actor, AuditEvent.Action.CREATE, commitment,
                         "commitment made by the published yearly report",
                         {"year_made": year, "section": section, "report": number})
            made += 1
    for gone in existing.values():
        if not gone.touched:
            gone.delete()
    return made
