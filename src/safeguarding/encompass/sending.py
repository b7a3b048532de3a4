"""E-mails about notifications: a sign-in link and nothing about the child.

They go through Django's e-mail backends: ``ENCOMPASS_EMAIL_BACKEND`` if set (for
example the project's GOV.UK Notify backend, ``safeguarding.reviews.notify
.NotifyEmailBackend``, with ``GOVUK_NOTIFY_API_KEY`` and ``GOVUK_NOTIFY_TEMPLATE_ID``),
otherwise ``EMAIL_BACKEND``. The tests and the demo use Django's in-memory backend, a stub
that keeps each message. Each message sent is also kept as a ``Message`` row (to whom,
why, when), which the escalation page and the measures read.
"""

from __future__ import annotations

import datetime as dt

from django.conf import settings
from django.core.mail import EmailMessage, get_connection
from django.urls import reverse
from django.utils import timezone

from safeguarding.encompass.models import Message, Notification


def sign_in_link(notification: Notification) -> str:
    site = getattr(settings, "SITE_URL", "").rstrip("/")
    return f"{site}{reverse('encompass:notification', args=[notification.pk])}"


def _words(notification: Notification, kind: str) -> tuple[str, str]:
    school = notification.school.name
    due = timezone.localtime(notification.due_at)
    if kind == Message.Kind.REMINDER:
        subject = f"Reminder: an Operation Encompass notification for {school} is not yet acknowledged"
    else:
        subject = f"Operation Encompass notification for {school}"
    body = (f"The police have shared an Operation Encompass notification with {school}.\n\n"
            f"Sign in to read it and acknowledge it: {sign_in_link(notification)}\n\n"
            f"It is to be read before the start of the school day on {due:%A %-d %B %Y}.\n"
            "This e-mail holds no details of any child: they are only on the platform.")
    if kind == Message.Kind.HOLIDAY:
        body += ("\n\nYou receive this as the school's holiday contact: the next school day "
                 "follows a holiday.")
    return subject, body


def send(notification: Notification, kinds_to: list[tuple[str, str]], *,
         at: dt.datetime) -> list[Message]:
    """Send each (kind, address) one e-mail and keep a record of it."""
    backend = getattr(settings, "ENCOMPASS_EMAIL_BACKEND", None) or None
    connection = get_connection(backend, fail_silently=False)
    emails, kept = [], []
    for kind, address in kinds_to:
        subject, body = _words(notification, kind)
        emails.append(EmailMessage(subject, body, None, [address],
                                   headers={"X-Reference": f"encompass-{notification.pk}-{kind}"}))
        kept.append(Message(notification=notification, kind=kind, to=address, subject=subject,
                            sent_at=at))
    if emails:
        connection.send_messages(emails)
        Message.objects.bulk_create(kept)
    return kept
