"""Due dates across bank holidays, the stored rule id, and each clock status."""

import datetime as dt

import pytest

from safeguarding.core import deadlines
from safeguarding.core.models import NonWorkingDay
from safeguarding.reviews import clocks
from safeguarding.reviews.clocks import Status, status_of

D = dt.date


def test_notification_due_across_easter_2021(db, make_incident):
    # Thursday 1 April 2021; Good Friday 2 April and Easter Monday 5 April are bank holidays.
    # Day 0 is the day of awareness: 6, 7, 8, 9 and 12 April are working days 1 to 5.
    incident = make_incident(D(2021, 4, 1))
    assert incident.notification_due == D(2021, 4, 12)
    assert incident.notification_due.weekday() == 0
    assert incident.notification_due_rule == "serious_incident_notification"
    incident.refresh_from_db()
    assert incident.notification_due == D(2021, 4, 12)


def test_rapid_review_counts_from_the_notification(db, make_incident):
    # Sent Friday 9 April 2021: three whole working weeks later is Friday 30 April.
    incident = make_incident(D(2021, 4, 1), sent_on=D(2021, 4, 9))
    review = incident.rapid_review
    assert review.started_on == D(2021, 4, 9)
    assert review.due_on == D(2021, 4, 30)
    assert review.due_rule == "rapid_review"
    assert review.due_on == deadlines.due_date("rapid_review", D(2021, 4, 9))


def test_rapid_review_over_the_early_may_bank_holiday(db, make_incident):
    # Sent Thursday 22 April 2021; Monday 3 May is a bank holiday, so day 15 is Friday 14 May.
    review = make_incident(D(2021, 4, 20), sent_on=D(2021, 4, 22)).rapid_review
    assert review.due_on == D(2021, 5, 14)


def test_christmas_and_an_added_day_move_the_clock(db, make_incident):
    # Aware Wednesday 23 December 2020: 24 Dec (1), [25, 26-27 weekend, 28 substitute
    # Boxing Day], 29 (2), 30 (3), 31 (4), [1 Jan], 4 Jan (5).
    assert make_incident(D(2020, 12, 23)).notification_due == D(2021, 1, 4)
    NonWorkingDay.objects.create(date=D(2020, 12, 24), name="Office closed")
    assert make_incident(D(2020, 12, 23)).notification_due == D(2021, 1, 5)


@pytest.mark.parametrize(("due", "done", "on", "expected"), [
    (D(2021, 4, 12), None, D(2021, 4, 6), Status.ON_TIME),
    (D(2021, 4, 12), None, D(2021, 4, 8), Status.DUE_SOON),   # two working days before
    (D(2021, 4, 12), None, D(2021, 4, 12), Status.DUE_SOON),  # the due day itself
    (D(2021, 4, 12), None, D(2021, 4, 13), Status.OVERDUE),
    (D(2021, 4, 12), D(2021, 4, 12), D(2021, 5, 1), Status.MET),
    (D(2021, 4, 12), D(2021, 4, 13), D(2021, 5, 1), Status.MISSED),
    (None, None, D(2021, 5, 1), Status.NOT_STARTED),
])
def test_status(db, due, done, on, expected):
    assert status_of(due, done, on) == expected


def test_reminder_day_is_two_working_days_before(db):
    # Due Tuesday 6 April 2021: back over Easter Monday and Good Friday to Wednesday 31 March.
    assert clocks.reminder_day(D(2021, 4, 6)) == D(2021, 3, 31)
    assert clocks.reminder_day(D(2021, 4, 12)) == D(2021, 4, 8)


def test_deferred_and_rule_text(db):
    assert status_of(D(2021, 1, 1), None, D(2021, 6, 1), deferred=True) == Status.DEFERRED
    title, source = clocks.rule_text("serious_incident_notification")
    assert "Notify" in title and "Working Together" in source
    assert clocks.rule_text("")[0] == "Date agreed by the partnership"
