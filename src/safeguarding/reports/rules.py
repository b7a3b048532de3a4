"""Who may preview, write, publish and read a partnership's yearly report.

- The partnership's business unit writes the narrative, updates commitments
  and publishes.
- Board members, sub-group members and analysts of the partnership preview the
  draft and read published versions. The report holds aggregates only and never
  names a child, so analysts see the same report as everyone else.
- Everyone else, system administrators included, is refused.
"""

from __future__ import annotations

import rules

from safeguarding.core.roles import Role
from safeguarding.core.rules import holds_any, partnerships_where

READER_ROLES = frozenset({Role.BUSINESS_UNIT, Role.BOARD_MEMBER, Role.SUB_GROUP_MEMBER,
                          Role.ANALYST})
EDITOR_ROLES = frozenset({Role.BUSINESS_UNIT})


def reader_partnerships(user) -> set[int]:
    return partnerships_where(user, READER_ROLES)


@rules.predicate
def opens_reports(user) -> bool:
    return holds_any(user, READER_ROLES)


@rules.predicate
def reads_report(user, partnership) -> bool:
    return partnership is not None and partnership.pk in reader_partnerships(user)


@rules.predicate
def edits_report(user, partnership) -> bool:
    return partnership is not None and partnership.pk in partnerships_where(user, EDITOR_ROLES)


rules.add_perm("reports.open", opens_reports)
rules.add_perm("reports.preview", reads_report)
rules.add_perm("reports.view_published", reads_report)
rules.add_perm("reports.edit_narrative", edits_report)
rules.add_perm("reports.publish", edits_report)
rules.add_perm("reports.update_commitments", edits_report)
