"""Reads for partnerships, people, the calendar and the audit log."""

from __future__ import annotations

import datetime as dt

from django.db.models import Count, Q, QuerySet

from safeguarding.core import roles
from safeguarding.core.models import (
    AuditEvent,
    LocalAuthority,
    Membership,
    NonWorkingDay,
    Partnership,
    User,
)
from safeguarding.core.rules import is_system_administrator, partnerships_where


def home_las(las: list[str]) -> dict[int, str]:
    """Partnership id -> its home LA's code (its lowest), for the partnerships homed in
    ``las``: a record kept for a partnership as a whole is counted under its home LA."""
    homes: dict[int, str] = {}
    for pid, code in (LocalAuthority.objects.order_by("old_code")
                      .values_list("partnership_id", "old_code")):
        homes.setdefault(pid, code)
    return {pid: code for pid, code in homes.items() if code in las}


def member_emails(*, partnership_id: int, roles, agency_id: int | None = None) -> list[str]:
    """The e-mail addresses, sorted and each once, of the active people holding one of
    ``roles`` in the partnership (at ``agency_id`` when given): whom a reminder goes to."""
    seats = Membership.objects.filter(partnership_id=partnership_id, role__in=list(roles),
                                      user__is_active=True)
    if agency_id is not None:
        seats = seats.filter(agency_id=agency_id)
    return sorted(set(seats.exclude(user__email="").values_list("user__email", flat=True)))


def partnership_list(*, actor: User) -> QuerySet[Partnership]:
    partnerships = Partnership.objects.prefetch_related("local_authorities").annotate(
        agency_count=Count("agencies", distinct=True)
    )
    if is_system_administrator(actor):
        return partnerships
    return partnerships.filter(pk__in=partnerships_where(actor, roles.VIEW_PARTNERSHIPS))


def partnership_detail(*, partnership: Partnership) -> dict:
    return {
        "local_authorities": partnership.local_authorities.all(),
        "agencies": partnership.agencies.order_by("kind", "name"),
        "sub_groups": partnership.sub_groups.all(),
        "shares_given": partnership.shares_given.select_related("shared_with"),
        "shares_received": partnership.shares_received.select_related("owner"),
    }


def person_list(*, query: str = "") -> QuerySet[User]:
    people = User.objects.prefetch_related("memberships__agency", "memberships__partnership")
    if query:
        people = people.filter(
            Q(username__icontains=query) | Q(first_name__icontains=query)
            | Q(last_name__icontains=query) | Q(email__icontains=query)
        )
    return people.order_by("last_name", "first_name", "username")


def added_days() -> QuerySet[NonWorkingDay]:
    return NonWorkingDay.objects.select_related("added_by")


def audit_search(*, actor: User, filters: dict) -> QuerySet[AuditEvent]:
    events = AuditEvent.objects.all()
    if not is_system_administrator(actor):
        # The business unit searches reads by people of its own partnerships.
        own = partnerships_where(actor, roles.SEARCH_AUDIT_LOG)
        events = events.filter(actor__memberships__partnership_id__in=own).distinct()
    if filters.get("actor"):
        events = events.filter(actor_label__iexact=filters["actor"].strip())
    if filters.get("object_type"):
        events = events.filter(object_type=filters["object_type"].strip().lower())
    if filters.get("object_id"):
        events = events.filter(object_id=filters["object_id"].strip())
    if filters.get("action"):
        events = events.filter(action=filters["action"])
    if filters.get("date_from"):
        events = events.filter(occurred_at__date__gte=filters["date_from"])
    if filters.get("date_to"):
        events = events.filter(occurred_at__date__lte=filters["date_to"] or dt.date.max)
    return events.order_by("-sequence")
