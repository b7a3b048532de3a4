"""The daily reminders through the timetable: the worker's schedule sends the due-soon reminder
two working days before a step is due and the overdue one when it becomes overdue, once each."""

import datetime as dt
import zoneinfo

from django.core import mail

from safeguarding.core import scheduler
from safeguarding.reviews.models import Reminder

LONDON = zoneinfo.ZoneInfo("Europe/London")


def _morning(day: dt.date) -> dt.datetime:
    return dt.datetime(day.year, day.month, day.day, 7, 30, tzinfo=LONDON)


def test_the_schedule_sends_each_reminder_once_on_its_day(make_incident):
    make_incident(dt.date(2021, 4, 1))  # notification due Monday 12 April 2021, after Easter
    scheduler.enqueue_due(_morning(dt.date(2021, 4, 7)))
    assert mail.outbox == []
    scheduler.enqueue_due(_morning(dt.date(2021, 4, 8)))  # two working days before
    scheduler.enqueue_due(_morning(dt.date(2021, 4, 8)))  # a second worker: nothing more
    assert [m.subject[:22] for m in mail.outbox] == ["Due 12 April 2021: Not"]
    # The worker is down from Friday 9 to Tuesday 13 April; back on Wednesday 14 it catches
    # up the missed days once each, so the overdue reminder still goes, once.
    scheduler.enqueue_due(_morning(dt.date(2021, 4, 14)))
    scheduler.enqueue_due(_morning(dt.date(2021, 4, 14)))
    assert len(mail.outbox) == 2 and mail.outbox[1].subject.startswith("Overdue since 12 April")
    assert list(Reminder.objects.order_by("sent_on").values_list("kind", "sent_on")) == [
        ("due_soon", dt.date(2021, 4, 8)), ("overdue", dt.date(2021, 4, 13))]
