"""Reads for multi-agency case audits.

Audits, findings and grades name cases by reference only. A case's detail (the child) is
read through core.access (``case_get``): the business unit and the auditors of the
agencies with a return on the case only, every read audited. An audit of a partnership
the reader may not open is not found (404).
"""

from __future__ import annotations

import datetime as dt
from collections import Counter
from typing import Any

from django.db.models import Q, QuerySet
from django.http import Http404

from safeguarding.audits import config
from safeguarding.audits.models import (
    AgencyReturn,
    AgreedGrade,
    Audit,
    Case,
    Finding,
    Programme,
)
from safeguarding.audits.rules import auditor_agencies, managed, viewed
from safeguarding.children import selectors as children
from safeguarding.core import access
from safeguarding.core.audit import audit_append
from safeguarding.core.grammar import capitalised, counted
from safeguarding.core.models import AuditEvent, Partnership, User
from safeguarding.datasets import selectors as datasets

CASE_PURPOSE = "multi-agency audit case file"


# The population a sample is drawn from (ids only) ------------------------------------------

def year_span(year: int) -> tuple[dt.date, dt.date]:
    return dt.date(year, 4, 1), dt.date(year + 1, 3, 31)


def population_ids(audit: Audit) -> list[int]:
    """Sorted child index ids the audit's sample rule draws from: the partnership's children
    a taking-part agency has been involved with and, for ``cp_plan``, on a child protection
    plan of the category at some time in the programme year."""
    partnership = audit.programme.partnership
    agencies = {a.pk for a in audit.agencies.all()}
    involved = children.involved_children(partnership=partnership, agency_ids=agencies)
    if audit.population == "cp_plan":
        start, end = year_span(audit.programme.year)
        on_plan = datasets.children_on_plan(partnership=partnership,
                                            categories=[audit.category], start=start, end=end)
        return sorted(c for c in on_plan if c in involved)
    return sorted(involved)


# Audits ------------------------------------------------------------------------------------

def _visible_q(actor: User) -> Q:
    q = Q(programme__partnership_id__in=viewed(actor))
    for partnership_id, agency_ids in auditor_agencies(actor).items():
        q |= Q(programme__partnership_id=partnership_id, agencies__in=agency_ids)
    return q


def audits_for(actor: User) -> QuerySet[Audit]:
    return (Audit.objects.filter(pk__in=Audit.objects.filter(_visible_q(actor)).values("pk"))
            .select_related("programme__partnership").order_by("-planned_on", "reference"))


def programmes_for(actor: User) -> QuerySet[Programme]:
    ids = viewed(actor) | set(audits_for(actor).values_list("programme__partnership_id",
                                                             flat=True))
    return Programme.objects.filter(partnership_id__in=ids).select_related("partnership", "body")


def programme_get(*, actor: User, pk: int, managed_only: bool = False) -> Programme:
    """A programme the actor may read (``managed_only``: one the actor runs), else 404."""
    query = programmes_for(actor).filter(pk=pk)
    if managed_only:
        query = query.filter(partnership_id__in=managed(actor))
    found = query.first()
    if found is None:
        raise Http404("No such programme")
    return found


def audit_get(*, actor: User, pk: int, managed_only: bool = False) -> Audit:
    """An audit the actor may read (``managed_only``: one the actor runs), else 404."""
    query = audits_for(actor).filter(pk=pk)
    if managed_only:
        query = query.filter(programme__partnership_id__in=managed(actor))
    found = query.prefetch_related("agencies").first()
    if found is None:
        raise Http404("No such audit")
    return found


def case_get(*, actor: User, pk: int) -> Case:
    """One case with its child, through the door: checked and audited (the case and the
    child both get a row), or refused (audited too)."""
    case = (Case.objects.filter(pk=pk).select_related("audit__programme__partnership")
            .prefetch_related("returns__agency").first())
    if case is None or not audits_for(actor).filter(pk=case.audit_id).exists():
        raise Http404("No such case")
    access.read_one(actor=actor, obj=case, permission="audits.view_case", purpose=CASE_PURPOSE)
    [child] = children.children_for_door(ids=[case.child_id],
                                         partnership=case.audit.programme.partnership)
    audit_append(actor=actor, action=AuditEvent.Action.READ, object_type="children.child",
                 object_id=str(child.pk), purpose=CASE_PURPOSE)
    case.child_record = child  # type: ignore[attr-defined]
    return case


def case_for_moderation(*, actor: User, pk: int) -> Case:
    """A case for the moderation screen, for the business unit running its audit (404 for
    anyone else): the agencies' answers are case detail, so it is read through the door."""
    if not Case.objects.filter(pk=pk, audit__programme__partnership_id__in=managed(actor)
                               ).exists():
        raise Http404("No such case")
    return case_get(actor=actor, pk=pk)


def return_get(*, actor: User, pk: int) -> AgencyReturn:
    """An agency's return, for someone who may complete it (read through the door)."""
    found = (AgencyReturn.objects.filter(pk=pk)
             .select_related("case__audit__programme__partnership", "agency").first())
    if found is None or not audits_for(actor).filter(pk=found.case.audit_id).exists():
        raise Http404("No such return")
    return access.read_one(actor=actor, obj=found, permission="audits.edit_return",
                           purpose=CASE_PURPOSE)


def cases_of(audit: Audit) -> list[Case]:
    """The audit's cases by reference, with their returns' status: no child named."""
    return list(audit.cases.prefetch_related("returns__agency").order_by("number"))


def moderation_grid(case: Case) -> list[dict[str, Any]]:
    """Per section: each question with every agency's answer side by side, each agency's
    grade, and the agreed grade (the moderation screen)."""
    audit = case.audit
    returns = list(case.returns.select_related("agency").prefetch_related("answers", "grades")
                   .order_by("agency__name"))
    agreed = {g.section_id: g for g in case.agreed.all()}
    labels = dict(config.grades(audit.scale))
    sections = []
    for section in audit.sections.prefetch_related("questions"):
        rows = []
        for q in section.questions.all():
            rows.append({"question": q, "answers": [
                next((a.text for a in r.answers.all() if a.question_id == q.pk), "")
                for r in returns]})
        grades = [labels.get(next((g.grade for g in r.grades.all()
                                   if g.section_id == section.pk), ""), "") for r in returns]
        sections.append({"section": section, "rows": rows, "grades": grades,
                         "agreed": agreed.get(section.pk)})
    return [{"returns": returns, "sections": sections}]


def returns_owed(user: User, on: dt.date) -> list[AgencyReturn]:
    """Open returns the person's agencies owe (auditor seats), due date order."""
    q = Q(pk__in=[])
    for partnership_id, agency_ids in auditor_agencies(user).items():
        q |= Q(case__audit__programme__partnership_id=partnership_id, agency_id__in=agency_ids)
    return list(AgencyReturn.objects.filter(q, submitted_on__isnull=True,
                                            case__audit__status=Audit.Status.RETURNS_OPEN)
                .select_related("case__audit", "agency").order_by("due_on", "case__reference"))


def moderation_due(user: User) -> list[Audit]:
    """Audits of partnerships the person runs with every return in but cases unmoderated."""
    found = []
    for audit in Audit.objects.filter(programme__partnership_id__in=managed(user),
                                      status=Audit.Status.RETURNS_OPEN).order_by("returns_due"):
        if not AgencyReturn.objects.filter(case__audit=audit, submitted_on__isnull=True).exists():
            found.append(audit)
    return found


def re_audits_due(user: User, on: dt.date) -> list[Audit]:
    """Completed audits of partnerships the person runs whose re-audit is due within the
    configured warning and is not yet planned."""
    until = on + dt.timedelta(days=config.re_audit_warning_days())
    return list(Audit.objects.filter(programme__partnership_id__in=managed(user),
                                     status=Audit.Status.COMPLETE, re_audit_on__lte=until,
                                     re_audits__isnull=True).order_by("re_audit_on"))


def grade_distribution(audits) -> dict[str, int]:
    """Agreed grades by band (good or better, requires improvement, inadequate)."""
    counts: Counter[str] = Counter()
    for grade in AgreedGrade.objects.filter(case__audit__in=audits).select_related("case__audit"):
        counts[config.band(grade.case.audit.scale, grade.grade)] += 1
    return {key: counts[key] for key, _ in config.bands()}


def _span(period) -> tuple[dt.date, dt.date]:
    if isinstance(period, tuple):
        return period
    return period.start, period.end


def findings_for_theme(partnership: Partnership, theme_key: str, period) -> list[dict]:
    """The audits of a theme completed in a period (``period`` has ``start`` and ``end``, or
    is a (start, end) pair), each with its findings, agreed-grade distribution and re-audit
    date, and the same for the theme's audits of the year before - for a dashboard panel
    beside the measures. Aggregates and the sub-group's own words only: no case, no child."""
    start, end = _span(period)
    found = []
    audits = (Audit.objects.filter(programme__partnership=partnership, theme=theme_key,
                                   status=Audit.Status.COMPLETE,
                                   completed_on__range=(start - dt.timedelta(days=365), end))
              .order_by("completed_on"))
    for audit in audits:
        found.append({
            "reference": audit.reference, "title": audit.title, "theme": audit.theme,
            "completed_on": audit.completed_on, "re_audit_on": audit.re_audit_on,
            "in_period": bool(audit.completed_on and start <= audit.completed_on <= end),
            "cases": audit.cases.count(),
            "grades": grade_distribution([audit]),
            "findings": [{"kind": f.kind, "kind_label": dict(config.finding_kinds())[f.kind],
                          "text": f.text} for f in audit.findings.all()],
        })
    return found


def completed_in(partnership: Partnership, start: dt.date, end: dt.date) -> list[Audit]:
    return list(Audit.objects.filter(programme__partnership=partnership,
                                     status=Audit.Status.COMPLETE,
                                     completed_on__range=(start, end))
                .prefetch_related("findings").order_by("completed_on"))


def report_sentences(partnership: Partnership, period, figure) -> list[str]:
    """The yearly report's audit sentences for a Period, right for 0, 1 and many
    (core/grammar.py). How many audits were completed and planned is the measure engine's
    (``figure``, core.modules ``ReportText``), never counted again here; the cases they
    looked at and their findings come from the completed audits' records."""
    completed, planned = _engine_count(figure, "audits_completed"), _engine_count(
        figure, "audits_planned")
    audits = completed_in(partnership, period.start, period.end)
    lines = []
    if completed is not None and planned is not None:
        if not completed:
            return [f"No multi-agency case audit was completed in the year "
                    f"({counted(planned, 'audit', verb='was')} planned)."]
        cases = sum(a.cases.count() for a in audits)
        lines.append(f"{capitalised(counted(completed, 'multi-agency case audit', verb='was'))} "
                     f"completed{f', of {planned:,} planned' if planned else ''}, looking at "
                     f"{counted(cases, 'case')}.")
    kinds = dict(config.finding_kinds())
    for audit in audits:
        findings = list(audit.findings.all())
        text = "; ".join(f"{kinds[f.kind].lower()}: {f.text}" for f in findings)
        lines.append(f"The {config.theme_title(audit.theme).lower()} audit ({audit.reference}) "
                     f"found {counted(len(findings), 'thing')} to report - {text}."
                     if findings else f"The {audit.title} audit recorded no findings.")
    return lines


def _engine_count(figure, measure_id: str) -> int | None:
    """The engine's published count, or None where it has none (no data, or not recorded)."""
    found = figure(measure_id)
    return None if found is None or found.value is None else int(found.value)


def findings_of(audit: Audit) -> list[Finding]:
    return list(audit.findings.all())


def audit_actions(audit: Audit) -> list:
    """The governance actions the audit raised (governance's log holds them)."""
    return [link.action for link in audit.action_links.select_related("action__agency",
                                                                      "finding")]


# For the command line (no actor) ----------------------------------------------------------

def partnership_audits(partnership: Partnership) -> QuerySet[Audit]:
    return Audit.objects.filter(programme__partnership=partnership).order_by("planned_on",
                                                                              "reference")
