"""What governance answers through the module contract (core/modules.py) beyond frames:
the yearly report's priorities, its sub-group sections (a body's year), the commitments a
report made and their outcome, the compliance annex's independent scrutiny, the dashboard's
triangulation (open actions for a theme) and a person's home-page queue (commitments they
own due soon or overdue). It also makes the commitments when a report is published
(core.signals.report_published)."""

from __future__ import annotations

from django.db.models import Q
from django.urls import reverse

from safeguarding.core.grammar import counted
from safeguarding.core.modules import (
    BodySummary,
    CommitmentOutcome,
    EvidenceItem,
    HomeItem,
    PriorityView,
    TriangulationItem,
)
from safeguarding.governance import config, selectors, services
from safeguarding.governance.models import Action, Meeting


def _bodies(partnership):
    return selectors.partnership_bodies(partnership).order_by("kind", "name")


def report_priorities(partnership, year: str) -> list[PriorityView]:
    return [PriorityView(p.key, p.title, p.summary, tuple(o.text for o in p.objectives.all()),
                         reverse("governance:priority-detail", args=[p.pk]))
            for p in selectors.partnership_priorities(partnership, year)]


def report_commitments(partnership, year_made: str) -> list[CommitmentOutcome]:
    return [CommitmentOutcome(
        c.text, c.outcome, c.section_title, owner=(c.owner.get_full_name() or c.owner.username)
        if c.owner else (c.owner_agency.name if c.owner_agency else ""),
        due=c.due_on, evidence=c.evidence,
        url=reverse("governance:commitment-detail", args=[c.pk]))
        for c in selectors.partnership_commitments(partnership, year_made)]


def report_bodies(partnership, period) -> list[BodySummary]:
    found = []
    commitments = selectors.partnership_commitments(partnership, period.previous().label)
    for body in _bodies(partnership):
        year = selectors.body_year(body, period.start, period.end)
        section = config.report_section_for(body.name)
        led = [c for c in commitments if c.section and c.section == section]
        found.append(BodySummary(
            body.name, section, year["held"], year["quorate"], tuple(year["attendance"]),
            tuple(year["decisions"]),
            commitments_kept=sum(1 for c in led if c.outcome == "kept"),
            commitments_missed=sum(1 for c in led if c.outcome == "missed"),
            commitments_open=sum(1 for c in led if c.outcome == "in_progress"),
            url=reverse("governance:body-detail", args=[body.pk])))
    return found


def report_evidence(partnership, period) -> dict[str, EvidenceItem]:
    """Independent scrutiny: meetings of the scrutiny body held in the year, with decisions
    (its findings) recorded."""
    bodies = [b for b in _bodies(partnership) if config.is_scrutiny_body(b.name)]
    title = "Independent scrutiny"
    if not bodies:
        return {"independent_scrutiny": EvidenceItem(
            title, False, "No scrutiny body is recorded for the partnership.",
            reverse("governance:home"))}
    body = bodies[0]
    meetings = Meeting.objects.filter(body__in=bodies, held=True, held_on__gte=period.start,
                                      held_on__lte=period.end)
    decisions = sum(m.decisions.count() for m in meetings)
    held = meetings.count()
    detail = (f"{body.name} held {counted(held, 'meeting')} and recorded "
              f"{counted(decisions, 'finding')} (decisions) in {period.label}.")
    return {"independent_scrutiny": EvidenceItem(
        title, held > 0 and decisions > 0, detail,
        reverse("governance:body-detail", args=[body.pk]))}


def triangulation(partnership, theme_key: str, period) -> list[TriangulationItem]:
    """Open actions in the log for the theme: those behind a commitment of a priority of
    the theme, and those whose title or body names it (for the governance theme: every
    overdue one)."""
    word = theme_key.replace("_", " ").lower()
    bodies = _bodies(partnership)
    open_actions = Action.objects.filter(body__in=bodies, status=Action.Status.OPEN)
    if theme_key == "governance":
        found = open_actions.filter(due_on__lt=period.end)
    else:
        found = open_actions.filter(
            Q(title__icontains=word) | Q(body__name__icontains=word)
            | Q(commitments__priority__key__in=[theme_key, theme_key.replace("_", "-")]))
    items = []
    for action in found.select_related("agency").distinct().order_by("due_on")[:20]:
        late = action.due_on < period.end
        items.append(TriangulationItem(
            "action", f"{action.reference}: {action.title}",
            f"Owned by {action.agency.name}, due {action.due_on:%-d %B %Y}"
            + (" (overdue)" if late else ""),
            reverse("governance:action-detail", args=[action.pk]),
            grade="red" if late else "amber"))
    return items


def home_items(user) -> list[HomeItem]:
    """Open commitments the person owns, due within the configured days or overdue."""
    from django.utils import timezone

    today = timezone.localdate()
    return [HomeItem(
        "action", f"Commitment ({c.year_made}): {c.text[:80]}",
        reverse("governance:commitment-detail", args=[c.pk]), due=c.due_on,
        overdue=c.due_on is not None and c.due_on < today,
        detail=c.section_title or "Business plan")
        for c in selectors.commitments_owned_due(user, today,
                                                 config.commitments_due_soon_days())]


def on_report_published(sender, *, partnership, year, number, actor, focus, **kwargs) -> None:
    services.commitments_from_report(actor=actor, partnership=partnership, year=year,
                                     number=number, focus=focus)
