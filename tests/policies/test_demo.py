"""The demo's library: a dozen joint policies, one overdue and its owner reminded."""

from __future__ import annotations

from django.core import mail
from django.utils import timezone

from safeguarding.core.models import Partnership, User
from safeguarding.policies import contract, demo, reminders, selectors
from safeguarding.policies.models import Policy


def test_the_demo_library_has_joint_policies_and_one_overdue(demo_world):
    partnerships = {p.code: p for p in Partnership.objects.all()}
    assert demo.build(7, partnerships) == 12
    joint = Policy.objects.filter(partnerships__code="STOKE").filter(
        partnerships__code="STAFFS").count()
    assert joint >= 9
    today = timezone.localdate()
    overdue = [p for p in Policy.objects.all() if selectors.status(p, today) == "overdue"]
    assert [p.title for p in overdue] == ["Escalation and resolving professional disagreements"]
    owner = User.objects.get(username="business.staffs")
    assert any(i.overdue for i in contract.home_items(owner))
    done = reminders.reminders_send(on=today)
    assert done["sent"] == 2  # the overdue one, and the one due in 20 days
    assert {m.to[0] for m in mail.outbox} == {owner.email,
                                             User.objects.get(username="board.la").email}
