"""Who may do what with restraint records.

Levels per partnership, from a person's seats:

- the partnership's business unit: ``FULL``;
- members of its Review of Restraint sub-group (the social workers who review each
  restraint, and the establishment's own members of the task group): ``REVIEW`` -
  record and import incidents, review them, draw and review the quarterly sample, the
  heat map and repeat-involvement views;
- board members and analysts: ``AGGREGATE`` - the measures on the dashboard and in the
  yearly report only, never an incident or a child.

Everyone else has no level. Reading the child's identity goes further through the
child index's own rule (``children.view_child``) and the audited door.
"""

from __future__ import annotations

from enum import IntEnum

import rules

from safeguarding.core.roles import Role
from safeguarding.core.rules import seats

RESTRAINT_SUB_GROUPS = frozenset({"review of restraint", "review of restraint task group",
                                  "restraint review"})


class Level(IntEnum):
    NONE = 0
    AGGREGATE = 1
    REVIEW = 2
    FULL = 3


_ROLE_LEVEL: dict[str, Level] = {Role.BUSINESS_UNIT: Level.FULL, Role.BOARD_MEMBER: Level.AGGREGATE,
               Role.ANALYST: Level.AGGREGATE}


def levels(user) -> dict[int, Level]:
    """Level by partnership id, worked out once per set of seats."""
    held = seats(user)
    cached = getattr(user, "_restraint_levels", None)
    if cached is not None and cached[0] == held:
        return cached[1]
    found: dict[int, Level] = {}
    group_ids = {s.sub_group_id for s in held if s.sub_group_id}
    restraint_groups: set[int] = set()
    if group_ids:
        from safeguarding.core.models import SubGroup

        restraint_groups = {pk for pk, name in SubGroup.objects.filter(pk__in=group_ids)
                            .values_list("pk", "name")
                            if name.strip().lower() in RESTRAINT_SUB_GROUPS}
    for seat in held:
        if seat.role == Role.SUB_GROUP_MEMBER:
            level = Level.REVIEW if seat.sub_group_id in restraint_groups else Level.NONE
        else:
            level = _ROLE_LEVEL.get(seat.role, Level.NONE)
        if level > found.get(seat.partnership_id, Level.NONE):
            found[seat.partnership_id] = level
    found = {p: lvl for p, lvl in found.items() if lvl > Level.NONE}
    user._restraint_levels = (held, found)
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
    for path in ("partnership_id", "establishment.partnership_id",
                 "incident.establishment.partnership_id", "sample.establishment.partnership_id"):
        value = obj
        try:
            for part in path.split("."):
                value = getattr(value, part)
        except AttributeError:
            continue
        return value
    return None


@rules.predicate
def reviews_restraint(user, obj=None) -> bool:
    """Reviewer roles: on a record, of its partnership; with no record, of any."""
    if obj is None:
        return bool(partnerships_at(user, Level.REVIEW))
    return level_for(user, _partnership_of(obj)) >= Level.REVIEW


@rules.predicate
def sees_restraint_figures(user, obj=None) -> bool:
    if obj is None:
        return bool(partnerships_at(user, Level.AGGREGATE))
    return level_for(user, _partnership_of(obj)) >= Level.AGGREGATE


rules.add_perm("restraint.view_incident", reviews_restraint)
rules.add_perm("restraint.change_incident", reviews_restraint)
rules.add_perm("restraint.review_incident", reviews_restraint)
rules.add_perm("restraint.view_sample", reviews_restraint)
rules.add_perm("restraint.view_figures", sees_restraint_figures)
