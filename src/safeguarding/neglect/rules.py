"""Who may do what with GCP2 records.

Per partnership, from a person's seats:

- the business unit: ``MANAGE`` - champions, licences (issue, renew, withdraw), every
  agency's assessment summaries, the expiring-soon list;
- a practitioner or sub-group member: ``AGENCY`` for the seat's own agency in that
  partnership - the champions list (whom to ask for support), the agency's own licences, and
  the agency's assessment summaries, which it records;
- everyone else (board members, analysts, key adults): nothing here; board members and
  analysts see the GCP2 measures on the dashboard.

A record of a partnership (or, for an agency seat, an agency) the person holds no seat for
is not found (404).
"""

from __future__ import annotations

import rules

from safeguarding.core.roles import Role
from safeguarding.core.rules import ManagersAndAgencies

MANAGERS = frozenset({Role.BUSINESS_UNIT})
AGENCY_ROLES = frozenset({Role.PRACTITIONER, Role.SUB_GROUP_MEMBER})


SEATS = ManagersAndAgencies(MANAGERS, AGENCY_ROLES)
managed = SEATS.managed
agency_seats = SEATS.agency_seats
readable = SEATS.readable


def may_record_for(user, partnership_id: int, agency_id: int) -> bool:
    return partnership_id in managed(user) or (partnership_id, agency_id) in agency_seats(user)


@rules.predicate
def views_neglect(user, obj=None) -> bool:
    if obj is None:
        return bool(readable(user))
    return may_record_for(user, obj.partnership_id, obj.agency_id)


@rules.predicate
def manages_neglect(user, obj=None) -> bool:
    if obj is None:
        return bool(managed(user))
    return obj.partnership_id in managed(user)


rules.add_perm("neglect.view", views_neglect)
rules.add_perm("neglect.manage", manages_neglect)
