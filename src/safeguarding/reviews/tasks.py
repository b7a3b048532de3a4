"""Background work: the daily review reminders.

The worker's timetable runs them every working day (core/data/schedules.yaml,
docs/scheduling.md). By hand, for a given day::

    safeguarding review_reminders [--on YYYY-MM-DD]   # enqueues this task for the worker
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
