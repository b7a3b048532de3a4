"""Reminders for review steps: two working days before, and when a step becomes overdue.

The daily task (``tasks.send_review_reminders``) calls ``send_reminders`` once a
day. On a working day it sends, for each open step:

- a *due soon* reminder from the day two working days before the due date (rule
  ``action_reminder_lead``) up to the due date, once;
- an *overdue* reminder on the first working day after the due date, once (a run
  missed by an outage is made up within five working days, no later, so a new
  install with old records does not flood anyone);
- for actions only, a *chase* every five working days while the action stays
  overdue after an earlier reminder.

Every reminder sent is recorded (``Reminder``); one step gets at most one a day.
E-mails go through Django's e-mail backends: ``REVIEWS_EMAIL_BACKEND`` if set
(for example the GOV.UK Notify backend in ``notify.py``), else ``EMAIL_BACKEND``.
Reminders name the record's reference and the step, never a child.
"""

from __future__ import annotations

import datetime as dt
import logging
from collections import Counter

from django.conf import settings
from django.core.mail import EmailMessage, get_connection
from django.db import transaction

from safeguarding.core.calendar import is_working_day, working_days_between
from safeguarding.core.models import Membership, Partnership
from safeguarding.core.roles import Role
from safeguarding.reviews import clocks
from safeguarding.reviews.clocks import Workflow
from safeguarding.reviews.models import Reminder, ReminderKind
from safeguarding.reviews.rules import ACTION_OWNER_ROLES, PRACTICE_REVIEW_SUB_GROUPS
from safeguarding.reviews.steps import open_steps

log = logging.getLogger(__name__)

CATCH_UP_WORKING_DAYS = 5


def _chase_every() -> int:
    return int(getattr(settings, "REVIEWS_ACTION_CHASE_WORKING_DAYS", 5))


def _emails(memberships) -> list[str]:
    found = {m.user.email.strip().lower() for m in memberships
             if m.user.is_active and m.user.email.strip()}
    return sorted(found)


def _business_unit(partnership_id: int) -> list[str]:
    return _emails(Membership.objects.filter(
        partnership_id=partnership_id, role=Role.BUSINESS_UNIT).select_related("user"))


def _agency_people(partnership_id: int, agency_id: int, *, include_practitioners: bool) -> list[str]:
    seats = Membership.objects.filter(agency_id=agency_id).select_related("user", "sub_group")
    chosen = []
    for m in seats:
        in_review_group = (m.role == Role.SUB_GROUP_MEMBER and m.sub_group is not None
                           and m.partnership_id == partnership_id
                           and m.sub_group.name.strip().lower() in PRACTICE_REVIEW_SUB_GROUPS)
        if in_review_group or (include_practitioners and m.role in ACTION_OWNER_ROLES):
            chosen.append(m)
    return _emails(chosen)


def recipients(step: clocks.Step) -> list[str]:
    """Who is told: the owning agency's people for returns and actions, else the business
    unit. If an agency has no one to tell, the business unit is told instead."""
    people: list[str] = []
    if step.agency_id is not None:
        people = _agency_people(step.partnership_id, step.agency_id,
                                include_practitioners=step.workflow == Workflow.ACTION)
    return people or _business_unit(step.partnership_id)


_SUBJECTS: dict[str, str] = {
    ReminderKind.DUE_SOON: "Due {due:%-d %B %Y}: {label} ({reference})",
    ReminderKind.OVERDUE: "Overdue since {due:%-d %B %Y}: {label} ({reference})",
    ReminderKind.CHASE: "Still overdue: {label} ({reference})",
}


def _message(step: clocks.Step, kind: str, address: str) -> EmailMessage:
    title, source = clocks.rule_text(step.rule_id)
    site = getattr(settings, "SITE_URL", "").rstrip("/")
    lines = [
        f"{step.workflow_label}: {step.label}",
        f"Record: {step.reference}",
        f"Due: {step.due_on:%A %-d %B %Y}",
        f"Rule: {title} ({source})",
        "",
    ]
    if kind == ReminderKind.DUE_SOON:
        lines.append("This step is due in two working days or less.")
    else:
        lines.append("This step is overdue. Please record it when it is done, "
                     "or tell the partnership business unit what is holding it up.")
    if step.url:
        lines += ["", f"Open it: {site}{step.url}"]
    subject = _SUBJECTS[kind].format(due=step.due_on, label=step.label[:80],
                                     reference=step.reference)
    return EmailMessage(subject=subject, body="\n".join(lines),
                        from_email=settings.DEFAULT_FROM_EMAIL, to=[address],
                        headers={"X-Reference": f"{step.key}:{kind}"})


def _kind_due(step: clocks.Step, on: dt.date, memo: dict) -> str | None:
    """Which reminder, if any, this step should get today."""
    if step.due_on is None or step.done_on is not None or step.deferred:
        return None
    sent = Reminder.objects.filter(step_key=step.key, due_on=step.due_on)
    if clocks.reminder_day(step.due_on, memo) <= on <= step.due_on:
        return None if sent.filter(kind=ReminderKind.DUE_SOON).exists() else ReminderKind.DUE_SOON
    if on <= step.due_on:
        return None
    if not sent.filter(kind=ReminderKind.OVERDUE).exists():
        if working_days_between(step.due_on, on) <= CATCH_UP_WORKING_DAYS:
            return ReminderKind.OVERDUE
        return None
    if step.workflow == Workflow.ACTION:
        last = sent.order_by("-sent_on").first()
        if last is not None and working_days_between(last.sent_on, on) >= _chase_every():
            return ReminderKind.CHASE
    return None


def send_reminders(*, on: dt.date | None = None) -> dict:
    """Send today's reminders for every partnership; return what was done, by kind."""
    on = on or clocks.today()
    if not is_working_day(on):
        return {"on": on.isoformat(), "skipped": "not a working day", "sent": {}}
    backend = getattr(settings, "REVIEWS_EMAIL_BACKEND", None) or None
    connection = get_connection(backend, fail_silently=False)
    memo: dict = {}
    sent: Counter = Counter()
    partnership_ids = Partnership.objects.values_list("pk", flat=True)
    for step in open_steps(partnership_ids=partnership_ids):
        kind = _kind_due(step, on, memo)
        if kind is None:
            continue
        addresses = recipients(step)
        if not addresses:
            log.warning("No one to remind about %s", step.key)
            continue
        with transaction.atomic():
            _, created = Reminder.objects.get_or_create(
                step_key=step.key, sent_on=on,
                defaults={"kind": kind, "due_on": step.due_on,
                          "recipients": ", ".join(addresses),
                          "backend": backend or settings.EMAIL_BACKEND})
            if not created:
                continue
            connection.send_messages([_message(step, kind, a) for a in addresses])
        sent[str(kind)] += 1
    return {"on": on.isoformat(), "sent": dict(sent)}
