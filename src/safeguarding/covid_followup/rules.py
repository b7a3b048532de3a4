"""Who may see and follow up vulnerable children who did not attend school.

Per partnership, from a person's seats:

- the business unit: ``FULL`` - every school's records, import the weekly extract;
- a school key adult: their own school's children only (the school whose agency is the
  seat's), to record the follow-up;
- board members and analysts: the weekly counts (``covid_followup.figures``), never a child.

A record of another school or partnership is not found (404).
"""

from __future__ import annotations

import rules

from safeguarding.core.roles import Role
from safeguarding.core.rules import seats


def business_partnerships(user) -> set[int]:
    return {s.partnership_id for s in seats(user) if s.role == Role.BUSINESS_UNIT}


def key_adult_agencies(user) -> set[tuple[int, int]]:
    """(partnership, agency) of each school key adult seat."""
    return {(s.partnership_id, s.agency_id) for s in seats(user)
            if s.role == Role.SCHOOL_KEY_ADULT}


def figure_partnerships(user) -> set[int]:
    return {s.partnership_id for s in seats(user)
            if s.role in (Role.BUSINESS_UNIT, Role.BOARD_MEMBER, Role.ANALYST)}


def _school(obj):
    return getattr(obj, "school", obj)


@rules.predicate
def follows_up(user, obj=None) -> bool:
    if obj is None:
        return bool(business_partnerships(user) or key_adult_agencies(user))
    school = _school(obj)
    return (school.partnership_id in business_partnerships(user)
            or (school.partnership_id, school.agency_id) in key_adult_agencies(user))


@rules.predicate
def imports(user, obj=None) -> bool:
    return bool(business_partnerships(user))


@rules.predicate
def sees_figures(user, obj=None) -> bool:
    return bool(figure_partnerships(user) or key_adult_agencies(user))


rules.add_perm("covid_followup.view_record", follows_up)
rules.add_perm("covid_followup.follow_up", follows_up)
rules.add_perm("covid_followup.import", imports)
rules.add_perm("covid_followup.view", sees_figures)
