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


def test_the_demo_library_holds_three_years_of_reviews(demo_world):
    import datetime as dt

    from safeguarding.policies.models import Review

    demo.build(7, {p.code: p for p in Partnership.objects.all()})
    years = {}
    for start in (2019, 2020, 2021):
        years[start] = Review.objects.filter(
            reviewed_on__range=(dt.date(start, 4, 1), dt.date(start + 1, 3, 31))).count()
    assert years[2019] > 0 and years[2020] > years[2019] and years[2021] > 0
    # Each review sets the next one's due date: a policy's history reads as one chain.
    for policy in Policy.objects.all():
        held = list(policy.reviews.order_by("reviewed_on"))
        assert all(a.next_due == b.due_on for a, b in zip(held, held[1:], strict=False))
