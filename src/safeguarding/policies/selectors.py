"""Reads for the policy library. A person reads the policies of the partnerships they hold
a seat in (rules.py). Search is PostgreSQL full-text search (ranked) where the database is
PostgreSQL, and a word-by-word ``icontains`` match elsewhere (SQLite): the same results
page either way. The frames for the measures are pseudonymous: a policy number, never a
person."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass

from django.core.exceptions import PermissionDenied
from django.db import connection
from django.db.models import Prefetch, Q, QuerySet
from django.utils import timezone

from safeguarding.core.models import LocalAuthority, Partnership, User
from safeguarding.core.selectors import home_las
from safeguarding.measures.periods import financial_year_of
from safeguarding.policies import config
from safeguarding.policies.models import Policy, Review, Version
from safeguarding.policies.rules import managed_partnerships, reader_partnerships


def _current():
    return Prefetch("versions", queryset=Version.objects.filter(is_current=True).defer(
        "file_content"), to_attr="current_versions")


def library(actor: User, partnership: Partnership | None = None) -> QuerySet[Policy]:
    allowed = reader_partnerships(actor)
    if partnership is not None:
        allowed &= {partnership.pk}
    return (Policy.objects.filter(partnerships__in=allowed).distinct()
            .select_related("owner").prefetch_related("partnerships", _current()))


def partnerships_for(actor: User) -> QuerySet[Partnership]:
    return Partnership.objects.filter(pk__in=reader_partnerships(actor)).order_by("name")


def managed_for(actor: User) -> QuerySet[Partnership]:
    return Partnership.objects.filter(pk__in=managed_partnerships(actor)).order_by("name")


def policy_get(*, actor: User, pk: int) -> Policy:
    found = library(actor).filter(pk=pk).first()
    if found is None:
        raise PermissionDenied
    return found


def current_version(policy: Policy) -> Version | None:
    kept = getattr(policy, "current_versions", None)
    if kept is not None:
        return kept[0] if kept else None
    return policy.versions.filter(is_current=True).first()


def versions(policy: Policy) -> QuerySet[Version]:
    return policy.versions.defer("file_content").select_related("created_by")


def version_get(*, actor: User, pk: int) -> Version:
    found = Version.objects.filter(pk=pk).select_related("policy").first()
    if found is None or not actor.has_perm("policies.read", found.policy):
        raise PermissionDenied
    return found


def reviews(policy: Policy) -> QuerySet[Review]:
    return policy.reviews.select_related("reviewed_by")


def status(policy: Policy, today: dt.date) -> str:
    """"overdue", "due" (within the reminder window) or "in_date"."""
    if policy.review_due < today:
        return "overdue"
    window = config.for_policy(policy).remind_days_before
    if policy.review_due <= today + dt.timedelta(days=window):
        return "due"
    return "in_date"


@dataclass(frozen=True)
class Hit:
    policy: Policy
    version: Version
    rank: float | None


def uses_full_text() -> bool:
    return connection.vendor == "postgresql"


def search(actor: User, query: str, partnership: Partnership | None = None) -> list[Hit]:
    """Current versions of the policies the actor may read that match the query, best first
    (PostgreSQL: ranked full-text search over title, summary, text and change summary;
    elsewhere: every word found in one of them, by title)."""
    query = " ".join(query.split())
    if not query:
        return []
    readable = library(actor, partnership).values("pk")
    found = (Version.objects.filter(is_current=True, policy__in=readable)
             .select_related("policy__owner").defer("file_content"))
    if uses_full_text():
        from django.contrib.postgres.search import SearchQuery, SearchRank, SearchVector

        vector = (SearchVector("policy__title", weight="A", config="english")
                  + SearchVector("policy__summary", weight="B", config="english")
                  + SearchVector("body", weight="C", config="english")
                  + SearchVector("change_summary", weight="D", config="english"))
        terms = SearchQuery(query, search_type="websearch", config="english")
        ranked = (found.annotate(vector=vector).filter(vector=terms)
                  .annotate(rank=SearchRank(vector, terms))
                  .order_by("-rank", "policy__title"))
        return [Hit(v.policy, v, float(v.rank)) for v in ranked]
    for word in query.split():
        found = found.filter(Q(policy__title__icontains=word) | Q(policy__summary__icontains=word)
                             | Q(body__icontains=word) | Q(change_summary__icontains=word))
    return [Hit(v.policy, v, None) for v in found.order_by("policy__title", "pk")]


def owned_due(user: User, today: dt.date) -> list[Policy]:
    """Policies the person owns whose review date is within their home-page window or past."""
    found = []
    for policy in (Policy.objects.filter(owner=user).prefetch_related("partnerships")
                   .order_by("review_due", "pk")):
        window = max((config.for_code(p.code).home_days_before
                      for p in policy.partnerships.all()), default=0)
        if policy.review_due <= today + dt.timedelta(days=window):
            found.append(policy)
    return found


def due_for_review(actor: User, today: dt.date) -> list[Policy]:
    """The policies of the partnerships the actor manages that are due or overdue."""
    return [p for p in library(actor).filter(partnerships__in=managed_partnerships(actor))
            .order_by("review_due", "pk") if status(p, today) != "in_date"]


# Frames for the measures (contract.py) ---------------------------------------------


def _each(las: list[str]):
    hosts = home_las(las)
    through = Policy.partnerships.through.objects.filter(partnership_id__in=list(hosts))
    for policy_id, partnership_id in through.values_list("policy_id", "partnership_id"):
        yield hosts[partnership_id], policy_id


def overdue_rows(las: list[str], *, today: dt.date | None = None) -> list[tuple]:
    """A row for each time a policy fell overdue for review, dated the day after its review
    date: a review done late, or a review date passed and not yet reviewed."""
    today = today or timezone.localdate()
    by_policy: dict[int, list[str]] = {}
    for la, policy_id in _each(las):
        by_policy.setdefault(policy_id, []).append(la)
    rows = []
    late = Review.objects.filter(policy_id__in=list(by_policy)).values_list(
        "pk", "policy_id", "due_on", "reviewed_on")
    for pk, policy_id, due_on, reviewed_on in late:
        if reviewed_on > due_on:
            rows += [(la, f"r{pk}", due_on + dt.timedelta(days=1)) for la in by_policy[policy_id]]
    for policy_id, due in Policy.objects.filter(pk__in=list(by_policy), review_due__lt=today
                                                ).values_list("pk", "review_due"):
        rows += [(la, f"p{policy_id}", due + dt.timedelta(days=1)) for la in by_policy[policy_id]]
    return sorted(rows)


def review_rows(las: list[str], *, on_time: bool = False) -> list[tuple]:
    """A row for each review done, dated the day it was done (``on_time``: by its date)."""
    by_policy: dict[int, list[str]] = {}
    for la, policy_id in _each(las):
        by_policy.setdefault(policy_id, []).append(la)
    rows = []
    for pk, policy_id, due_on, reviewed_on in Review.objects.filter(
            policy_id__in=list(by_policy)).values_list("pk", "policy_id", "due_on",
                                                         "reviewed_on"):
        if on_time and reviewed_on > due_on:
            continue
        rows += [(la, f"r{pk}", reviewed_on) for la in by_policy[policy_id]]
    return sorted(rows)


def coverage_spans(las: list[str]) -> list[tuple[str, dt.date, dt.date]]:
    """The library covers a partnership's LAs from the financial year of its first policy
    version to the end of the current month."""
    today = timezone.localdate()
    end = (today.replace(day=28) + dt.timedelta(days=4)).replace(day=1) - dt.timedelta(days=1)
    spans = []
    for pid in home_las(las):
        first = (Version.objects.filter(policy__partnerships=pid).order_by("published_on")
                 .values_list("published_on", flat=True).first())
        if first is None:
            continue
        start = financial_year_of(first).start
        spans += [(code, start, end) for code in LocalAuthority.objects.filter(
            partnership_id=pid, old_code__in=las).values_list("old_code", flat=True)]
    return spans
