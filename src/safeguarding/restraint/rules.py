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
from safeguarding.core.rules import SeatLevels, sub_groups_named

RESTRAINT_SUB_GROUPS = frozenset({"review of restraint", "review of restraint task group",
                                  "restraint review"})


class Level(IntEnum):
    NONE = 0
    AGGREGATE = 1
    REVIEW = 2
    FULL = 3


_ROLE_LEVEL: dict[str, Level] = {Role.BUSINESS_UNIT: Level.FULL, Role.BOARD_MEMBER: Level.AGGREGATE,
                                 Role.ANALYST: Level.AGGREGATE}


def _grader(held):
    groups = sub_groups_named(held, RESTRAINT_SUB_GROUPS)

    def grade(seat) -> Level:
        if seat.role == Role.SUB_GROUP_MEMBER:
            return Level.REVIEW if seat.sub_group_id in groups else Level.NONE
        return _ROLE_LEVEL.get(seat.role, Level.NONE)

    return grade


LEVELS = SeatLevels("restraint", _grader, none=Level.NONE, paths=(
    "partnership_id", "establishment.partnership_id", "incident.establishment.partnership_id",
    "sample.establishment.partnership_id"))
levels, partnerships_at, level_for = LEVELS.levels, LEVELS.partnerships_at, LEVELS.level_for

# Reviewer roles: on a record, of its partnership; with no record, of any.
reviews_restraint = LEVELS.at_least(Level.REVIEW, "reviews_restraint")
sees_restraint_figures = LEVELS.at_least(Level.AGGREGATE, "sees_restraint_figures")

rules.add_perm("restraint.view_incident", reviews_restraint)
rules.add_perm("restraint.change_incident", reviews_restraint)
rules.add_perm("restraint.review_incident", reviews_restraint)
rules.add_perm("restraint.view_sample", reviews_restraint)
rules.add_perm("restraint.view_figures", sees_restraint_figures)
