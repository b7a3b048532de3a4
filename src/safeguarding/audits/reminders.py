"""The daily reminder of audit returns: one e-mail per agency and partnership with returns
open and due within the configured lead (or overdue), to the agency's auditors there
(practitioners, sub-group members, key adults). Counts and the audits page only; no case.

Run by the timetable (core/data/schedules.yaml, ``audits_return_reminders``) once per
working day; the timetable makes sure a day is sent at most once.
"""

from __future__ import annotations

import datetime as dt
from collections import Counter

from django.conf import settings
from django.core.mail import send_mail
from django.urls import reverse
from django.utils import timezone

from safeguarding.audits.models import AgencyReturn, Audit
from safeguarding.audits.rules import AUDITOR_ROLES
from safeguarding.core.calendar import add_working_days, is_working_day
from safeguarding.core.selectors import member_emails


def recipients(partnership_id: int, agency_id: int) -> list[str]:
    return member_emails(partnership_id=partnership_id, roles=AUDITOR_ROLES, agency_id=agency_id)


def reminders_send(*, on: dt.date | None = None) -> dict:
    """Send the day's return reminders; return what was sent."""
    on = on or timezone.localdate()
    if not is_working_day(on):
        return {"on": on.isoformat(), "skipped": "not a working day", "sent": 0}
    until = add_working_days(on, _lead())
    open_returns = AgencyReturn.objects.filter(
        submitted_on__isnull=True, due_on__lte=until,
        case__audit__status=Audit.Status.RETURNS_OPEN)
    due: Counter[tuple[int, int]] = Counter()
    late: Counter[tuple[int, int]] = Counter()
    for partnership_id, agency_id, due_on in open_returns.values_list(
            "case__audit__programme__partnership_id", "agency_id", "due_on"):
        due[(partnership_id, agency_id)] += 1
        late[(partnership_id, agency_id)] += bool(due_on and due_on < on)
    sent = 0
    path = f"{getattr(settings, 'SITE_URL', '')}{reverse('audits:home')}"
    for key in sorted(due):
        addresses = recipients(*key)
        if not addresses:
            continue
        n, overdue = due[key], late[key]
        subject = f"{n} audit return{'s' if n != 1 else ''} due"
        body = (f"Your agency has {n} single-agency audit return{'s' if n != 1 else ''} open "
                f"and due by {until:%-d %B %Y}")
        if overdue:
            body += f", {overdue} of {'them' if n != 1 else 'it'} overdue"
        send_mail(subject, f"{body}. Complete {'them' if n != 1 else 'it'} at {path}", None,
                  addresses)
        sent += 1
    return {"on": on.isoformat(), "sent": sent}


def _lead() -> int:
    from safeguarding.audits import config

    return config.reminder_lead()
