"""The daily reminder of overdue return home interview offers: one e-mail per partnership
with overdue offers, to its Strategic Missing Group members and business unit. Counts and
the due page's address only: no child is named in an e-mail.

Run by the timetable (core/data/schedules.yaml, ``missing_rhi_reminders``) once per
working day, like the other reminders; the timetable makes sure a day is sent at most once.
The 72-hour clock itself runs over weekends: an offer due on Sunday is overdue on the due
page on Sunday, and in Monday's e-mail.
"""

from __future__ import annotations

import datetime as dt

from django.conf import settings
from django.core.mail import send_mail
from django.urls import reverse
from django.utils import timezone

from safeguarding.core.models import Partnership, User
from safeguarding.core.roles import Role
from safeguarding.missing import config, selectors


def recipients(partnership: Partnership) -> list[str]:
    names = config.sub_group_names()
    found = set()
    for user in User.objects.filter(
            is_active=True, memberships__partnership=partnership,
            memberships__role__in=[Role.BUSINESS_UNIT, Role.SUB_GROUP_MEMBER]).distinct(
            ).prefetch_related("memberships__sub_group"):
        for m in user.memberships.all():
            if m.partnership_id == partnership.pk and user.email and (
                    m.role == Role.BUSINESS_UNIT or
                    (m.sub_group and m.sub_group.name.strip().lower() in names)):
                found.add(user.email)
    return sorted(found)


def overdue_reminders_send(*, on: dt.date | None = None) -> dict:
    """Send the day's overdue-interview reminders; return what was sent."""
    on = on or timezone.localdate()
    sent = 0
    counts = selectors.overdue_counts(timezone.now())
    for partnership in Partnership.objects.filter(pk__in=list(counts)).order_by("code"):
        addresses = recipients(partnership)
        if not addresses:
            continue
        n = counts[partnership.pk]
        path = reverse("missing:due", args=[partnership.code])
        send_mail(f"{n} return home interview{'s' if n != 1 else ''} overdue ({partnership.code})",
                  f"{n} child{'ren were' if n != 1 else ' was'} not offered a return home "
                  f"interview within 72 hours of coming back. The list: "
                  f"{getattr(settings, 'SITE_URL', '')}{path}", None, addresses)
        sent += 1
    return {"on": on.isoformat(), "sent": sent}
