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
from safeguarding.core.rules import SeatLevels, agencies_of_kind, sub_groups_named
from safeguarding.missing import config


class Level(IntEnum):
    NONE = 0
    AGGREGATE = 1
    WORK = 2
    FULL = 3


_ROLE_LEVEL: dict[str, Level] = {Role.BUSINESS_UNIT: Level.FULL,
                                 Role.BOARD_MEMBER: Level.AGGREGATE,
                                 Role.ANALYST: Level.AGGREGATE}


def _grader(held):
    groups = sub_groups_named(held, config.sub_group_names())
    workers = agencies_of_kind(held, config.worker_agency_kinds(),
                               roles_held=[Role.PRACTITIONER])

    def grade(seat) -> Level:
        if seat.role == Role.SUB_GROUP_MEMBER:
            return Level.WORK if seat.sub_group_id in groups else Level.NONE
        if seat.role == Role.PRACTITIONER:
            return Level.WORK if seat.agency_id in workers else Level.NONE
        return _ROLE_LEVEL.get(seat.role, Level.NONE)

    return grade


LEVELS = SeatLevels("missing", _grader, none=Level.NONE,
                    paths=("partnership_id", "episode.partnership_id"))
levels, partnerships_at, level_for = LEVELS.levels, LEVELS.partnerships_at, LEVELS.level_for

# Worker roles: on a record, of its partnership; with no record, of any.
works_missing = LEVELS.at_least(Level.WORK, "works_missing")
sees_missing_figures = LEVELS.at_least(Level.AGGREGATE, "sees_missing_figures")

rules.add_perm("missing.view_episode", works_missing)
rules.add_perm("missing.change_episode", works_missing)
rules.add_perm("missing.view_figures", sees_missing_figures)
