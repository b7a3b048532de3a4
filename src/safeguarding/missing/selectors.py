"""Reads for missing children work. Episodes are for worker roles only (rules.py) and are
read through core.access; the child's identity is read through the child index's audited
door; aggregate roles get counts with small numbers hidden (core/disclosure.py)."""

from __future__ import annotations

import datetime as dt
from collections import defaultdict
from typing import Any

from django.core.exceptions import PermissionDenied
from django.db.models import Count, Q, QuerySet
from django.utils import timezone

from safeguarding.children.selectors import child_if_seen, children_for_door
from safeguarding.core import access, disclosure
from safeguarding.core.models import Partnership, User
from safeguarding.measures.periods import financial_year
from safeguarding.missing import config
from safeguarding.missing.models import Episode
from safeguarding.missing.rules import Level, level_for, partnerships_at


def partnerships_for(actor: User, at_least: Level = Level.WORK) -> QuerySet[Partnership]:
    return Partnership.objects.filter(pk__in=partnerships_at(actor, at_least)).order_by("code")


def partnership_get(*, actor: User, code: str, at_least: Level = Level.WORK) -> Partnership:
    found = partnerships_for(actor, at_least).filter(code=code).first()
    if found is None:
        raise PermissionDenied
    return found


def episodes(*, actor: User, partnership: Partnership, where: Q | None = None,
             purpose: str = "missing episode list") -> list[Episode]:
    found = Episode.objects.filter(partnership=partnership).select_related(
        "local_authority", "interview")
    if where is not None:
        found = found.filter(where)
    return access.read_many(actor=actor, objects=found.order_by("-missing_from", "pk"),
                            permission="missing.view_episode", purpose=purpose)


def episode_get(*, actor: User, pk: int, purpose: str = "view missing episode") -> Episode:
    episode = (Episode.objects.select_related("partnership", "local_authority", "interview")
               .filter(pk=pk).first())
    if episode is None:
        raise PermissionDenied
    return access.read_one(actor=actor, obj=episode, permission="missing.view_episode",
                           purpose=purpose)


def episode_child(*, actor: User, episode: Episode):
    """The index child behind an episode when the actor may see that child (audited);
    None when it is not linked or the child index refuses."""
    return child_if_seen(actor=actor, child_id=episode.child_id,
                         purpose=f"missing episode {episode.force_reference}")


def child_episodes(*, actor: User, episode: Episode) -> list[Episode]:
    """Every episode of the same child (by pseudonymous key), oldest first."""
    return sorted(episodes(actor=actor, partnership=episode.partnership,
                           where=Q(child_key=episode.child_key),
                           purpose="missing record of a child"),
                  key=lambda e: e.missing_from)


# The repeat-missing rule ----------------------------------------------------

def repeat_flags(starts: list[dt.datetime]) -> list[dt.datetime]:
    """The episode starts at which the rule is met: N episodes within D days
    (data/config.yaml, repeat_missing), counting this one."""
    n, days = config.repeat_rule()
    ordered = sorted(starts)
    return [start for i, start in enumerate(ordered)
            if sum(1 for s in ordered[:i + 1] if start - s < dt.timedelta(days=days)) >= n]


def _flags_by_child(partnership_ids: list[int] | None = None, las: list[str] | None = None
                    ) -> dict[tuple[str, str], list[dt.datetime]]:
    found = Episode.objects.all()
    if partnership_ids is not None:
        found = found.filter(partnership_id__in=partnership_ids)
    if las is not None:
        found = found.filter(local_authority__old_code__in=las)
    starts: dict[tuple[str, str], list[dt.datetime]] = defaultdict(list)
    for la, key, start in found.values_list("local_authority__old_code", "child_key",
                                            "missing_from"):
        starts[(la, key)].append(start)
    return {k: flags for k, v in starts.items() if (flags := repeat_flags(v))}


def repeat_status(episode: Episode, history: list[Episode]) -> dict[str, Any]:
    """Whether the child is repeat-missing, from the child's episodes."""
    flags = repeat_flags([e.missing_from for e in history])
    n, days = config.repeat_rule()
    return {"flagged": bool(flags), "first": flags[0] if flags else None,
            "latest": flags[-1] if flags else None, "episodes": n, "days": days,
            "prompt": config.config()["repeat_missing"]["prompt"]}


# Due and overdue return interviews ------------------------------------------

def _open_interviews(partnership: Partnership) -> QuerySet[Episode]:
    return Episode.objects.filter(partnership=partnership, rhi_due_at__isnull=False,
                                  interview__isnull=True)


def interviews_due(*, actor: User, partnership: Partnership, now: dt.datetime | None = None
                   ) -> dict[str, list[Episode]]:
    """Missing episodes with no interview offered: overdue (past 72 hours) and due."""
    now = now or timezone.now()
    open_ = _open_interviews(partnership).select_related("local_authority")
    overdue = access.read_many(actor=actor, objects=open_.filter(rhi_due_at__lt=now)
                               .order_by("rhi_due_at", "pk"),
                               permission="missing.view_episode",
                               purpose="return interviews overdue")
    due = access.read_many(actor=actor, objects=open_.filter(rhi_due_at__gte=now)
                           .order_by("rhi_due_at", "pk"),
                           permission="missing.view_episode", purpose="return interviews due")
    return {"overdue": overdue, "due": due}


def overdue_counts(now: dt.datetime | None = None) -> dict[int, int]:
    """Overdue interview offers by partnership id: counts only, for the reminders."""
    now = now or timezone.now()
    return dict(Episode.objects.filter(rhi_due_at__lt=now, interview__isnull=True)
                .values("partnership").annotate(n=Count("pk"))
                .values_list("partnership", "n"))


# The Strategic Missing Group ------------------------------------------------

def smg_summary(*, actor: User, partnership: Partnership, start: dt.date, end: dt.date,
                now: dt.datetime | None = None) -> dict[str, Any]:
    """Children missing now, repeat-missing children (rule met in the span) and overdue
    interview offers. Worker roles get the lists (a child's name only where the child index
    allows it, audited); aggregate roles the counts, small numbers hidden."""
    now = now or timezone.now()
    missing_now = Episode.objects.filter(partnership=partnership, returned_at__isnull=True,
                                         missing_from__lte=now)
    repeat = {key: flags for key, flags in _flags_by_child([partnership.pk]).items()
              if any(start <= timezone.localtime(f).date() <= end for f in flags)}
    overdue = _open_interviews(partnership).filter(rhi_due_at__lt=now)
    counts = {"missing_now": missing_now.values("child_key").distinct().count(),
              "repeat": len(repeat), "overdue": overdue.count()}
    found: dict[str, Any] = {"start": start, "end": end, "counts": counts,
                             "rule": config.repeat_rule(), "hidden_text": disclosure.HIDDEN_TEXT}
    if level_for(actor, partnership.pk) < Level.WORK:
        hidden = disclosure.suppress(counts)
        found["counts"] = {k: (None if k in hidden else v) for k, v in counts.items()}
        return found
    latest: dict[str, Episode] = {}
    for episode in Episode.objects.filter(partnership=partnership,
                                          child_key__in=[k for _, k in repeat]):
        if episode.child_key not in latest or \
                episode.missing_from > latest[episode.child_key].missing_from:
            latest[episode.child_key] = episode
    repeat_episodes = [latest[k] for _, k in repeat if k in latest]
    listed = episodes(actor=actor, partnership=partnership,
                      where=Q(pk__in=[e.pk for e in (*missing_now, *overdue, *repeat_episodes)]),
                      purpose="strategic missing group")
    by_pk = {e.pk: e for e in listed}
    ids = {e.child_id for e in listed if e.child_id}
    visible = {c.pk: c for c in access.read_many(
        actor=actor, objects=children_for_door(ids=ids, partnership=partnership),
        permission="children.view_child", purpose="strategic missing group")}
    counts_by_key = {key: len(flags) for (_, key), flags in repeat.items()}

    def rows(items) -> list[dict[str, Any]]:
        return [{"episode": by_pk[e.pk], "child": visible.get(e.child_id),
                 "flags": counts_by_key.get(e.child_key, 0)} for e in items if e.pk in by_pk]

    found.update({"missing_now": rows(missing_now.order_by("missing_from")),
                  "repeat_list": rows(sorted(repeat_episodes, key=lambda e: e.missing_from)),
                  "overdue_list": rows(overdue.order_by("rhi_due_at"))})
    return found


# Figures for the measure engine (pseudonymous rows) --------------------------

def _day(at: dt.datetime) -> dt.date:
    return timezone.localtime(at).date()


def episode_rows(las: list[str], where: Q | None = None) -> list[tuple]:
    """(child's LA, child key, day the episode began)."""
    found = Episode.objects.filter(local_authority__old_code__in=las)
    if where is not None:
        found = found.filter(where)
    return [(la, key, _day(at)) for la, key, at in found.values_list(
        "local_authority__old_code", "child_key", "missing_from").order_by("pk")]


def return_rows(las: list[str], where: Q | None = None) -> list[tuple]:
    """(child's LA, child key, day of return) of missing episodes needing an interview."""
    found = Episode.objects.filter(local_authority__old_code__in=las, rhi_due_at__isnull=False)
    if where is not None:
        found = found.filter(where)
    return [(la, key, _day(at)) for la, key, at in found.values_list(
        "local_authority__old_code", "child_key", "returned_at").order_by("pk")
        if at is not None]


def repeat_rows(las: list[str]) -> list[tuple]:
    """(child's LA, child key, day the repeat-missing rule was met), one row per time."""
    return sorted((la, key, _day(at)) for (la, key), flags in _flags_by_child(las=las).items()
                  for at in flags)


def coverage_spans(las: list[str]) -> list[tuple[str, dt.date, dt.date]]:
    """Recording covers every LA of a partnership that records episodes, from the first
    day of the month of its first episode to the last day of the month of its latest."""
    spans = []
    for partnership in Partnership.objects.filter(local_authorities__old_code__in=las
                                                  ).distinct().prefetch_related(
                                                      "local_authorities"):
        starts = list(Episode.objects.filter(partnership=partnership).order_by("missing_from")
                      .values_list("missing_from", flat=True))
        if not starts:
            continue
        begin = _day(starts[0]).replace(day=1)
        following = (_day(starts[-1]).replace(day=28) + dt.timedelta(days=4)).replace(day=1)
        spans += [(la.old_code, begin, following - dt.timedelta(days=1))
                  for la in partnership.local_authorities.all() if la.old_code in las]
    return spans


def default_period(partnership: Partnership):
    """The financial year of the partnership's latest episode (this year when none)."""
    latest = (Episode.objects.filter(partnership=partnership).order_by("-missing_from")
              .values_list("missing_from", flat=True).first())
    day = _day(latest) if latest else timezone.localdate()
    first = day.year if day.month >= 4 else day.year - 1
    return financial_year(first)
