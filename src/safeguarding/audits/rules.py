"""Who may do what with multi-agency case audits, from a person's seats.

Per partnership:

- its business unit runs the programme (``MANAGE``): audits, the draw, returns on an
  agency's behalf, moderation, findings and the action plan; it sees every case file;
- its board and sub-group members read audits, their findings and grades (``VIEW``), not
  case files;
- an auditor (a practitioner, sub-group member or school key adult) whose agency takes part
  in an audit reads that audit, completes the agency's returns, and opens the case files
  its agency has a return for - only those, and only in the seat's own partnership.

Someone who may open no audit of a partnership is told its records do not exist (404);
roles with no audits at all (analysts, the system administrator) are refused (403).
"""

from __future__ import annotations

import rules

from safeguarding.core.roles import Role
from safeguarding.core.rules import agencies_where, follow, partnerships_where, seats

MANAGE_ROLES = frozenset({Role.BUSINESS_UNIT})
VIEW_ROLES = frozenset({Role.BUSINESS_UNIT, Role.BOARD_MEMBER, Role.SUB_GROUP_MEMBER})
AUDITOR_ROLES = frozenset({Role.PRACTITIONER, Role.SUB_GROUP_MEMBER, Role.SCHOOL_KEY_ADULT})


def managed(user) -> set[int]:
    return partnerships_where(user, MANAGE_ROLES)


def viewed(user) -> set[int]:
    return partnerships_where(user, VIEW_ROLES)


def auditor_agencies(user) -> dict[int, set[int]]:
    """Agencies a person audits for, by partnership (a seat acts in its own partnership)."""
    return agencies_where(user, AUDITOR_ROLES)


def _audit_of(obj):
    return follow(obj, ("audit", "case.audit", "agency_return.case.audit"), default=obj)


def _partnership_id(obj) -> int:
    if hasattr(obj, "programme_id"):
        return obj.programme.partnership_id
    return obj.partnership_id  # a programme


@rules.predicate
def uses_audits(user) -> bool:
    return any(s.role in VIEW_ROLES | AUDITOR_ROLES for s in seats(user))


@rules.predicate
def manages_audits(user, obj=None) -> bool:
    if obj is None:
        return bool(managed(user))
    return _partnership_id(_audit_of(obj)) in managed(user)


@rules.predicate
def views_audit(user, audit) -> bool:
    audit = _audit_of(audit)
    partnership = _partnership_id(audit)
    if partnership in viewed(user):
        return True
    if not hasattr(audit, "programme_id"):
        return False
    mine = auditor_agencies(user).get(partnership, set())
    return bool(mine & {a.pk for a in audit.agencies.all()})


@rules.predicate
def views_case(user, case) -> bool:
    partnership = case.audit.programme.partnership_id
    if partnership in managed(user):
        return True
    mine = auditor_agencies(user).get(partnership, set())
    return bool(mine & {r.agency_id for r in case.returns.all()})


@rules.predicate
def edits_return(user, agency_return) -> bool:
    partnership = agency_return.case.audit.programme.partnership_id
    if partnership in managed(user):
        return True
    return agency_return.agency_id in auditor_agencies(user).get(partnership, set())


rules.add_perm("audits.use", uses_audits)
rules.add_perm("audits.manage", manages_audits)
rules.add_perm("audits.view_audit", views_audit)
rules.add_perm("audits.view_case", views_case)
rules.add_perm("audits.edit_return", edits_return)
