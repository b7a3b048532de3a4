"""The daily Operation Encompass reminders, on working days: each Key Adult with a
notification not acknowledged within the rule's working days gets a reminder (a sign-in
link, no child data), and the education safeguarding lead (the partnership's business
unit) gets the counts: overdue notifications and schools with no Key Adult.

Run by the timetable (core/data/schedules.yaml, ``encompass_reminders``) once per working
day; the timetable makes sure a day is sent at most once.
"""

from __future__ import annotations

import datetime as dt

from django.conf import settings
from django.core.mail import EmailMessage, get_connection
from django.urls import reverse

from safeguarding.core.calendar import is_working_day
from safeguarding.core.models import Partnership, User
from safeguarding.core.roles import Role
from safeguarding.encompass import config, selectors, sending
from safeguarding.encompass.models import Message, School


def lead_addresses(partnership_id: int) -> list[str]:
    return sorted({u.email for u in User.objects.filter(
        is_active=True, memberships__partnership=partnership_id,
        memberships__role=Role.BUSINESS_UNIT).exclude(email="")})


def reminders_send(*, on: dt.date | None = None) -> dict:
    on = on or config.today()
    if not is_working_day(on):
        return {"on": on.isoformat(), "skipped": "not a working day", "sent": 0}
    at = config.now()
    reminded = 0
    for notification in selectors.overdue_for_reminder(on):
        if notification.messages.filter(kind=Message.Kind.REMINDER, sent_at__date=on).exists():
            continue
        sending.send(notification, [(Message.Kind.REMINDER, notification.school.key_adult_email)],
                     at=at)
        reminded += 1
    counts = selectors.overdue_counts(on)
    without: dict[int, int] = {}
    for pid in School.objects.filter(key_adult_email="").values_list("partnership_id", flat=True):
        without[pid] = without.get(pid, 0) + 1
    site = getattr(settings, "SITE_URL", "").rstrip("/")
    emails = []
    for partnership in Partnership.objects.filter(pk__in=set(counts) | set(without)):
        addresses = lead_addresses(partnership.pk)
        if not addresses:
            continue
        path = reverse("encompass:escalation", args=[partnership.code])
        emails.append(EmailMessage(
            f"Operation Encompass: {counts.get(partnership.pk, 0)} notification(s) not "
            f"acknowledged, {without.get(partnership.pk, 0)} school(s) with no Key Adult",
            f"The escalation list for {partnership.name}: {site}{path}", None, addresses))
    if emails:
        backend = getattr(settings, "ENCOMPASS_EMAIL_BACKEND", None) or None
        get_connection(backend, fail_silently=False).send_messages(emails)
    return {"on": on.isoformat(), "sent": reminded + len(emails), "reminders": reminded,
            "escalations": len(emails)}
