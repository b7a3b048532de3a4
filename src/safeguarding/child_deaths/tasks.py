"""Background tasks (django-tasks). The worker's timetable sends the reminders every
working day (core/data/schedules.yaml, docs/scheduling.md); by hand,
`safeguarding child_death_reminders [--date YYYY-MM-DD]` enqueues this task."""

from __future__ import annotations

import datetime as dt

from django_tasks import task

from safeguarding.child_deaths.reminders import information_reminders_send


@task()
def send_information_request_reminders(today: str | None = None) -> dict[str, int]:
    """E-mail agencies (or the panel's business unit) about reporting forms due or overdue.

    ``today`` is an ISO date for re-running a missed day; by default, today in London.
    """
    day = dt.date.fromisoformat(today) if today else None
    return information_reminders_send(today=day)
