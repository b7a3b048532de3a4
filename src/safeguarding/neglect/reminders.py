"""The daily GCP2 licence reminders: each practitioner whose licence expires in the
configured number of days or fewer (60 and 14 by default) is e-mailed once per lead, and the
partnership's business unit gets the day's count with the expiring-soon list's address.

Run by the timetable (core/data/schedules.yaml, ``neglect_licence_reminders``) every working day;
each licence and lead is sent once (``LicenceReminder``), so a day run twice sends nothing
twice, and a missed day is caught up (a lead past but the licence not yet expired).
"""

from __future__ import annotations

import datetime as dt
from collections import Counter

from django.conf import settings
from django.core.mail import send_mail
from django.urls import reverse
from django.utils import timezone

from safeguarding.core.models import Partnership
from safeguarding.core.roles import Role
from safeguarding.core.selectors import member_emails
from safeguarding.neglect import config
from safeguarding.neglect.models import Licence, LicenceReminder


def _business_unit(partnership_id: int) -> list[str]:
    return member_emails(partnership_id=partnership_id, roles={Role.BUSINESS_UNIT})


def licence_reminders_send(*, on: dt.date | None = None) -> dict:
    on = on or timezone.localdate()
    site = getattr(settings, "SITE_URL", "")
    sent, per_partnership = 0, Counter[int]()
    for lead in config.reminder_leads():
        due = (Licence.objects.filter(withdrawn_on__isnull=True, renewed_by__isnull=True,
                                      issued_on__lte=on, expires_on__gte=on,
                                      expires_on__lte=on + dt.timedelta(days=lead))
               .exclude(reminders__lead_days__lte=lead).select_related("agency"))
        for licence in due.order_by("pk"):
            LicenceReminder.objects.create(licence=licence, lead_days=lead, sent_on=on)
            per_partnership[licence.partnership_id] += 1
            if licence.email:
                send_mail("Your GCP2 licence expires soon",
                          f"Your licence to use the Graded Care Profile 2 expires on "
                          f"{licence.expires_on:%-d %B %Y}. Ask your partnership's business "
                          f"unit to renew it.", None, [licence.email])
                sent += 1
    for pid, count in sorted(per_partnership.items()):
        addresses = _business_unit(pid)
        if not addresses:
            continue
        name = Partnership.objects.get(pk=pid).name
        send_mail(f"{count} GCP2 licence{'s' if count != 1 else ''} expiring soon",
                  f"{count} GCP2 licence{'s' if count != 1 else ''} in {name} "
                  f"reached a reminder date today. The expiring-soon list: "
                  f"{site}{reverse('neglect:expiring')}", None, addresses)
        sent += 1
    return {"on": on.isoformat(), "sent": sent, "licences": sum(per_partnership.values())}
