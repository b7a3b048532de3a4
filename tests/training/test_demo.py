"""The demo programme: built through the services, deterministic, with the seed's story."""

from __future__ import annotations

import datetime as dt

from safeguarding.core.models import Partnership
from safeguarding.training import demo, selectors
from safeguarding.training.models import Booking, Charge, Invoice, Session


def test_the_demo_programme_is_small_and_tells_the_seed_s_story(demo_world):
    partnerships = {p.code: p for p in Partnership.objects.all()}
    made = demo.build(7, partnerships)
    # Three years: 5 sessions in 2019-20, 8 in 2020-21, 7 in 2021-22, and one ahead.
    assert made == {"learners": 36, "sessions": 21}
    staffs = partnerships["STAFFS"]
    conference = Session.objects.filter(course__format="conference").order_by("starts_at")
    # The conference at a venue before Covid-19, then virtual (capacity 500).
    assert [s.capacity for s in conference] == [200, 500, 500, 500]
    year = conference.filter(starts_at__date__range=(dt.date(2020, 4, 1), dt.date(2021, 3, 31)))
    assert Booking.objects.filter(session__in=year, state="attended").count() == 53
    assert Booking.objects.count() < 500
    # No GCP2 course before GCP2 was commissioned (July 2020).
    assert not Session.objects.filter(course__code="GCP",
                                      starts_at__date__lt=dt.date(2020, 7, 1)).exists()
    assert Charge.objects.filter(status="waived").count() == 1
    assert Invoice.objects.filter(partnership=staffs).exists()
    change = selectors.paired_change(staffs)
    assert change["learners"] > 50 and change["confidence"] > 0
    # Stoke's people book on Staffordshire's shared programme.
    assert Booking.objects.filter(learner__memberships__partnership__code="STOKE").exists()
