"""Who may do what in Operation Encompass, per partnership, from a person's seats.

- the partnership's business unit (the education safeguarding lead's seat) and members of
  an Education Safeguarding sub-group: ``LEAD`` - schools and Key Adults, every incident
  and notification, the escalation page;
- a police seat (any role but board member or analyst, at an agency of kind police):
  ``POLICE`` - record incidents with the children present, and read them;
- a school key adult: their own school's notifications only (the school whose agency is
  the seat's agency), read through the door and acknowledged;
- board members and analysts: ``AGGREGATE`` - the measures only, never a child.
"""

from __future__ import annotations

from enum import IntEnum

import rules

from safeguarding.core.roles import Role
from safeguarding.core.rules import (
    SeatLevels,
    agencies_of_kind,
    agencies_where,
    sub_groups_named,
)

LEAD_SUB_GROUPS = frozenset({"education safeguarding", "operation encompass"})


class Level(IntEnum):
    NONE = 0
    AGGREGATE = 1
    POLICE = 2
    LEAD = 3


def _grader(held):
    from safeguarding.core.models import AgencyKind

    police = agencies_of_kind(held, [AgencyKind.POLICE])
    groups = sub_groups_named(held, LEAD_SUB_GROUPS)

    def grade(seat) -> Level:
        if seat.role == Role.BUSINESS_UNIT or (seat.role == Role.SUB_GROUP_MEMBER
                                               and seat.sub_group_id in groups):
            return Level.LEAD
        if seat.role in (Role.BOARD_MEMBER, Role.ANALYST):
            return Level.AGGREGATE
        if seat.agency_id in police and seat.role in (Role.PRACTITIONER,
                                                      Role.SUB_GROUP_MEMBER):
            return Level.POLICE
        return Level.NONE

    return grade


LEVELS = SeatLevels("encompass", _grader, none=Level.NONE, paths=(
    "partnership_id", "incident.partnership_id", "school.partnership_id"))
partnerships_at, level_for = LEVELS.partnerships_at, LEVELS.level_for
_partnership_of = LEVELS.partnership_of


def key_adult_agencies(user) -> dict[int, set[int]]:
    """The agencies (schools) of the person's key adult seats, by partnership."""
    return agencies_where(user, {Role.SCHOOL_KEY_ADULT})


def _is_key_adult_for(user, notification) -> bool:
    school = notification.school
    return school.agency_id is not None and school.agency_id in key_adult_agencies(user).get(
        school.partnership_id, set())


records_incidents = LEVELS.at_least(Level.POLICE, "records_incidents")
leads_encompass = LEVELS.at_least(Level.LEAD, "leads_encompass")


@rules.predicate
def reads_notification(user, obj=None) -> bool:
    if obj is None:
        return bool(partnerships_at(user, Level.POLICE) or key_adult_agencies(user))
    return level_for(user, _partnership_of(obj)) >= Level.POLICE or _is_key_adult_for(user, obj)


@rules.predicate
def acknowledges(user, obj=None) -> bool:
    if obj is None:
        return bool(key_adult_agencies(user))
    return _is_key_adult_for(user, obj)


sees_figures = LEVELS.at_least(Level.AGGREGATE, "sees_figures")


rules.add_perm("encompass.record_incident", records_incidents)
rules.add_perm("encompass.view_incident", records_incidents)
rules.add_perm("encompass.link_child", records_incidents)
rules.add_perm("encompass.view_notification", reads_notification)
rules.add_perm("encompass.acknowledge_notification", acknowledges)
rules.add_perm("encompass.manage_schools", leads_encompass)
rules.add_perm("encompass.view_escalation", leads_encompass)
rules.add_perm("encompass.view_figures", sees_figures)
rules.add_perm("encompass.open", reads_notification)
