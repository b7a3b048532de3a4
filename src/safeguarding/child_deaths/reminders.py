"""Reminder e-mails for agency reporting forms: two working days before the due date,
and on the first day a form is overdue. Each is sent at most once per request: the
reminder row is written in the same transaction as the e-mail is sent, under a unique
constraint, so a second run (or a second worker) sends nothing.

E-mails never name the child: they give the case reference and ask the reader to
sign in.
"""

from __future__ import annotations

import datetime as dt
import logging

from django.conf import settings
from django.core.mail import send_mail
from django.db import IntegrityError, transaction
from django.utils import timezone

from safeguarding.child_deaths.models import InformationRequest, InformationRequestReminder
from safeguarding.child_deaths.rules import hosting_partnership_id
from safeguarding.core import deadlines
from safeguarding.core.roles import Role
from safeguarding.core.selectors import member_emails

LEAD_RULE = "action_reminder_lead"
Kind = InformationRequestReminder.Kind
log = logging.getLogger(__name__)


def reminder_due(request: InformationRequest, today: dt.date) -> str | None:
    """Which reminder this request needs today, if any (ignoring ones already sent)."""
    if request.received_on is not None:
        return None
    if today > request.due_on:
        return Kind.OVERDUE
    if today >= deadlines.due_date(LEAD_RULE, request.due_on):
        return Kind.DUE_SOON
    return None


def business_unit_emails(partnership_id: int) -> list[str]:
    return member_emails(partnership_id=hosting_partnership_id(partnership_id),
                         roles={Role.BUSINESS_UNIT})


def recipients_for(request: InformationRequest) -> list[str]:
    if request.contact_email:
        return [request.contact_email]
    return business_unit_emails(request.case.partnership_id)


def _message(request: InformationRequest, kind: str) -> tuple[str, str]:
    case = request.case
    due = f"{request.due_on:%-d %B %Y}"
    if kind == Kind.OVERDUE:
        subject = f"Overdue: child death reporting form was due {due} ({case.reference})"
        opening = f"The {request.get_form_display().lower()} was due on {due} and has not arrived."
    else:
        subject = f"Due soon: child death reporting form due {due} ({case.reference})"
        opening = f"The {request.get_form_display().lower()} is due on {due}."
    greeting = f"Dear {request.contact_name}," if request.contact_name else "Hello,"
    chase = (
        ""
        if request.contact_email
        else (
            f"\nNo contact e-mail is recorded for {request.agency}, so this reminder comes to the "
            "Child Death Overview Panel business unit: please chase the agency.\n"
        )
    )
    body = (
        f"{greeting}\n\n"
        f"{request.agency} was asked on {request.requested_on:%-d %B %Y} for information for "
        f"child death review case {case.reference}.\n{opening}\n{chase}\n"
        "Please send it to the Child Death Overview Panel business unit. This e-mail does not "
        "name the child: sign in to the partnership service to see the case.\n\n"
        f"The due date follows the rule '{request.due_rule}': "
        f"{deadlines.rule(request.due_rule).describe()}.\n"
    )
    return subject, body


def information_reminders_send(*, today: dt.date | None = None) -> dict[str, int]:
    """Send the reminders due today; return how many of each were sent or skipped."""
    today = today or timezone.localdate()
    counts = {Kind.DUE_SOON.value: 0, Kind.OVERDUE.value: 0, "no_recipient": 0}
    # The lead time is two working days: a fortnight's window covers any run of holidays.
    candidates = (
        InformationRequest.objects.filter(
            received_on__isnull=True, due_on__lte=today + dt.timedelta(days=14)
        )
        .exclude(reminders__kind=Kind.OVERDUE)
        .select_related("case__partnership", "agency")
        .order_by("due_on", "pk")
    )
    for request in candidates.iterator(chunk_size=500):
        kind = reminder_due(request, today)
        if kind is None or request.reminders.filter(kind=kind).exists():
            continue
        recipients = recipients_for(request)
        if not recipients:
            log.warning("No one to remind for information request %s", request.pk)
            counts["no_recipient"] += 1
            continue
        subject, body = _message(request, kind)
        try:
            with transaction.atomic():
                InformationRequestReminder.objects.create(
                    request=request, kind=kind, sent_on=today, recipients=", ".join(recipients)
                )
                # If sending fails the row is rolled back and tomorrow's run tries again.
                send_mail(subject, body, settings.DEFAULT_FROM_EMAIL, recipients)
        except IntegrityError:
            continue  # another run sent it first
        counts[kind] += 1
    return counts
