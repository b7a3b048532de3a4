"""Who may do what with briefings and campaigns.

Per partnership, from a person's seats:

- the business unit: ``MANAGE`` - issue briefings (with their file and the agencies expected
  to use them), run campaigns, read every agency's record of use;
- a practitioner, sub-group member or board member: read the partnership's briefings and
  campaigns, download a briefing's file, and record and read how the seat's own agency
  used a briefing;
- analysts and key adults: nothing here; analysts see the measures on the dashboard.

A briefing of a partnership the person holds no seat for is not found (404).
"""

from __future__ import annotations

import rules

from safeguarding.core.roles import Role
from safeguarding.core.rules import ManagersAndAgencies

MANAGERS = frozenset({Role.BUSINESS_UNIT})
AGENCY_ROLES = frozenset({Role.PRACTITIONER, Role.SUB_GROUP_MEMBER, Role.BOARD_MEMBER})


SEATS = ManagersAndAgencies(MANAGERS, AGENCY_ROLES)
managed = SEATS.managed
agency_seats = SEATS.agency_seats
readable = SEATS.readable


@rules.predicate
def views_briefings(user, obj=None) -> bool:
    if obj is None:
        return bool(readable(user))
    return obj.partnership_id in readable(user)


@rules.predicate
def manages_briefings(user, obj=None) -> bool:
    if obj is None:
        return bool(managed(user))
    return obj.partnership_id in managed(user)


rules.add_perm("briefings.view", views_briefings)
rules.add_perm("briefings.manage", manages_briefings)
