"""The daily reminder of overdue restraint reviews: one e-mail per establishment with
overdue reviews, to its partnership's Review of Restraint sub-group members and business
unit. Counts and the review page's address only: no child is named in an e-mail.

Run by the timetable (core/data/schedules.yaml, ``restraint_review_reminders``) once per
working day; the timetable makes sure a day is sent at most once.
"""

from __future__ import annotations

import datetime as dt

from django.conf import settings
from django.core.mail import send_mail
from django.urls import reverse
from django.utils import timezone

from safeguarding.core.calendar import is_working_day
from safeguarding.core.models import User
from safeguarding.core.roles import Role
from safeguarding.restraint import selectors
from safeguarding.restraint.models import Establishment
from safeguarding.restraint.rules import RESTRAINT_SUB_GROUPS


def recipients(establishment: Establishment) -> list[str]:
    people = User.objects.filter(
        is_active=True, memberships__partnership=establishment.partnership_id,
        memberships__role__in=[Role.BUSINESS_UNIT, Role.SUB_GROUP_MEMBER]).distinct()
    found = []
    for user in people.prefetch_related("memberships__sub_group"):
        for m in user.memberships.all():
            if m.partnership_id != establishment.partnership_id:
                continue
            if m.role == Role.BUSINESS_UNIT or (
                    m.sub_group and m.sub_group.name.strip().lower() in RESTRAINT_SUB_GROUPS):
                if user.email:
                    found.append(user.email)
                break
    return sorted(set(found))


def overdue_reminders_send(*, on: dt.date | None = None) -> dict:
    """Send the day's overdue-review reminders; return what was sent."""
    on = on or timezone.localdate()
    if not is_working_day(on):
        return {"on": on.isoformat(), "skipped": "not a working day", "sent": 0}
    sent = 0
    counts = selectors.overdue_counts(on)
    for establishment in Establishment.objects.filter(pk__in=list(counts)):
        addresses = recipients(establishment)
        if not addresses:
            continue
        n = counts[establishment.pk]
        path = reverse("restraint:due", args=[establishment.pk])
        send_mail(f"{n} restraint review{'s' if n != 1 else ''} overdue at {establishment.name}",
                  f"{n} restraint{'s were' if n != 1 else ' was'} not reviewed by the next "
                  f"working day. The list: {getattr(settings, 'SITE_URL', '')}{path}",
                  None, addresses)
        sent += 1
    return {"on": on.isoformat(), "sent": sent}
