"""Permission predicates for partnerships, people, the calendar and the audit log."""

from __future__ import annotations

from dataclasses import dataclass

import rules

from safeguarding.core import roles


@dataclass(frozen=True)
class Seat:
    """One membership, flattened: what a person holds, for which partnership and agency."""

    role: str
    partnership_id: int
    agency_id: int
    sub_group_id: int | None


def seats(user) -> tuple[Seat, ...]:
    """Return the user's memberships, loaded once per user object (once per request).

    A request made with an API token acts as exactly one seat: the token's
    authentication pins it with ``act_as_seat``, and every rule then sees that
    seat alone.
    """
    if not getattr(user, "is_authenticated", False) or not user.is_active:
        return ()
    cached = getattr(user, "_safeguarding_seats", None)
    if cached is None:
        cached = tuple(
            Seat(m.role, m.partnership_id, m.agency_id, m.sub_group_id)
            for m in user.memberships.all()
        )
        user._safeguarding_seats = cached
    return cached


def act_as_seat(user, seat: Seat) -> None:
    """Pin this user object to one seat, for a request made with that seat's token."""
    user._safeguarding_seats = (seat,)
    for cached in ("_reviews_access", "_child_death_partnerships"):
        if hasattr(user, cached):
            delattr(user, cached)


def holds_any(user, allowed_roles) -> bool:
    return any(seat.role in allowed_roles for seat in seats(user))


def partnerships_where(user, allowed_roles) -> set[int]:
    return {seat.partnership_id for seat in seats(user) if seat.role in allowed_roles}


def agencies_where(user, allowed_roles) -> dict[int, set[int]]:
    """Agencies by partnership: a seat's agency acts only for the seat's own partnership."""
    found: dict[int, set[int]] = {}
    for seat in seats(user):
        if seat.role in allowed_roles:
            found.setdefault(seat.partnership_id, set()).add(seat.agency_id)
    return found


def _role_predicate(name: str, allowed_roles):
    @rules.predicate(name=name)
    def predicate(user) -> bool:
        return holds_any(user, allowed_roles)

    return predicate


is_system_administrator = _role_predicate("is_system_administrator", roles.MANAGE_PARTNERSHIPS)
can_manage_people = _role_predicate("can_manage_people", roles.MANAGE_PEOPLE)
can_search_audit = _role_predicate("can_search_audit", roles.SEARCH_AUDIT_LOG)
can_manage_calendar = _role_predicate("can_manage_calendar", roles.MANAGE_CALENDAR)
can_list_partnerships = _role_predicate("can_list_partnerships", roles.VIEW_PARTNERSHIPS)


@rules.predicate
def views_partnership(user, partnership) -> bool:
    if partnership is None:
        return False
    return is_system_administrator(user) or partnership.pk in partnerships_where(
        user, roles.VIEW_PARTNERSHIPS
    )


rules.add_perm("core.manage_partnerships", is_system_administrator)
rules.add_perm("core.list_partnerships", can_list_partnerships)
rules.add_perm("core.view_partnership", views_partnership)
rules.add_perm("core.manage_people", can_manage_people)
rules.add_perm("core.search_audit", can_search_audit)
rules.add_perm("core.manage_calendar", can_manage_calendar)
rules.add_perm("core.manage_api_tokens", is_system_administrator)
rules.add_perm("core.view_scheduled_jobs", is_system_administrator)
