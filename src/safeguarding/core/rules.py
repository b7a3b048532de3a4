"""Permission predicates for partnerships, people, the calendar and the audit log; and the
building blocks of a module's levels (``SeatLevels``): a level per partnership from a
person's seats, where a seat counts by its role, its agency's kind or its sub-group's name."""

from __future__ import annotations

from collections.abc import Callable, Iterable
from dataclasses import dataclass, field
from enum import IntEnum
from typing import Any, Generic, TypeVar

import rules
from django.core.exceptions import PermissionDenied

from safeguarding.core import roles


@dataclass(frozen=True)
class Seat:
    """One membership, flattened: what a person holds, for which partnership and agency."""

    role: str
    partnership_id: int
    agency_id: int
    sub_group_id: int | None
    # The agency's kind and the sub-group's name, read in the same query as the seat, so
    # modules' rules need no query of their own for them; None when not read (then the
    # helpers below ask the database). Not part of a seat's identity.
    agency_kind: str | None = field(default=None, compare=False)
    sub_group_name: str | None = field(default=None, compare=False)


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
        from django.db import connection

        from safeguarding.core.bulk import statement
        from safeguarding.core.models import Membership

        sql = statement("seats", lambda: Membership.objects.filter(user_id=0).order_by("pk")
                        .values_list("role", "partnership_id", "agency_id", "sub_group_id",
                                     "agency__kind", "sub_group__name"), (0,))
        with connection.cursor() as cursor:
            cursor.execute(sql, [user.pk])
            rows = cursor.fetchall()
        cached = tuple(
            Seat(role, partnership_id, agency_id, sub_group_id, kind, group_name or "")
            for role, partnership_id, agency_id, sub_group_id, kind, group_name in rows
        )
        user._safeguarding_seats = cached
    return cached


def shares(user, function: str) -> tuple[tuple[int, int], ...]:
    """(owner, shared with) of the partnership shares of ``function`` that touch a
    partnership of the person's seats, from one read of them all per set of seats."""
    held = seats(user)
    if not held:
        return ()
    cached = getattr(user, "_safeguarding_shares", None)
    if cached is None or cached[0] != held:
        from django.db.models import Q

        from safeguarding.core.models import PartnershipShare

        mine = {s.partnership_id for s in held}
        found = tuple(PartnershipShare.objects.filter(Q(owner_id__in=mine)
                                                      | Q(shared_with_id__in=mine))
                      .order_by("pk").values_list("function", "owner_id", "shared_with_id"))
        cached = (held, found)
        user._safeguarding_shares = cached
    return tuple((owner, shared_with) for kind, owner, shared_with in cached[1]
                 if kind == function)


def act_as_seat(user, seat: Seat) -> None:
    """Pin this user object to one seat, for a request made with that seat's token."""
    user._safeguarding_seats = (seat,)
    for cached in ("_reviews_access", "_child_death_partnerships", "_safeguarding_shares"):
        if hasattr(user, cached):
            delattr(user, cached)


def permission_require(actor, permission: str, obj=None) -> None:
    """Refuse (PermissionDenied) unless the actor holds the permission, on ``obj`` if given.
    An actor of None is the command line, run by whoever holds the server."""
    if actor is not None and not actor.has_perm(permission, obj):
        raise PermissionDenied


def partnership_require(actor, partnership_id: int, allowed: Callable[[Any], set[int]]) -> None:
    """Refuse (PermissionDenied) unless ``partnership_id`` is one of ``allowed(actor)``, the
    partnerships where the actor may do this (a module's ``managed``). An actor of None is
    the command line."""
    if actor is not None and partnership_id not in allowed(actor):
        raise PermissionDenied


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


@dataclass(frozen=True)
class ManagersAndAgencies:
    """A module where some roles manage a partnership's records and others record and read
    for their own agency only (briefings, neglect): who holds which, from the seats."""

    managers: frozenset
    agency_roles: frozenset

    def managed(self, user) -> set[int]:
        """Partnerships whose records the person manages."""
        return partnerships_where(user, self.managers)

    def agency_seats(self, user) -> set[tuple[int, int]]:
        """(partnership, agency) pairs the person records for."""
        return {(s.partnership_id, s.agency_id) for s in seats(user)
                if s.role in self.agency_roles}

    def readable(self, user) -> set[int]:
        return self.managed(user) | {p for p, _ in self.agency_seats(user)}


def sub_groups_named(held: Iterable[Seat], names: Iterable[str]) -> set[int]:
    """The seats' sub-groups whose name (trimmed, any case) is one of ``names``."""
    from safeguarding.core.models import SubGroup

    wanted = {n.strip().lower() for n in names}
    held = [s for s in held if s.sub_group_id]
    if not held:
        return set()
    named: set[tuple[int, str]]
    if all(s.sub_group_name is not None for s in held):
        named = {(s.sub_group_id, s.sub_group_name or "") for s in held if s.sub_group_id}
    else:
        named = set(SubGroup.objects.filter(pk__in={s.sub_group_id for s in held})
                    .values_list("pk", "name"))
    return {pk for pk, name in named if name.strip().lower() in wanted}


def agencies_of_kind(held: Iterable[Seat], kinds: Iterable[str], *,
                     roles_held: Iterable[str] | None = None) -> set[int]:
    """The agencies of the seats (of ``roles_held``, or any role) whose kind is one of
    ``kinds``."""
    from safeguarding.core.models import Agency

    allowed = None if roles_held is None else set(roles_held)
    held = [s for s in held if allowed is None or s.role in allowed]
    if not held:
        return set()
    wanted = set(kinds)
    if all(s.agency_kind is not None for s in held):
        return {s.agency_id for s in held if s.agency_kind in wanted}
    return set(Agency.objects.filter(pk__in={s.agency_id for s in held}, kind__in=list(wanted))
               .values_list("pk", flat=True))


def follow(obj, paths: Iterable[str], *, default: Any = None) -> Any:
    """The value at the first of the dotted attribute ``paths`` the object has (a record's
    partnership id, a meeting's body...), or ``default``."""
    for path in paths:
        value = obj
        try:
            for part in path.split("."):
                value = getattr(value, part)
        except AttributeError:
            continue
        return value
    return default


def partnership_of(obj, paths: Iterable[str]) -> int | None:
    """The partnership id of a record (a partnership is its own), found by the first of the
    dotted attribute ``paths`` the record has."""
    from safeguarding.core.models import Partnership

    if obj is None:
        return None
    if isinstance(obj, Partnership):
        return obj.pk
    return follow(obj, paths)


L = TypeVar("L", bound=IntEnum)
# Given a person's seats, how to grade one of them (queries made once per set of seats).
Grader = Callable[[tuple[Seat, ...]], Callable[[Seat], Any]]


class SeatLevels(Generic[L]):
    """A module's levels: each seat graded, a partnership's level the best of the person's
    seats there, worked out once per set of seats (a token pinned to one seat is graded
    afresh). ``paths`` lead from the module's records to their partnership."""

    def __init__(self, name: str, grader: Grader, *, none: L, paths: Iterable[str]):
        self.name = name
        self.grader = grader
        self.none = none
        self.paths = tuple(paths)

    def _graded(self, user) -> tuple[list[tuple[Seat, L]], dict[int, L]]:
        held = seats(user)
        attribute = f"_levels_{self.name}"
        cached = getattr(user, attribute, None)
        if cached is not None and cached[0] == held:
            return cached[1], cached[2]
        grade = self.grader(held) if held else (lambda seat: self.none)
        per_seat = [(seat, grade(seat)) for seat in held]
        found: dict[int, L] = {}
        for seat, level in per_seat:
            if level > found.get(seat.partnership_id, self.none):
                found[seat.partnership_id] = level
        setattr(user, attribute, (held, per_seat, found))
        return per_seat, found

    @classmethod
    def by_role(cls, name: str, role_level: dict[str, L], *, none: L,
                paths: Iterable[str]) -> SeatLevels[L]:
        """Levels that follow from a seat's role alone."""
        return cls(name, lambda held: lambda seat: role_level.get(seat.role, none), none=none,
                   paths=paths)

    def levels(self, user) -> dict[int, L]:
        """Level by partnership id, partnerships with none left out."""
        return self._graded(user)[1]

    def per_seat(self, user) -> list[tuple[Seat, L]]:
        return self._graded(user)[0]

    def partnerships_at(self, user, at_least: L) -> set[int]:
        return {p for p, lvl in self.levels(user).items() if lvl >= at_least}

    def level_for(self, user, partnership_id: int | None) -> L:
        return self.levels(user).get(partnership_id, self.none) if partnership_id \
            else self.none

    def partnership_of(self, obj) -> int | None:
        return partnership_of(obj, self.paths)

    def at_least(self, level: L, name: str):
        """A predicate: with no record, the level in any partnership; on a record (or a
        partnership), in the record's partnership."""

        @rules.predicate(name=name)
        def predicate(user, obj=None) -> bool:
            if obj is None:
                return bool(self.partnerships_at(user, level))
            return self.level_for(user, self.partnership_of(obj)) >= level

        return predicate


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
