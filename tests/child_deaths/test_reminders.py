"""Reminders: two working days before the due date and when overdue, never twice."""

from __future__ import annotations

import datetime as dt

import pytest
from django.core import mail

from safeguarding.child_deaths import services
from safeguarding.child_deaths.models import InformationRequestReminder
from safeguarding.child_deaths.reminders import information_reminders_send
from safeguarding.child_deaths.tasks import send_information_request_reminders
from tests.child_deaths.helpers import TODAY, icb, notify, police, user

pytestmark = pytest.mark.django_db


@pytest.fixture
def request_due(demo_world):
    case = notify(
        code="STOKE", date_of_death=dt.date(2021, 3, 30), notified_on=dt.date(2021, 3, 30)
    )
    request = services.information_request_add(
        actor=user("business.staffs"),
        case=case,
        agency=icb(),
        contact_name="Pat Named",
        contact_email="pat.named@icb.invalid",
        requested_on=dt.date(2021, 3, 31),
        today=TODAY,
    )
    assert request.due_on == dt.date(2021, 4, 30)  # a Friday, after Easter
    return request


def test_due_soon_two_working_days_before_then_overdue_and_never_twice(request_due):
    assert information_reminders_send(today=dt.date(2021, 4, 27))["due_soon"] == 0
    sent = information_reminders_send(today=dt.date(2021, 4, 28))  # two working days before
    assert sent["due_soon"] == 1 and len(mail.outbox) == 1
    message = mail.outbox[0]
    assert message.to == ["pat.named@icb.invalid"]
    assert request_due.case.reference in message.subject and "Due soon" in message.subject
    assert request_due.case.child.last_name not in message.body  # no child's name by e-mail
    assert information_reminders_send(today=dt.date(2021, 4, 29))["due_soon"] == 0
    assert information_reminders_send(today=dt.date(2021, 4, 30))["overdue"] == 0
    assert len(mail.outbox) == 1
    sent = information_reminders_send(today=dt.date(2021, 5, 1))  # the day it is overdue
    assert sent["overdue"] == 1 and "Overdue" in mail.outbox[1].subject
    information_reminders_send(today=dt.date(2021, 5, 1))
    information_reminders_send(today=dt.date(2021, 5, 4))
    assert len(mail.outbox) == 2
    assert list(InformationRequestReminder.objects.values_list("kind", "sent_on")) == [
        ("due_soon", dt.date(2021, 4, 28)),
        ("overdue", dt.date(2021, 5, 1)),
    ]


def test_received_requests_get_no_reminder(request_due):
    services.information_response_record(
        actor=user("business.staffs"),
        request=request_due,
        received_on=dt.date(2021, 4, 20),
        summary="Sent",
        today=TODAY,
    )
    information_reminders_send(today=dt.date(2021, 4, 29))
    information_reminders_send(today=dt.date(2021, 5, 5))
    assert mail.outbox == []


def test_without_a_contact_the_panel_business_unit_is_reminded(demo_world):
    case = notify(
        code="STOKE", date_of_death=dt.date(2021, 3, 30), notified_on=dt.date(2021, 3, 30)
    )
    services.information_request_add(
        actor=user("business.staffs"),
        case=case,
        agency=police(),
        requested_on=dt.date(2021, 3, 31),
        today=TODAY,
    )
    information_reminders_send(today=dt.date(2021, 5, 3))
    assert len(mail.outbox) == 1
    # Stoke's panel is hosted by Staffordshire: its business unit runs the panel.
    assert mail.outbox[0].to == [user("business.staffs").email]
    assert "chase the agency" in mail.outbox[0].body


def test_the_daily_task_runs_and_is_idempotent(request_due):
    result = send_information_request_reminders.enqueue("2021-05-03")
    assert result.return_value["overdue"] == 1
    send_information_request_reminders.enqueue("2021-05-03")
    send_information_request_reminders.call("2021-05-04")
    assert len(mail.outbox) == 1
    # A missed due-soon reminder is not sent once the form is overdue.
    assert not InformationRequestReminder.objects.filter(kind="due_soon").exists()
