"""Reads for Operation Encompass. A notification names a child, so it leaves here only
through core.access (audited); schools and counts are not identifiable."""

from __future__ import annotations

import datetime as dt

from django.core.exceptions import PermissionDenied
from django.db.models import Q, QuerySet
from django.utils import timezone

from safeguarding.core import access
from safeguarding.core.calendar import month_end
from safeguarding.core.models import Partnership, User
from safeguarding.encompass import config
from safeguarding.encompass.models import Incident, Notification, School
from safeguarding.encompass.rules import Level, key_adult_agencies, partnerships_at


def partnerships_for(actor: User, at_least: Level = Level.POLICE) -> QuerySet[Partnership]:
    return Partnership.objects.filter(pk__in=partnerships_at(actor, at_least)).order_by("code")


def schools_for(actor: User) -> QuerySet[School]:
    """Schools of the partnerships the actor records for or leads (names and contacts)."""
    return (School.objects.filter(partnership_id__in=partnerships_at(actor, Level.POLICE))
            .select_related("partnership", "local_authority").order_by("partnership__code", "name"))


def school_get(*, actor: User, pk: int) -> School:
    found = School.objects.filter(pk=pk).select_related("partnership").first()
    if found is None or not actor.has_perm("encompass.manage_schools", found):
        raise PermissionDenied
    return found


def _visible_notifications(actor: User) -> QuerySet[Notification]:
    visible = Q(incident__partnership_id__in=partnerships_at(actor, Level.POLICE))
    for partnership_id, agencies in key_adult_agencies(actor).items():
        visible |= Q(school__partnership_id=partnership_id, school__agency_id__in=agencies)
    return (Notification.objects.filter(visible)
            .select_related("incident", "school__partnership", "acknowledged_by"))


def notifications(*, actor: User, open_only: bool = False, purpose: str) -> list[Notification]:
    """The notifications the actor may read (a Key Adult: their own school's), audited."""
    found = _visible_notifications(actor)
    if open_only:
        found = found.filter(acknowledged_at__isnull=True)
    return access.read_many(actor=actor, objects=found.order_by("-due_at", "pk")[:200],
                            permission="encompass.view_notification", purpose=purpose)


def notification_get(*, actor: User, pk: int, purpose: str = "read Operation Encompass "
                     "notification") -> Notification:
    found = (Notification.objects.select_related("incident", "school__partnership",
                                                 "acknowledged_by").filter(pk=pk).first())
    if found is None:
        raise PermissionDenied
    return access.read_one(actor=actor, obj=found, permission="encompass.view_notification",
                           purpose=purpose)


def incidents(*, actor: User, partnership: Partnership, purpose: str) -> list[Incident]:
    found = (Incident.objects.filter(partnership=partnership).prefetch_related("notifications")
             .order_by("-occurred_at")[:100])
    return access.read_many(actor=actor, objects=found, permission="encompass.view_incident",
                            purpose=purpose)


def incident_get(*, actor: User, pk: int) -> Incident:
    found = Incident.objects.select_related("partnership").filter(pk=pk).first()
    if found is None:
        raise PermissionDenied
    return access.read_one(actor=actor, obj=found, permission="encompass.view_incident",
                           purpose=f"read Operation Encompass incident {found.police_reference}")


def _overdue(today: dt.date) -> QuerySet[Notification]:
    """Sent and not acknowledged by the acknowledgement day, or never sent."""
    return Notification.objects.filter(acknowledged_at__isnull=True).filter(
        Q(acknowledge_by__lt=today) | Q(sent_at__isnull=True))


def escalation(*, actor: User, partnership: Partnership, today: dt.date | None = None) -> dict:
    """For the education safeguarding lead: schools with no Key Adult, and notifications
    not acknowledged within the rule's working days (or not sent), read through the door."""
    if not actor.has_perm("encompass.view_escalation", partnership):
        raise PermissionDenied
    today = today or config.today()
    overdue = access.read_many(
        actor=actor, objects=_overdue(today).filter(incident__partnership=partnership)
        .select_related("incident", "school").order_by("due_at", "pk"),
        permission="encompass.view_notification", purpose="Operation Encompass escalation")
    no_key_adult = list(School.objects.filter(partnership=partnership, key_adult_email="")
                        .order_by("name"))
    return {"overdue": overdue, "no_key_adult": no_key_adult,
            "rule": config.config()["acknowledgement"]}


def overdue_counts(today: dt.date) -> dict[int, int]:
    """Unacknowledged overdue notifications by partnership id: counts only (reminders)."""
    counts: dict[int, int] = {}
    for pid in _overdue(today).values_list("incident__partnership_id", flat=True):
        counts[pid] = counts.get(pid, 0) + 1
    return counts


def overdue_for_reminder(today: dt.date) -> QuerySet[Notification]:
    """Sent, unacknowledged, past the acknowledgement day: the Key Adult is reminded."""
    return (Notification.objects.filter(acknowledged_at__isnull=True, acknowledge_by__lt=today,
                                        sent_at__isnull=False)
            .exclude(school__key_adult_email="").select_related("school"))


def due_list(*, partnership: Partnership | None = None, today: dt.date | None = None
             ) -> list[tuple]:
    """Unacknowledged notifications, pseudonymous (CLI): (id, school, due, sent, overdue)."""
    today = today or config.today()
    found = Notification.objects.filter(acknowledged_at__isnull=True)
    if partnership is not None:
        found = found.filter(incident__partnership=partnership)
    return [(pk, urn, name, due, sent, (ack is not None and ack < today) or sent is None)
            for pk, urn, name, due, sent, ack in found.order_by("due_at", "pk").values_list(
                "pk", "school__urn", "school__name", "due_at", "sent_at", "acknowledge_by")]


# Figures for the measure engine (pseudonymous rows) ------------------------

def frame_rows(las: list[str], where: Q | None = None) -> list[tuple]:
    """(school's LA, child key, incident day) per notification, narrowed by ``where``."""
    found = Notification.objects.filter(school__local_authority__old_code__in=las)
    if where is not None:
        found = found.filter(where)
    return [(la, key, timezone.localtime(at).date())
            for la, key, at in found.values_list("school__local_authority__old_code", "child_key",
                                                 "incident__occurred_at").order_by("pk")]


def repeat_rows(las: list[str]) -> list[tuple]:
    """Notifications for a child notified before within the configured months."""
    days = config.repeat_months() * 366 // 12
    last: dict[tuple[str, str], dt.date] = {}
    found = []
    for la, key, day in sorted(frame_rows(las)):
        before = last.get((la, key))
        if before is not None and (day - before).days <= days:
            found.append((la, key, day))
        last[(la, key)] = day
    return found


def school_month_rows(las: list[str], with_key_adult: bool) -> list[tuple]:
    """(LA, school key, month end) per school for each month end from the month it was
    added to the coverage's end: all of them, or those with a Key Adult on that day."""
    spans = {la: end for la, _start, end in coverage_spans(las)}
    rows = []
    for school in School.objects.filter(local_authority__old_code__in=las).select_related(
            "local_authority").order_by("pk"):
        la = school.local_authority.old_code
        if la not in spans:
            continue
        day = month_end(school.added_on)
        while day <= spans[la]:
            since = school.key_adult_since
            if not with_key_adult or (school.key_adult_email and since and since <= day):
                rows.append((la, f"school/{school.urn}", day))
            day = month_end(day + dt.timedelta(days=1))
    return rows


def coverage_spans(las: list[str]) -> list[tuple[str, dt.date, dt.date]]:
    """Each LA's recording covers from its first school's day to the end of the month of
    its latest incident."""
    spans = []
    for la in las:
        first = (School.objects.filter(local_authority__old_code=la).order_by("added_on")
                 .values_list("added_on", flat=True).first())
        latest = (Notification.objects.filter(school__local_authority__old_code=la)
                  .order_by("-incident__occurred_at")
                  .values_list("incident__occurred_at", flat=True).first())
        if first is None or latest is None:
            continue
        spans.append((la, first, month_end(timezone.localtime(latest).date())))
    return spans


def notifications_of(*, actor: User, incident: Incident) -> list[Notification]:
    return access.read_many(actor=actor, objects=incident.notifications.select_related(
        "school", "incident").order_by("pk"), permission="encompass.view_notification",
        purpose=f"Operation Encompass incident {incident.police_reference}")
