"""The demo programme: built through the services, deterministic, with the seed's story."""

from __future__ import annotations

from safeguarding.core.models import Partnership
from safeguarding.training import demo, selectors
from safeguarding.training.models import Booking, Charge, Invoice, Session


def test_the_demo_programme_is_small_and_tells_the_seed_s_story(demo_world):
    partnerships = {p.code: p for p in Partnership.objects.all()}
    made = demo.build(7, partnerships)
    assert made == {"learners": 36, "sessions": 9}
    staffs = partnerships["STAFFS"]
    conference = Session.objects.filter(course__format="conference").order_by("starts_at")
    assert [s.capacity for s in conference] == [500, 500]
    assert Booking.objects.filter(session__in=conference, state="attended").count() == 53
    assert Booking.objects.count() < 200
    assert Charge.objects.filter(status="waived").count() == 1
    assert Invoice.objects.filter(partnership=staffs).exists()
    change = selectors.paired_change(staffs)
    assert change["learners"] > 50 and change["confidence"] > 0
    # Stoke's people book on Staffordshire's shared programme.
    assert Booking.objects.filter(learner__memberships__partnership__code="STOKE").exists()
