"""Background work: the daily review reminders.

Run once a day, for example from cron or a systemd timer::

    safeguarding review_reminders        # enqueues the task for the worker
    safeguarding worker                  # the django-tasks database worker runs it
"""

from __future__ import annotations

import datetime as dt

from django_tasks import task

from safeguarding.reviews import reminders


@task()
def send_review_reminders(on: str | None = None) -> dict:
    """Send the reminders due today (or on ``on``, an ISO date, for a catch-up run)."""
    day = dt.date.fromisoformat(on) if on else None
    return reminders.send_reminders(on=day)
