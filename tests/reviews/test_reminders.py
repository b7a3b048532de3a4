"""Reminders two working days before a step is due and on the day it becomes overdue,
recorded so that none goes twice; sent by the daily task through Django's e-mail."""

import datetime as dt

from django.core import mail
from django_tasks import TaskResultStatus

from safeguarding.reviews import reminders, services
from safeguarding.reviews.models import Reminder
from safeguarding.reviews.tasks import send_review_reminders

D = dt.date


def _run(day):
    before = len(mail.outbox)
    result = reminders.send_reminders(on=day)
    return result, mail.outbox[before:]


def test_notification_reminders_before_and_when_overdue(make_incident):
    incident = make_incident(D(2021, 4, 1))  # due Monday 12 April 2021, after Easter
    child = incident.children.get()
    assert _run(D(2021, 4, 7))[1] == []
    result, sent = _run(D(2021, 4, 8))  # two working days before the due date
    assert result["sent"] == {"due_soon": 1}
    assert [m.to for m in sent] == [["business.staffs@demo.invalid"]]
    assert sent[0].subject == ("Due 12 April 2021: Notify the Child Safeguarding Practice "
                               "Review Panel (SI 2021-22/01)")
    assert "Rule: Notify the Child Safeguarding Practice Review Panel" in sent[0].body
    assert child.last_name not in sent[0].body and child.last_name not in sent[0].subject
    assert _run(D(2021, 4, 8))[1] == []  # not twice the same day
    assert _run(D(2021, 4, 9))[1] == []  # nor again before it falls due
    assert _run(D(2021, 4, 12))[1] == []
    result, sent = _run(D(2021, 4, 13))  # the first working day after the due date
    assert result["sent"] == {"overdue": 1}
    assert sent[0].subject.startswith("Overdue since 12 April 2021")
    assert _run(D(2021, 4, 13))[1] == []
    assert _run(D(2021, 4, 20))[1] == []  # notifications are not chased again
    assert list(Reminder.objects.order_by("sent_on").values_list("kind", "sent_on", "due_on")) == [
        ("due_soon", D(2021, 4, 8), D(2021, 4, 12)), ("overdue", D(2021, 4, 13), D(2021, 4, 12))]


def test_a_done_step_is_not_reminded(make_incident):
    incident = make_incident(D(2021, 4, 1))
    services.incident_notify(actor=None, incident=incident, sent_on=D(2021, 4, 7))
    assert _run(D(2021, 4, 8))[1] == []
    assert _run(D(2021, 4, 13))[1] == []


def test_no_reminders_at_weekends_or_bank_holidays(make_incident):
    make_incident(D(2021, 3, 25))  # due Thursday 1 April; reminder Tuesday 30 March
    assert _run(D(2021, 4, 2))[0]["skipped"] == "not a working day"  # Good Friday
    assert _run(D(2021, 4, 3))[0]["skipped"] == "not a working day"
    # The overdue reminder waits for Tuesday 6 April, the first working day after Easter.
    assert _run(D(2021, 4, 6))[0]["sent"] == {"overdue": 1}


def test_a_missed_run_is_made_up_within_five_working_days_only(make_incident):
    make_incident(D(2021, 4, 1))  # due 12 April
    assert _run(D(2021, 4, 19))[0]["sent"] == {"overdue": 1}  # the fifth working day after
    make_incident(D(2021, 4, 1))
    assert _run(D(2021, 5, 4))[0]["sent"] == {}  # long past: no flood of old reminders


def test_actions_go_to_the_owning_agency_and_are_chased(records):
    action = records["action"]  # police, due Thursday 1 July 2021
    services.incident_notify(actor=None, incident=records["incident"], sent_on=D(2021, 4, 9))
    result, sent = _run(D(2021, 6, 29))
    action_mail = [m for m in sent if "Brief officers." in m.subject]
    assert sorted(m.to[0] for m in action_mail) == ["police.officer@demo.invalid",
                                                    "reviews.member@demo.invalid"]
    assert Reminder.objects.get(step_key=f"action:{action.pk}").kind == "due_soon"
    _run(D(2021, 7, 2))
    assert Reminder.objects.filter(step_key=f"action:{action.pk}", kind="overdue").exists()
    assert not any("Brief officers." in m.subject for m in _run(D(2021, 7, 8))[1])
    chased = [m for m in _run(D(2021, 7, 9))[1] if "Brief officers." in m.subject]
    assert chased and chased[0].subject.startswith("Still overdue")


def test_the_daily_task_runs_on_the_immediate_backend(make_incident):
    make_incident(D(2021, 4, 1))
    result = send_review_reminders.enqueue(on="2021-04-08")
    assert result.status == TaskResultStatus.SUCCESSFUL
    assert result.return_value == {"on": "2021-04-08", "sent": {"due_soon": 1}}
    assert mail.outbox[-1].to == ["business.staffs@demo.invalid"]
    again = send_review_reminders.enqueue(on="2021-04-08")
    assert again.return_value["sent"] == {}


def test_the_command_runs_now_or_queues(make_incident):
    from io import StringIO

    from django.core.management import call_command

    make_incident(D(2021, 4, 1))
    out = StringIO()
    call_command("review_reminders", "--now", "--on", "2021-04-08", stdout=out)
    assert "due_soon" in out.getvalue()
    out = StringIO()
    call_command("review_reminders", "--on", "2021-04-13", stdout=out)
    assert "Queued" in out.getvalue()
    assert Reminder.objects.filter(kind="overdue").exists()
