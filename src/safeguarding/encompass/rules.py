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
from safeguarding.core.rules import seats

LEAD_SUB_GROUPS = frozenset({"education safeguarding", "operation encompass"})


class Level(IntEnum):
    NONE = 0
    AGGREGATE = 1
    POLICE = 2
    LEAD = 3


def _access(user) -> tuple[dict[int, Level], dict[int, set[int]]]:
    """(level by partnership, key adult agencies by partnership), once per set of seats."""
    held = seats(user)
    cached = getattr(user, "_encompass_access", None)
    if cached is not None and cached[0] == held:
        return cached[1], cached[2]
    from safeguarding.core.models import Agency, AgencyKind, SubGroup

    police = set(Agency.objects.filter(pk__in={s.agency_id for s in held},
                                       kind=AgencyKind.POLICE).values_list("pk", flat=True)
                 ) if held else set()
    groups = {pk for pk, name in SubGroup.objects.filter(
        pk__in={s.sub_group_id for s in held if s.sub_group_id}).values_list("pk", "name")
        if name.strip().lower() in LEAD_SUB_GROUPS} if held else set()
    levels: dict[int, Level] = {}
    schools: dict[int, set[int]] = {}
    for seat in held:
        level = Level.NONE
        if seat.role == Role.BUSINESS_UNIT or (seat.role == Role.SUB_GROUP_MEMBER
                                               and seat.sub_group_id in groups):
            level = Level.LEAD
        elif seat.role in (Role.BOARD_MEMBER, Role.ANALYST):
            level = Level.AGGREGATE
        elif seat.agency_id in police and seat.role in (Role.PRACTITIONER,
                                                        Role.SUB_GROUP_MEMBER):
            level = Level.POLICE
        elif seat.role == Role.SCHOOL_KEY_ADULT:
            schools.setdefault(seat.partnership_id, set()).add(seat.agency_id)
        if level > levels.get(seat.partnership_id, Level.NONE):
            levels[seat.partnership_id] = level
    levels = {p: lvl for p, lvl in levels.items() if lvl > Level.NONE}
    user._encompass_access = (held, levels, schools)
    return levels, schools


def partnerships_at(user, at_least: Level) -> set[int]:
    return {p for p, lvl in _access(user)[0].items() if lvl >= at_least}


def key_adult_agencies(user) -> dict[int, set[int]]:
    return _access(user)[1]


def level_for(user, partnership_id: int | None) -> Level:
    return _access(user)[0].get(partnership_id, Level.NONE) if partnership_id else Level.NONE


def _partnership_of(obj) -> int | None:
    for path in ("partnership_id", "incident.partnership_id", "school.partnership_id"):
        value = obj
        try:
            for part in path.split("."):
                value = getattr(value, part)
        except AttributeError:
            continue
        return value
    return getattr(obj, "pk", None) if obj.__class__.__name__ == "Partnership" else None


def _is_key_adult_for(user, notification) -> bool:
    school = notification.school
    return school.agency_id is not None and school.agency_id in key_adult_agencies(user).get(
        school.partnership_id, set())


@rules.predicate
def records_incidents(user, obj=None) -> bool:
    if obj is None:
        return bool(partnerships_at(user, Level.POLICE))
    return level_for(user, _partnership_of(obj)) >= Level.POLICE


@rules.predicate
def leads_encompass(user, obj=None) -> bool:
    if obj is None:
        return bool(partnerships_at(user, Level.LEAD))
    return level_for(user, _partnership_of(obj)) >= Level.LEAD


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


@rules.predicate
def sees_figures(user, obj=None) -> bool:
    if obj is None:
        return bool(partnerships_at(user, Level.AGGREGATE))
    return level_for(user, _partnership_of(obj)) >= Level.AGGREGATE


rules.add_perm("encompass.record_incident", records_incidents)
rules.add_perm("encompass.view_incident", records_incidents)
rules.add_perm("encompass.link_child", records_incidents)
rules.add_perm("encompass.view_notification", reads_notification)
rules.add_perm("encompass.acknowledge_notification", acknowledges)
rules.add_perm("encompass.manage_schools", leads_encompass)
rules.add_perm("encompass.view_escalation", leads_encompass)
rules.add_perm("encompass.view_figures", sees_figures)
rules.add_perm("encompass.open", reads_notification)
