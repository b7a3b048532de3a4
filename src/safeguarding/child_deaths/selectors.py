"""Reads of child death records. Every record leaves here through core.access, audited."""

from __future__ import annotations

import datetime as dt
from collections import Counter

from django.db.models import Prefetch, Q, QuerySet
from django.http import Http404
from django.utils import timezone

from safeguarding.child_deaths.models import (
    ChildDeath,
    InformationRequest,
    ReviewFactor,
    Theme,
)
from safeguarding.child_deaths.rules import case_partnerships
from safeguarding.core import access
from safeguarding.core.models import AuditEvent, Partnership, User
from safeguarding.measures.periods import Period, parse_financial_year


def _with_everything(cases: QuerySet[ChildDeath]) -> QuerySet[ChildDeath]:
    return cases.select_related(
        "partnership",
        "child",
        "notifying_agency",
        "review",
        "jar__key_worker_agency",
    ).prefetch_related(
        Prefetch(
            "information_requests",
            queryset=InformationRequest.objects.select_related("agency").prefetch_related(
                "reminders"
            ),
        ),
        "jar__agencies",
        Prefetch("review__factors", queryset=ReviewFactor.objects.all()),
        "review__themes",
    )


def visible_cases(actor: User) -> QuerySet[ChildDeath]:
    """Narrow the query to the partnerships the rule allows (the door checks each record)."""
    return ChildDeath.objects.filter(partnership_id__in=case_partnerships(actor))


def panel_partnerships(actor: User) -> QuerySet[Partnership]:
    return Partnership.objects.filter(pk__in=case_partnerships(actor)).order_by("name")


def case_search(
    *,
    actor: User,
    partnership: str = "",
    status: str = "",
    period: str = "",
    limit: int = 50,
    offset: int = 0,
) -> tuple[list[ChildDeath], int]:
    """One page of cases the actor may see, each read audited, and the total.

    ``period`` is a financial year of notification, like 2020-21 (ValueError if not).
    """
    cases = visible_cases(actor)
    if partnership:
        cases = cases.filter(partnership__code=partnership.upper())
    if status:
        cases = cases.filter(status=status)
    if period:
        year = parse_financial_year(period)
        cases = cases.filter(notified_on__range=(year.start, year.end))
    total = cases.count()
    page = cases.select_related("partnership", "child", "review").order_by("-notified_on", "-pk")[
        offset : offset + limit
    ]
    shown = access.read_many(
        actor=actor,
        objects=page,
        permission="child_deaths.view_case",
        purpose="child death case list",
    )
    return shown, total


def case_get(
    *, actor: User, case_id: int, purpose: str, action: str = AuditEvent.Action.READ
) -> ChildDeath:
    """One case with everything on it, or refuse; either way the attempt is audited."""
    case = _with_everything(ChildDeath.objects.filter(pk=case_id)).first()
    if case is None:
        raise Http404("No such case")
    return access.read_one(
        actor=actor, obj=case, permission="child_deaths.view_case", purpose=purpose, action=action
    )


def cases_for_export(
    *, actor: User, partnership_ids: frozenset[int] | set[int], year: Period
) -> list[ChildDeath]:
    """Every case notified in the year within the partnerships, audited as exports."""
    cases = _with_everything(
        visible_cases(actor).filter(
            partnership_id__in=partnership_ids, notified_on__range=(year.start, year.end)
        )
    ).order_by("notified_on", "pk")
    return access.read_many(
        actor=actor,
        objects=cases,
        permission="child_deaths.export_case",
        purpose=f"child death export {year.label}",
        action=AuditEvent.Action.EXPORT,
    )


def requests_outstanding(
    *, actor: User, today: dt.date | None = None, partnership: str = ""
) -> dict:
    """Reporting forms not yet received: overdue, and due (soonest first), audited per case."""
    today = today or timezone.localdate()
    requests = (
        InformationRequest.objects.filter(
            case__partnership_id__in=case_partnerships(actor), received_on__isnull=True
        )
        .select_related("agency", "case__partnership", "case__child")
        .prefetch_related("reminders")
        .order_by("due_on", "pk")
    )
    if partnership:
        requests = requests.filter(case__partnership__code=partnership.upper())
    found = list(requests)
    cases = {r.case_id: r.case for r in found}
    allowed = {
        c.pk
        for c in access.read_many(
            actor=actor,
            objects=list(cases.values()),
            permission="child_deaths.view_case",
            purpose="reporting forms due and overdue",
        )
    }
    shown = [r for r in found if r.case_id in allowed]
    return {
        "overdue": [r for r in shown if r.due_on < today],
        "due": [r for r in shown if r.due_on >= today],
    }


def themes_active(*, partnership_id: int | None = None) -> QuerySet[Theme]:
    """Themes open for new reviews: the seeded list, and the given panel host's own."""
    themes = Theme.objects.filter(active=True).order_by("name")
    if partnership_id is not None:
        themes = themes.filter(Q(partnership__isnull=True) | Q(partnership_id=partnership_id))
    return themes


def themes_all(*, partnership_ids=None) -> QuerySet[Theme]:
    """Every theme, or the seeded list and those of the given panel hosts."""
    themes = Theme.objects.order_by("-active", "name")
    if partnership_ids is not None:
        themes = themes.filter(Q(partnership__isnull=True) | Q(partnership_id__in=partnership_ids))
    return themes


def themes_reviewed(*, partnership_ids, year: Period) -> list[tuple[str, str, int]]:
    """(key, name, deaths reviewed in the year tagged with it) for every active theme and
    every theme tagged in the year: the one count by theme, which the catalogue cannot hold
    (the themes are the panel's managed list)."""
    tagged = Counter(Theme.reviews.through.objects.filter(
        cdopreview__case__partnership_id__in=partnership_ids,
        cdopreview__review_date__range=(year.start, year.end)).values_list("theme_id", flat=True))
    themes = Theme.objects.filter(Q(active=True) | Q(pk__in=tagged.keys())).distinct()
    return [(t.key, t.name, tagged.get(t.pk, 0)) for t in themes]
