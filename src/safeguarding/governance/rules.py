"""Who may do what with governance records.

Per partnership, from a person's seats:

- the partnership's business unit and its board members: ``EDIT`` - bodies and their
  terms of reference, meetings, the action log and risk registers;
- its sub-group members: ``VIEW`` - read them;
- everyone else (analysts, practitioners, key adults): nothing here; analysts and board
  members see the governance measures on the dashboard.

A body joint between partnerships (and its meetings, actions and registers) belongs to
each of them. Someone with no level for any of a record's partnerships is told it does
not exist (404), not that it is forbidden.
"""

from __future__ import annotations

from enum import IntEnum

import rules

from safeguarding.core.roles import Role
from safeguarding.core.rules import SeatLevels, follow


class Level(IntEnum):
    NONE = 0
    VIEW = 1
    EDIT = 2


ROLE_LEVEL: dict[str, Level] = {Role.BUSINESS_UNIT: Level.EDIT, Role.BOARD_MEMBER: Level.EDIT,
                                Role.SUB_GROUP_MEMBER: Level.VIEW}


LEVELS = SeatLevels.by_role("governance", ROLE_LEVEL, none=Level.NONE, paths=())
levels, partnerships_at = LEVELS.levels, LEVELS.partnerships_at


def body_of(obj):
    return follow(obj, ("body", "meeting.body", "register.body", "risk.register.body"),
                  default=obj)


def partnerships_of(obj) -> set[int]:
    obj = getattr(obj, "priority", None) if obj.__class__.__name__ == "Objective" else obj
    body = body_of(obj)
    if not hasattr(body, "joint_with"):  # a priority or commitment: its partnership's own
        return {body.partnership_id}
    return {body.partnership_id, *body.joint_with.values_list("pk", flat=True)}


def level_for(user, obj) -> Level:
    held = levels(user)
    return max((held.get(p, Level.NONE) for p in partnerships_of(obj)), default=Level.NONE)


@rules.predicate
def views_governance(user, obj=None) -> bool:
    if obj is None:
        return bool(partnerships_at(user, Level.VIEW))
    return level_for(user, obj) >= Level.VIEW


@rules.predicate
def edits_governance(user, obj=None) -> bool:
    if obj is None:
        return bool(partnerships_at(user, Level.EDIT))
    return level_for(user, obj) >= Level.EDIT


rules.add_perm("governance.view", views_governance)
rules.add_perm("governance.edit", edits_governance)
