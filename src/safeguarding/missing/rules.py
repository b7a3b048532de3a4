"""Who may do what with missing children's records.

Levels per partnership, from a person's seats:

- the partnership's business unit: ``FULL``;
- members of its Strategic Missing Group (data/config.yaml, ``sub_groups``) and
  practitioners of the police and of LA children's services (``worker_agency_kinds``):
  ``WORK`` - record and import episodes, record return home interviews, the due list and
  the Strategic Missing Group's lists;
- board members and analysts: ``AGGREGATE`` - counts only (small numbers hidden) on the
  Strategic Missing Group page, the dashboard and the yearly report; never an episode.

Reading a child's identity goes further through the child index's own rule
(``children.view_child``) and the audited door: a worker sees a name only for a child
the index lets them see, the pseudonymous key otherwise.
"""

from __future__ import annotations

from enum import IntEnum

import rules

from safeguarding.core.roles import Role
from safeguarding.core.rules import seats
from safeguarding.missing import config


class Level(IntEnum):
    NONE = 0
    AGGREGATE = 1
    WORK = 2
    FULL = 3


_ROLE_LEVEL: dict[str, Level] = {Role.BUSINESS_UNIT: Level.FULL,
                                 Role.BOARD_MEMBER: Level.AGGREGATE,
                                 Role.ANALYST: Level.AGGREGATE}


def levels(user) -> dict[int, Level]:
    """Level by partnership id, worked out once per set of seats."""
    held = seats(user)
    cached = getattr(user, "_missing_levels", None)
    if cached is not None and cached[0] == held:
        return cached[1]
    from safeguarding.core.models import Agency, SubGroup

    group_ids = {s.sub_group_id for s in held if s.sub_group_id}
    names = config.sub_group_names()
    missing_groups = {pk for pk, name in SubGroup.objects.filter(pk__in=group_ids)
                      .values_list("pk", "name") if name.strip().lower() in names}
    practitioner_agencies = {s.agency_id for s in held if s.role == Role.PRACTITIONER}
    worker_agencies = set(Agency.objects.filter(
        pk__in=practitioner_agencies, kind__in=config.worker_agency_kinds())
        .values_list("pk", flat=True)) if practitioner_agencies else set()
    found: dict[int, Level] = {}
    for seat in held:
        if seat.role == Role.SUB_GROUP_MEMBER:
            level = Level.WORK if seat.sub_group_id in missing_groups else Level.NONE
        elif seat.role == Role.PRACTITIONER:
            level = Level.WORK if seat.agency_id in worker_agencies else Level.NONE
        else:
            level = _ROLE_LEVEL.get(seat.role, Level.NONE)
        if level > found.get(seat.partnership_id, Level.NONE):
            found[seat.partnership_id] = level
    found = {p: lvl for p, lvl in found.items() if lvl > Level.NONE}
    user._missing_levels = (held, found)
    return found


def partnerships_at(user, at_least: Level) -> set[int]:
    return {p for p, lvl in levels(user).items() if lvl >= at_least}


def level_for(user, partnership_id: int | None) -> Level:
    return levels(user).get(partnership_id, Level.NONE) if partnership_id else Level.NONE


def _partnership_of(obj) -> int | None:
    from safeguarding.core.models import Partnership

    if obj is None:
        return None
    if isinstance(obj, Partnership):
        return obj.pk
    for path in ("partnership_id", "episode.partnership_id"):
        value = obj
        try:
            for part in path.split("."):
                value = getattr(value, part)
        except AttributeError:
            continue
        return value
    return None


@rules.predicate
def works_missing(user, obj=None) -> bool:
    """Worker roles: on a record, of its partnership; with no record, of any."""
    if obj is None:
        return bool(partnerships_at(user, Level.WORK))
    return level_for(user, _partnership_of(obj)) >= Level.WORK


@rules.predicate
def sees_missing_figures(user, obj=None) -> bool:
    if obj is None:
        return bool(partnerships_at(user, Level.AGGREGATE))
    return level_for(user, _partnership_of(obj)) >= Level.AGGREGATE


rules.add_perm("missing.view_episode", works_missing)
rules.add_perm("missing.change_episode", works_missing)
rules.add_perm("missing.view_figures", sees_missing_figures)
