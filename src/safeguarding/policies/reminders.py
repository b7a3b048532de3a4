"""The daily policy job: e-mail each policy's owner once when its review date is near (the
partnership's ``remind_days_before``, data/config.yaml) and once when it has passed without
a review. Run by the timetable (core/data/schedules.yaml, ``policy_review_reminders``);
each reminder is recorded per policy, kind and review date (``ReminderSent``), so a day run
twice sends nothing twice, and a new review date starts the reminders again.

``POLICIES_EMAIL_BACKEND`` chooses the backend for these e-mails (default: the site's
``EMAIL_BACKEND``); set it to the GOV.UK Notify backend the platform has
(``safeguarding.reviews.notify.NotifyEmailBackend``) to deliver through Notify.
"""

from __future__ import annotations

import datetime as dt

from django.conf import settings
from django.core.mail import EmailMessage, get_connection
from django.db import IntegrityError, transaction
from django.urls import reverse
from django.utils import timezone

from safeguarding.policies import config
from safeguarding.policies.models import Policy, ReminderSent


def send(to: str, subject: str, body: str) -> int:
    if not to:
        return 0
    backend = getattr(settings, "POLICIES_EMAIL_BACKEND", None) or None
    connection = get_connection(backend, fail_silently=False)
    return connection.send_messages([EmailMessage(subject, body, None, [to])])


def _message(policy: Policy, kind: str) -> tuple[str, str]:
    link = f"{getattr(settings, 'SITE_URL', '')}{reverse('policies:policy', args=[policy.pk])}"
    when = f"{policy.review_due:%-d %B %Y}"
    if kind == "overdue":
        return (f"Policy overdue for review: {policy.title}",
                f"{policy.title} was due for review on {when} and has not been reviewed. "
                f"As its owner, review it, publish a new version if it changes, and record "
                f"the review: {link}")
    return (f"Policy due for review on {when}: {policy.title}",
            f"{policy.title} is due for review on {when}. As its owner, review it, publish "
            f"a new version if it changes, and record the review: {link}")


def reminders_send(*, on: dt.date | None = None) -> dict:
    on = on or timezone.localdate()
    sent = 0
    for policy in (Policy.objects.select_related("owner").prefetch_related("partnerships")
                   .order_by("pk")):
        rules = config.for_policy(policy)
        if policy.review_due < on:
            kind = "overdue" if rules.remind_when_overdue else ""
        elif policy.review_due <= on + dt.timedelta(days=rules.remind_days_before):
            kind = "due"
        else:
            kind = ""
        if not kind or not policy.owner.is_active or not policy.owner.email:
            continue
        try:
            with transaction.atomic():
                ReminderSent.objects.create(policy=policy, kind=kind, due_on=policy.review_due,
                                            sent_on=on)
                send(policy.owner.email, *_message(policy, kind))
        except IntegrityError:
            continue
        sent += 1
    return {"on": on.isoformat(), "sent": sent}
