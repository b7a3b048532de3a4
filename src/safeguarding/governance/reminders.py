"""The daily reminder of overdue governance actions: one e-mail per partnership with
overdue actions, to its business unit. Counts and the overdue view's address only.

Run by the timetable (core/data/schedules.yaml, ``governance_action_reminders``) once per
working day; the timetable makes sure a day is sent at most once.
"""

from __future__ import annotations

import datetime as dt

from django.conf import settings
from django.core.mail import send_mail
from django.urls import reverse
from django.utils import timezone

from safeguarding.core.calendar import is_working_day
from safeguarding.core.models import Partnership
from safeguarding.core.roles import Role
from safeguarding.core.selectors import member_emails
from safeguarding.governance import selectors


def recipients(partnership: Partnership) -> list[str]:
    return member_emails(partnership_id=partnership.pk, roles={Role.BUSINESS_UNIT})


def overdue_reminders_send(*, on: dt.date | None = None) -> dict:
    """Send the day's overdue-action reminders; return what was sent."""
    on = on or timezone.localdate()
    if not is_working_day(on):
        return {"on": on.isoformat(), "skipped": "not a working day", "sent": 0}
    sent = 0
    counts = selectors.overdue_counts(on)
    path = reverse("governance:overdue")
    for partnership in Partnership.objects.filter(pk__in=list(counts)).order_by("code"):
        addresses = recipients(partnership)
        if not addresses:
            continue
        n = counts[partnership.pk]
        send_mail(f"{n} governance action{'s' if n != 1 else ''} overdue",
                  f"{n} action{'s are' if n != 1 else ' is'} past {'their' if n != 1 else 'its'} "
                  f"due date in {partnership.name}'s action log. The overdue view: "
                  f"{getattr(settings, 'SITE_URL', '')}{path}", None, addresses)
        sent += 1
    return {"on": on.isoformat(), "sent": sent}
