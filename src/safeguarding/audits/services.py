"""Writes for multi-agency case audits: the programme, an audit with its question set, the
random draw of its sample (seed kept), the agencies' returns, moderation, findings, the
action plan (in governance's one action log) and completion with a re-audit date.

Every write checks the actor's permission (``actor=None`` is the command line and the demo)
and appends an audit row.
"""

from __future__ import annotations

import datetime as dt
import hashlib
import random
import secrets
from collections.abc import Iterable, Mapping

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction

from safeguarding.audits import config, selectors
from safeguarding.audits.models import (
    AgencyReturn,
    AgreedGrade,
    Answer,
    Audit,
    AuditAction,
    Case,
    Finding,
    Programme,
    Question,
    Section,
    SectionGrade,
)
from safeguarding.audits.rules import managed
from safeguarding.core.audit import audit_object
from safeguarding.core.calendar import add_working_days
from safeguarding.core.models import Agency, AuditEvent, Partnership, User
from safeguarding.core.rules import partnership_require
from safeguarding.governance import services as governance

SEED_BITS = 48


# The programme and its audits -------------------------------------------------------------

@transaction.atomic
def programme_add(*, actor: User | None, partnership: Partnership, year: int, title: str = "",
                  body=None) -> Programme:
    partnership_require(actor, partnership.pk, managed)
    if body is not None and partnership.pk not in {
            body.partnership_id, *body.joint_with.values_list("pk", flat=True)}:
        raise ValidationError({"body": ["The sub-group must be one of the partnership's"]})
    if Programme.objects.filter(partnership=partnership, year=year).exists():
        raise ValidationError({"year": [f"{partnership.name} already has a programme for "
                                        f"{year}-{(year + 1) % 100:02d}"]})
    programme = Programme.objects.create(
        partnership=partnership, year=year, body=body,
        title=title.strip() or f"Multi-agency audit programme {year}-{(year + 1) % 100:02d}")
    audit_object(actor, AuditEvent.Action.CREATE, programme, "add audit programme")
    return programme


@transaction.atomic
def audit_add(*, actor: User | None, programme: Programme, title: str, theme: str,
              terms_of_reference: str, scale: str, planned_on: dt.date, population: str,
              sample_size: int, agencies: Iterable[Agency], category: str = "",
              follows: Audit | None = None, question_set: str | None = None) -> Audit:
    """Plan an audit: its terms of reference, grading scale, sample rule and the agencies
    taking part; its question set is copied from configuration (the theme's, else the
    general one) and may then be changed for this audit."""
    partnership_require(actor, programme.partnership_id, managed)
    agencies = list(agencies)
    errors: dict[str, list[str]] = {}
    if not title.strip():
        errors["title"] = ["Enter the audit's title"]
    if theme not in dict(config.themes()):
        errors["theme"] = ["Choose a theme"]
    if not terms_of_reference.strip():
        errors["terms_of_reference"] = ["Enter the audit's terms of reference"]
    if scale not in dict(config.scales()):
        errors["scale"] = ["Choose a grading scale"]
    if population not in dict(config.populations()):
        errors["population"] = ["Choose where the sample is drawn from"]
    elif population == "cp_plan" and category not in dict(config.plan_categories()):
        errors["category"] = ["Choose the category of the child protection plan"]
    if not 1 <= sample_size <= 100:
        errors["sample_size"] = ["The sample is from 1 to 100 cases"]
    if not agencies:
        errors["agencies"] = ["Choose the agencies taking part"]
    elif any(not a.partnerships.filter(pk=programme.partnership_id).exists() for a in agencies):
        errors["agencies"] = ["Each agency must be one of the partnership's"]
    if follows is not None and follows.programme.partnership_id != programme.partnership_id:
        errors["follows"] = ["A re-audit follows an audit of the same partnership"]
    if errors:
        raise ValidationError(errors)
    number = Audit.objects.filter(programme__partnership_id=programme.partnership_id).count() + 1
    audit = Audit.objects.create(
        programme=programme, reference=f"MAA-{programme.label}-{number:02d}", title=title.strip(),
        theme=theme, terms_of_reference=terms_of_reference.strip(), scale=scale,
        planned_on=planned_on, population=population,
        category=category if population == "cp_plan" else "", sample_size=sample_size,
        follows=follows)
    audit.agencies.set(agencies)
    for n, spec in enumerate(config.question_set(question_set or theme), start=1):
        section = Section.objects.create(audit=audit, order=n, key=spec["key"],
                                         title=spec["title"])
        Question.objects.bulk_create(Question(section=section, order=i, text=text)
                                     for i, text in enumerate(spec["questions"], start=1))
    audit_object(actor, AuditEvent.Action.CREATE, audit, "plan multi-agency audit",
                 {"theme": theme, "sample_size": sample_size})
    return audit


@transaction.atomic
def question_add(*, actor: User | None, audit: Audit, section: Section, text: str) -> Question:
    partnership_require(actor, audit.programme.partnership_id, managed)
    if audit.status != Audit.Status.PLANNED:
        raise ValidationError({"text": ["Questions change only before the sample is drawn"]})
    if section.audit_id != audit.pk:
        raise ValidationError({"section": ["The section is not this audit's"]})
    if not text.strip():
        raise ValidationError({"text": ["Enter the question"]})
    question = Question.objects.create(section=section, order=section.questions.count() + 1,
                                       text=text.strip()[:500])
    audit_object(actor, AuditEvent.Action.CREATE, question, "add audit question")
    return question


# The draw ---------------------------------------------------------------------------------

def digest(ids: list[int]) -> str:
    return hashlib.sha256(",".join(str(i) for i in ids).encode()).hexdigest()


def draw(population: list[int], size: int, seed: int) -> list[int]:
    """The sample: ``size`` ids drawn at random from the sorted population with ``seed``
    (Python's Mersenne Twister, ``random.Random(seed).sample``), so anyone with the same
    population and seed draws the same cases in the same order."""
    return random.Random(seed).sample(sorted(population), min(size, len(population)))


@transaction.atomic
def sample_draw(*, actor: User | None, audit: Audit, on: dt.date,
                seed: int | None = None) -> list[Case]:
    """Draw the audit's cases at random within its theme's population; keep the seed, the
    population's size and digest so the draw can be repeated and checked. Each case gets a
    return from each agency taking part (each checks its own records of the child)."""
    partnership_require(actor, audit.programme.partnership_id, managed)
    if audit.status != Audit.Status.PLANNED:
        raise ValidationError({"seed": ["The sample is already drawn"]})
    population = selectors.population_ids(audit)
    if not population:
        raise ValidationError({"seed": ["No child matches the sample rule"]})
    seed = secrets.randbits(SEED_BITS) if seed is None else seed
    chosen = draw(population, audit.sample_size, seed)
    agencies = sorted(a.pk for a in audit.agencies.all())
    cases = []
    for n, child_id in enumerate(chosen, start=1):
        case = Case.objects.create(audit=audit, number=n, child_id=child_id,
                                   reference=f"{audit.reference}-C{n:02d}")
        AgencyReturn.objects.bulk_create(AgencyReturn(case=case, agency_id=agency_id)
                                         for agency_id in agencies)
        cases.append(case)
    audit.seed, audit.population_size = seed, len(population)
    audit.population_digest, audit.drawn_on, audit.drawn_by = digest(population), on, actor
    audit.status = Audit.Status.SAMPLED
    audit.save()
    audit_object(actor, AuditEvent.Action.CREATE, audit, "draw audit sample",
                 {"seed": seed, "population": len(population), "cases": len(cases)})
    return cases


def sample_check(audit: Audit) -> dict:
    """Draw again with the kept seed: whether the population is unchanged and the same cases
    come out (ids only, nothing identifiable)."""
    population = selectors.population_ids(audit)
    drawn = list(audit.cases.order_by("number").values_list("child_id", flat=True))
    again = draw(population, audit.sample_size, audit.seed) if audit.seed is not None else []
    return {"seed": audit.seed, "population_same": digest(population) == audit.population_digest,
            "population_size": len(population), "same_cases": again == drawn,
            "cases": len(drawn)}


@transaction.atomic
def returns_open(*, actor: User | None, audit: Audit, on: dt.date,
                 working_days: int | None = None) -> Audit:
    """Send the returns to the agencies, due a configured number of working days on."""
    partnership_require(actor, audit.programme.partnership_id, managed)
    if audit.status != Audit.Status.SAMPLED:
        raise ValidationError({"on": ["Returns open once the sample is drawn"]})
    days = config.returns_working_days() if working_days is None else working_days
    due = add_working_days(on, days)
    AgencyReturn.objects.filter(case__audit=audit).update(due_on=due)
    audit.returns_opened_on, audit.returns_due = on, due
    audit.status = Audit.Status.RETURNS_OPEN
    audit.save(update_fields=["returns_opened_on", "returns_due", "status"])
    audit_object(actor, AuditEvent.Action.UPDATE, audit, "open audit returns",
                 {"due": due.isoformat()})
    return audit


# Returns ----------------------------------------------------------------------------------

@transaction.atomic
def return_save(*, actor: User | None, agency_return: AgencyReturn, answers: Mapping[int, str],
                grades: Mapping[int, str], good_practice: str = "", development: str = "",
                recommendations: str = "", auditor: str = "", submit: bool = False,
                on: dt.date | None = None) -> AgencyReturn:
    """Save an agency's return (answers by question id, grades by section id); ``submit``
    requires every question answered and every section graded. A submitted return is kept."""
    if actor is not None and not actor.has_perm("audits.edit_return", agency_return):
        raise PermissionDenied
    audit = agency_return.case.audit
    if agency_return.submitted_on is not None:
        raise ValidationError({"submit": ["This return was submitted; it cannot change"]})
    if audit.status != Audit.Status.RETURNS_OPEN:
        raise ValidationError({"submit": ["The audit's returns are not open"]})
    sections = {s.pk: s for s in audit.sections.prefetch_related("questions")}
    questions = {q.pk for s in sections.values() for q in s.questions.all()}
    valid_grades = dict(config.grades(audit.scale))
    errors: dict[str, list[str]] = {}
    if set(answers) - questions:
        errors["answers"] = ["An answer is to a question not in this audit"]
    if set(grades) - set(sections):
        errors["grades"] = ["A grade is for a section not in this audit"]
    if any(g and g not in valid_grades for g in grades.values()):
        errors["grades"] = [f"Grades are one of {', '.join(valid_grades.values())}"]
    answered = {q for q, t in answers.items() if t and t.strip()}
    graded = {s for s, g in grades.items() if g}
    if submit:
        if answered != questions:
            errors["answers"] = ["Answer every question before submitting"]
        if graded != set(sections):
            errors["grades"] = ["Grade every section before submitting"]
        if not on:
            errors["submit"] = ["Give the day the return is submitted"]
    if errors:
        raise ValidationError(errors)
    for question_id, text in answers.items():
        Answer.objects.update_or_create(agency_return=agency_return, question_id=question_id,
                                        defaults={"text": (text or "").strip()})
    for section_id, grade in grades.items():
        if grade:
            SectionGrade.objects.update_or_create(agency_return=agency_return,
                                                  section_id=section_id,
                                                  defaults={"grade": grade})
    agency_return.good_practice = good_practice.strip()
    agency_return.development = development.strip()
    agency_return.recommendations = recommendations.strip()
    agency_return.auditor = auditor.strip()[:200]
    if submit:
        agency_return.submitted_on, agency_return.submitted_by = on, actor
    agency_return.save()
    audit_object(actor, AuditEvent.Action.UPDATE, agency_return,
                 "submit audit return" if submit else "save audit return")
    return agency_return


# Moderation -------------------------------------------------------------------------------

@transaction.atomic
def moderation_record(*, actor: User | None, case: Case, grades: Mapping[int, str],
                      on: dt.date, notes: Mapping[int, str] | None = None) -> Case:
    """Record the grades the moderation agreed for each section of a case. The audit is
    moderated when every case is."""
    audit = case.audit
    partnership_require(actor, audit.programme.partnership_id, managed)
    if audit.status not in (Audit.Status.RETURNS_OPEN, Audit.Status.MODERATED):
        raise ValidationError({"grades": ["Moderation follows the agencies' returns"]})
    if not case.returns.filter(submitted_on__isnull=False).exists():
        raise ValidationError({"grades": ["No agency has submitted its return for this case"]})
    sections = {s.pk for s in audit.sections.all()}
    valid = dict(config.grades(audit.scale))
    if set(grades) != sections or any(g not in valid for g in grades.values()):
        raise ValidationError({"grades": ["Agree a grade for every section"]})
    notes = notes or {}
    for section_id, grade in grades.items():
        AgreedGrade.objects.update_or_create(
            case=case, section_id=section_id,
            defaults={"grade": grade, "note": (notes.get(section_id) or "").strip(),
                      "agreed_on": on})
    case.moderated_on = on
    case.save(update_fields=["moderated_on"])
    if not audit.cases.filter(moderated_on__isnull=True).exists():
        audit.status, audit.moderated_on = Audit.Status.MODERATED, on
        audit.save(update_fields=["status", "moderated_on"])
    audit_object(actor, AuditEvent.Action.UPDATE, case, "record agreed grades",
                 {"sections": len(grades)})
    return case


# Findings, the action plan and completion ---------------------------------------------------

@transaction.atomic
def finding_add(*, actor: User | None, audit: Audit, kind: str, text: str) -> Finding:
    partnership_require(actor, audit.programme.partnership_id, managed)
    errors = {}
    if kind not in dict(config.finding_kinds()):
        errors["kind"] = ["Choose good practice, an area for development or a theme"]
    if not text.strip():
        errors["text"] = ["Enter the finding"]
    if errors:
        raise ValidationError(errors)
    finding = Finding.objects.create(audit=audit, kind=kind, text=text.strip())
    audit_object(actor, AuditEvent.Action.CREATE, finding, "add audit finding")
    return finding


@transaction.atomic
def action_raise(*, actor: User | None, audit: Audit, title: str, owner: str, agency: Agency,
                 due_on: dt.date, raised_on: dt.date, finding: Finding | None = None):
    """An action of the audit's plan, added to governance's one action log under the
    programme's sub-group, and linked to the audit (and the finding behind it)."""
    partnership_require(actor, audit.programme.partnership_id, managed)
    body = audit.programme.body
    if body is None:
        raise ValidationError({"title": ["The programme has no sub-group whose action log "
                                         "would hold the action; set one first"]})
    if finding is not None and finding.audit_id != audit.pk:
        raise ValidationError({"finding": ["The finding is not this audit's"]})
    action = governance.action_add(
        actor=actor, body=body, title=f"{title.strip()} ({audit.reference})" if title.strip()
        else "", owner=owner, agency=agency, due_on=due_on, raised_on=raised_on)
    link = AuditAction.objects.create(audit=audit, finding=finding, action=action)
    audit_object(actor, AuditEvent.Action.CREATE, link, "add audit action",
                 {"action": action.reference})
    return action


@transaction.atomic
def audit_complete(*, actor: User | None, audit: Audit, on: dt.date,
                   re_audit_on: dt.date | None, summary: str = "") -> Audit:
    """Sign the audit off: moderated, with findings, and a re-audit date (or none)."""
    partnership_require(actor, audit.programme.partnership_id, managed)
    errors = {}
    if audit.status != Audit.Status.MODERATED:
        errors["on"] = ["An audit is complete once every case is moderated"]
    elif not audit.findings.exists():
        errors["summary"] = ["Record the audit's findings first"]
    if re_audit_on is not None and re_audit_on <= on:
        errors["re_audit_on"] = ["The re-audit date must be after the audit is complete"]
    if errors:
        raise ValidationError(errors)
    audit.status, audit.completed_on, audit.re_audit_on = Audit.Status.COMPLETE, on, re_audit_on
    audit.summary = summary.strip()
    audit.save(update_fields=["status", "completed_on", "re_audit_on", "summary"])
    audit_object(actor, AuditEvent.Action.UPDATE, audit, "complete multi-agency audit")
    return audit
