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
from safeguarding.core.rules import SeatLevels


class Level(IntEnum):
    NONE = 0
    VIEW = 1
    EDIT = 2


ROLE_LEVEL: dict[str, Level] = {Role.BUSINESS_UNIT: Level.EDIT, Role.BOARD_MEMBER: Level.VIEW,
                                Role.SUB_GROUP_MEMBER: Level.VIEW}
LEVELS = SeatLevels.by_role("voice", ROLE_LEVEL, none=Level.NONE, paths=(
    "partnership_id", "survey.partnership_id", "response.survey.partnership_id"))
levels, partnerships_at = LEVELS.levels, LEVELS.partnerships_at

views_voice = LEVELS.at_least(Level.VIEW, "views_voice")
edits_voice = LEVELS.at_least(Level.EDIT, "edits_voice")

rules.add_perm("voice.view", views_voice)
rules.add_perm("voice.edit", edits_voice)
