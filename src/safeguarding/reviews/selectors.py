"""Every read of the app. Records naming a child leave here only through core.access."""

from __future__ import annotations

import datetime as dt
from collections import Counter
from dataclasses import dataclass, field
from typing import TYPE_CHECKING

from django.core.exceptions import PermissionDenied
from django.db.models import Prefetch, Q, QuerySet
from django.http import Http404

from safeguarding.children import selectors as child_selectors
from safeguarding.core import access
from safeguarding.core.models import Agency, Partnership, User
from safeguarding.measures.periods import Period, parse_financial_year
from safeguarding.reviews import steps as step_builders
from safeguarding.reviews.clocks import Status, Workflow
from safeguarding.reviews.models import (
    Action,
    ActionStatus,
    Decision,
    Finding,
    LearningEvent,
    PracticeReview,
    RapidReview,
    Recommendation,
    SeriousIncident,
    Theme,
)
from safeguarding.reviews.rules import Level, review_access

if TYPE_CHECKING:
    from safeguarding.children.models import Child


def _partnerships(actor: User, at_least: Level) -> set[int]:
    return review_access(actor).partnerships(at_least)


def readable_partnerships(*, actor: User, at_least: Level = Level.SUMMARY) -> QuerySet:
    return Partnership.objects.filter(pk__in=_partnerships(actor, at_least)).order_by("name")


def incident_list(*, actor: User, partnership: Partnership | None = None,
                  financial_year: str = "", open_only: bool = False) -> QuerySet:
    """Incidents the actor may at least summarise; no child is loaded."""
    incidents = SeriousIncident.objects.filter(
        partnership_id__in=_partnerships(actor, Level.SUMMARY)
    ).select_related("partnership", "rapid_review")
    if partnership is not None:
        incidents = incidents.filter(partnership=partnership)
    if financial_year:
        year = parse_financial_year(financial_year)
        incidents = incidents.filter(aware_on__gte=year.start, aware_on__lte=year.end)
    if open_only:
        incidents = incidents.filter(Q(notification_sent_on__isnull=True)
                                     | Q(rapid_review__completed_on__isnull=True))
    return incidents.order_by("-aware_on", "-pk")


def incident_get(*, actor: User, pk: int, purpose: str) -> tuple[SeriousIncident, bool]:
    """One incident, audited; the flag says whether the actor may read it in full.

    Those who may read only a summary (board members) get the same record, and the
    pages and the API leave out the children, the chronology and the returns.
    """
    incident = (SeriousIncident.objects.select_related("partnership")
                .prefetch_related("themes", "practice_reviews").filter(pk=pk).first())
    if incident is None:
        raise Http404("No such serious incident")
    full = actor.has_perm("reviews.view_record", incident)
    access.read_one(actor=actor, obj=incident,
                    permission="reviews.view_record" if full else "reviews.view_summary",
                    purpose=purpose if full else f"{purpose} (summary)")
    return incident, full


def incident_children(*, actor: User, incident: SeriousIncident, purpose: str) -> list[Child]:
    """The children an incident names, each read through the audited door."""
    children = child_selectors.with_involvements(incident.children.all())
    return access.read_many(actor=actor, objects=children, permission="reviews.view_child",
                            purpose=purpose)


def child_identifiers(*, actor: User, incident: SeriousIncident, purpose: str) -> list[str]:
    """The identifiers to show in the edit form, read through the door like the names."""
    found = []
    for child in incident_children(actor=actor, incident=incident, purpose=purpose):
        if child.la_child_id and child.local_authority is not None:
            # Qualified by the LA's old code: two areas may use the same LA child ID.
            found.append(f"{child.local_authority.old_code}/{child.la_child_id}")
        else:
            found.append(child.nhs_number)
    return found


def _rapid_review(incident: SeriousIncident):
    return getattr(incident, "rapid_review", None)


def rapid_review_detail(*, incident: SeriousIncident) -> dict:
    review = _rapid_review(incident)
    if review is None:
        return {"review": None}
    return {
        "review": review,
        "returns": list(review.agency_returns.select_related("agency")),
        "chronology": list(review.chronology.select_related("agency")),
        "findings": list(_findings(review.findings.all())),
        "learning_events": list(review.learning_events.all()),
    }


def _findings(findings: QuerySet[Finding]) -> QuerySet[Finding]:
    return findings.prefetch_related(
        "themes",
        Prefetch("recommendations", queryset=Recommendation.objects.prefetch_related(
            Prefetch("actions", queryset=Action.objects.select_related("owner_agency")))))


def practice_review_list(*, actor: User, partnership: Partnership | None = None,
                         kind: str = "") -> QuerySet:
    reviews = PracticeReview.objects.filter(
        partnership_id__in=_partnerships(actor, Level.SUMMARY)).select_related("partnership")
    if partnership is not None:
        reviews = reviews.filter(partnership=partnership)
    if kind:
        reviews = reviews.filter(kind=kind)
    return reviews.order_by("-decided_on", "-pk")


def practice_review_get(*, actor: User, pk: int) -> PracticeReview:
    review = (PracticeReview.objects.select_related("partnership")
              .prefetch_related("themes", "incidents", "learning_events").filter(pk=pk).first())
    if review is None:
        raise Http404("No such practice review")
    if not actor.has_perm("reviews.view_summary", review):
        raise PermissionDenied
    return review


def practice_review_findings(*, review: PracticeReview) -> list[Finding]:
    return list(_findings(review.findings.all()))


def incidents_for_choice(*, actor: User, partnership_ids: set[int]) -> QuerySet:
    return SeriousIncident.objects.filter(partnership_id__in=partnership_ids).select_related(
        "partnership").order_by("-aware_on")


def action_list(*, actor: User, on: dt.date, overdue_only: bool = False,
                agency: Agency | None = None, status: str = "") -> QuerySet:
    """Actions the actor may see: their partnerships' and those their agency owns."""
    rights = review_access(actor)
    actions = Action.objects.filter(
        Q(partnership_id__in=rights.partnerships(Level.SUMMARY)) | _owned_actions(rights)
    ).select_related("owner_agency", "partnership", "recommendation__finding__practice_review",
                     "recommendation__finding__rapid_review__incident")
    if overdue_only:
        actions = actions.exclude(status=ActionStatus.DONE).filter(due_on__lt=on)
    if agency is not None:
        actions = actions.filter(owner_agency=agency)
    if status:
        actions = actions.filter(status=status)
    return actions.order_by("due_on", "pk")


def action_get(*, actor: User, pk: int) -> Action:
    action = (Action.objects.select_related(
        "owner_agency", "partnership", "recommendation__finding__practice_review",
        "recommendation__finding__rapid_review__incident").filter(pk=pk).first())
    if action is None:
        raise Http404("No such action")
    if not actor.has_perm("reviews.view_action", action):
        raise PermissionDenied
    return action


def _owned_actions(rights) -> Q:
    """Actions owned by one of the user's (partnership, agency) seats."""
    owned = Q(pk__in=[])
    for partnership_id, agency_id in rights.action_seats:
        owned |= Q(partnership_id=partnership_id, owner_agency_id=agency_id)
    return owned


def action_agencies(*, actor: User) -> QuerySet:
    rights = review_access(actor)
    return Agency.objects.filter(
        Q(partnerships__in=rights.partnerships(Level.SUMMARY))
        | Q(pk__in={agency_id for _, agency_id in rights.action_seats})
    ).distinct().order_by("name")


@dataclass
class DueBoard:
    on: dt.date
    week_start: dt.date
    week_end: dt.date
    overdue: list[dict] = field(default_factory=list)
    this_week: list[dict] = field(default_factory=list)
    by_workflow: list[dict] = field(default_factory=list)
    by_agency: list[dict] = field(default_factory=list)


def due_board(*, actor: User, on: dt.date) -> DueBoard:
    """What is overdue and what falls due this week (Monday to Sunday), counted per
    workflow and per agency."""
    rights = review_access(actor)
    week_start = on - dt.timedelta(days=on.weekday())
    board = DueBoard(on=on, week_start=week_start, week_end=week_start + dt.timedelta(days=6))
    memo: dict = {}
    open_steps = step_builders.open_steps(
        partnership_ids=rights.partnerships(Level.SUMMARY),
        action_seats=rights.action_seats)
    workflow_counts: Counter = Counter()
    agency_counts: Counter = Counter()
    for step in open_steps:
        status = step.status(on, memo)
        if status == Status.OVERDUE:
            board.overdue.append(step.view(on, memo))
            workflow_counts[(step.workflow, "overdue")] += 1
            agency_counts[(step.responsible, "overdue")] += 1
        elif step.due_on is not None and board.week_start <= step.due_on <= board.week_end:
            board.this_week.append(step.view(on, memo))
            workflow_counts[(step.workflow, "this_week")] += 1
            agency_counts[(step.responsible, "this_week")] += 1
    board.by_workflow = [
        {"workflow": Workflow.LABELS[w], "overdue": workflow_counts[(w, "overdue")],
         "this_week": workflow_counts[(w, "this_week")]}
        for w in Workflow.ORDER
        if workflow_counts[(w, "overdue")] or workflow_counts[(w, "this_week")]
    ]
    names = sorted({name for name, _ in agency_counts})
    board.by_agency = [{"agency": name, "overdue": agency_counts[(name, "overdue")],
                        "this_week": agency_counts[(name, "this_week")]} for name in names]
    return board


def learning_list(*, actor: User) -> QuerySet:
    return LearningEvent.objects.filter(
        partnership_id__in=_partnerships(actor, Level.SUMMARY)
    ).select_related("partnership").prefetch_related(
        "practice_reviews", "rapid_reviews__incident", "reach__agency")


def practice_reviews_for_choice(*, partnership_ids: set[int]) -> QuerySet:
    return PracticeReview.objects.filter(partnership_id__in=partnership_ids).order_by(
        "-decided_on")


def theme_list(*, active_only: bool = False) -> QuerySet:
    themes = Theme.objects.all()
    return themes.filter(active=True) if active_only else themes


def theme_list_for(*, actor) -> QuerySet:
    """The themes a theme manager looks after or uses: the national list and their own."""
    from safeguarding.reviews.rules import review_access

    access = review_access(actor)
    themes = Theme.objects.select_related("partnership")
    if access.manages_all_themes:
        return themes
    return themes.filter(Q(partnership__isnull=True)
                         | Q(partnership_id__in=access.theme_partnerships))


# The scope of a partnership's figures ---------------------------------------------

def incidents_in_scope(partnership: Partnership) -> QuerySet:
    """The serious incidents the partnership owns and, where another partnership hosts its
    practice-review coordination, the host's incidents involving its children."""
    ids = SeriousIncident.objects.filter(
        Q(partnership=partnership) | Q(children__partnership=partnership)
    ).values("pk")
    return SeriousIncident.objects.filter(pk__in=ids)


def practice_reviews_in_scope(partnership: Partnership) -> QuerySet:
    ids = PracticeReview.objects.filter(
        Q(partnership=partnership) | Q(incidents__children__partnership=partnership)
    ).values("pk")
    return PracticeReview.objects.filter(pk__in=ids)


def actions_in_scope(partnership: Partnership) -> QuerySet:
    incidents = incidents_in_scope(partnership).values("pk")
    reviews = practice_reviews_in_scope(partnership).values("pk")
    return Action.objects.filter(
        Q(partnership=partnership)
        | Q(recommendation__finding__practice_review__in=reviews)
        | Q(recommendation__finding__rapid_review__incident__in=incidents))


def yearly_tables(partnership: Partnership, period: Period) -> dict:
    """The breakdowns the yearly summary shows beside the engine's counts: rapid reviews
    started in the year by the children's partnership and by decision, and the themes of
    the incidents the local authority became aware of in the year."""
    incidents = incidents_in_scope(partnership)
    rapid = RapidReview.objects.filter(incident__in=incidents, started_on__gte=period.start,
                                       started_on__lte=period.end)
    by_children: Counter[str] = Counter()
    for review in rapid.prefetch_related("incident__children__partnership"):
        names = sorted({c.partnership.name for c in review.incident.children.all()})
        by_children[" and ".join(names) or "No child recorded"] += 1
    decisions = Counter(rapid.exclude(decision="").values_list("decision", flat=True))
    themes = Counter(Theme.objects.filter(
        incidents__in=incidents.filter(aware_on__gte=period.start, aware_on__lte=period.end)
    ).values_list("name", flat=True))
    return {
        "rapid_reviews_by_childrens_partnership": dict(sorted(by_children.items())),
        "decisions": {Decision(k).label: v for k, v in sorted(decisions.items())},
        "themes": dict(themes.most_common()),
    }
