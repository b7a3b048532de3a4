"""Who may do what with surveys.

Per partnership, from a person's seats:

- the partnership's business unit: ``EDIT`` - surveys and their questions, opening and
  closing them, importing responses, coding free text, "you said, we did" records;
- its board members and sub-group members: ``VIEW`` - surveys and their results (counts
  of closed answers, small numbers hidden), coded themes and "you said, we did" records;
  never a free-text answer, which may name someone;
- everyone else: nothing here. Respondents need no account: they answer through the
  survey's response link (its secret token).

A survey of a partnership the reader has no level for is not found (404).
"""

from __future__ import annotations

from enum import IntEnum

import rules

from safeguarding.core.roles import Role
from safeguarding.core.rules import seats


class Level(IntEnum):
    NONE = 0
    VIEW = 1
    EDIT = 2


ROLE_LEVEL: dict[str, Level] = {Role.BUSINESS_UNIT: Level.EDIT, Role.BOARD_MEMBER: Level.VIEW,
                                Role.SUB_GROUP_MEMBER: Level.VIEW}


def levels(user) -> dict[int, Level]:
    found: dict[int, Level] = {}
    for seat in seats(user):
        level = ROLE_LEVEL.get(seat.role, Level.NONE)
        if level > found.get(seat.partnership_id, Level.NONE):
            found[seat.partnership_id] = level
    return {p: lvl for p, lvl in found.items() if lvl > Level.NONE}


def partnerships_at(user, at_least: Level) -> set[int]:
    return {p for p, lvl in levels(user).items() if lvl >= at_least}


def _partnership_of(obj) -> int | None:
    for path in ("partnership_id", "survey.partnership_id", "response.survey.partnership_id"):
        value = obj
        try:
            for part in path.split("."):
                value = getattr(value, part)
        except AttributeError:
            continue
        return value
    return None


def level_for(user, obj) -> Level:
    return levels(user).get(_partnership_of(obj), Level.NONE)  # type: ignore[arg-type]


@rules.predicate
def views_voice(user, obj=None) -> bool:
    if obj is None:
        return bool(partnerships_at(user, Level.VIEW))
    return level_for(user, obj) >= Level.VIEW


@rules.predicate
def edits_voice(user, obj=None) -> bool:
    if obj is None:
        return bool(partnerships_at(user, Level.EDIT))
    return level_for(user, obj) >= Level.EDIT


rules.add_perm("voice.view", views_voice)
rules.add_perm("voice.edit", edits_voice)
