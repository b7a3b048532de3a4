"""A policy falls due for review and its owner is reminded: once before the review date,
once when it is overdue, never twice for the same date; a review starts the cycle again.
The owner's home page queue lists it; the measures count it."""

from __future__ import annotations

import datetime as dt

from django.core import mail
from django.core.management import call_command
from django.utils import timezone

from safeguarding.core.models import User
from safeguarding.policies import contract, reminders, selectors, services


def test_the_owner_is_reminded_before_and_when_overdue_once_each(joint, owner):
    due = joint.review_due
    assert reminders.reminders_send(on=due - dt.timedelta(days=31))["sent"] == 0
    assert reminders.reminders_send(on=due - dt.timedelta(days=30))["sent"] == 1
    assert mail.outbox[-1].to == ["board.police@example.org"]
    assert "due for review" in mail.outbox[-1].subject
    assert reminders.reminders_send(on=due - dt.timedelta(days=29))["sent"] == 0
    assert reminders.reminders_send(on=due)["sent"] == 0
    assert reminders.reminders_send(on=due + dt.timedelta(days=1))["sent"] == 1
    assert "overdue" in mail.outbox[-1].subject
    assert reminders.reminders_send(on=due + dt.timedelta(days=2))["sent"] == 0
    assert len(mail.outbox) == 2
    # Reviewed (late): the next date starts the reminders again.
    services.policy_review(actor=None, policy=joint, reviewed_on=timezone.localdate(),
                           next_due=due + dt.timedelta(days=40))
    assert reminders.reminders_send(on=due + dt.timedelta(days=10))["sent"] == 1


def test_the_owners_home_queue_lists_policies_due_or_overdue(joint, owner, stoke_only):
    assert contract.home_items(owner) == []  # 100 days ahead: outside the 60-day window
    joint.review_due = timezone.localdate() - dt.timedelta(days=1)
    joint.save()
    [item] = contract.home_items(owner)
    assert item.kind == "review" and item.overdue and joint.title in item.title
    assert contract.home_items(User.objects.get(username="social.worker")) == []


def test_the_frames_count_policies_falling_overdue_and_reviews_on_time(joint, staffs, owner):
    today = timezone.localdate()
    services.policy_review(actor=None, policy=joint, reviewed_on=today,
                           next_due=today + dt.timedelta(days=30))
    late = services.policy_add(actor=None, title="Safer sleep", owner=owner,
                               partnerships=[staffs], review_due=today - dt.timedelta(days=5),
                               body="Safer sleep", published_on=today - dt.timedelta(days=400))
    las = list(staffs.local_authorities.values_list("old_code", flat=True))
    host = min(las)  # the rows carry the partnership's home LA: its lowest code
    overdue = selectors.overdue_rows(las)
    assert overdue == [(host, f"p{late.pk}", today - dt.timedelta(days=4))]
    services.policy_review(actor=None, policy=late, reviewed_on=today)
    assert [r[1][0] for r in selectors.overdue_rows(las)] == ["r"]  # a late review
    assert len(selectors.review_rows(las)) == 2
    assert len(selectors.review_rows(las, on_time=True)) == 1


def test_the_command_lists_overdue_and_sends_reminders(joint, owner, staffs, capsys):
    joint.review_due = timezone.localdate() - dt.timedelta(days=3)
    joint.save()
    call_command("policies", "list", "STAFFS", "--overdue")
    assert "overdue\tv1\tEscalation" in capsys.readouterr().out
    call_command("policies", "remind")
    assert "1 reminder(s) sent" in capsys.readouterr().out
