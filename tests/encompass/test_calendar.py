"""'Before the start of the next school day', from the LA's term dates and INSET days (and a
school's own), with weekends and bank holidays: the due time and the holiday contact."""

from __future__ import annotations

import pytest

from safeguarding.encompass import config
from tests.encompass.conftest import at

pytestmark = pytest.mark.django_db


@pytest.mark.parametrize(("when", "urn", "due", "holiday"), [
    # A Friday evening in term: the Monday morning, no holiday between.
    ("2020-10-16 19:30", "", "2020-10-19 09:00", False),
    # Early on a school day: that morning.
    ("2020-10-14 06:50", "", "2020-10-14 09:00", False),
    # After the start of a school day: the next morning.
    ("2020-10-14 09:10", "", "2020-10-15 09:00", False),
    # The Friday before October half-term: the Monday after it, past a holiday.
    ("2020-10-23 19:30", "", "2020-11-02 09:00", True),
    # The same, at an academy whose own INSET day is that Monday: the Tuesday.
    ("2020-10-23 19:30", "900002", "2020-11-03 09:00", True),
    # Christmas Eve: 4 January 2021 is an INSET day in LA 860, so 5 January.
    ("2020-12-24 22:00", "", "2021-01-05 09:00", True),
    # The Friday before the Early May bank holiday (in term): the Tuesday.
    ("2021-04-30 20:00", "", "2021-05-04 09:00", True),
])
def test_the_next_school_day(when, urn, due, holiday):
    found = config.notification_due(at(when), la_code="860", urn=urn)
    assert found.at == at(due)
    assert found.after_holiday is holiday
    assert found.rule == config.RULE_SCHOOL_DAY


def test_an_la_calendar_of_its_own():
    # Stoke-on-Trent's autumn term 2020 begins a day later (an INSET day on 3 September).
    assert config.notification_due(at("2020-09-01 20:00"), la_code="861").at == \
        at("2020-09-04 09:00")
    assert config.notification_due(at("2020-09-01 20:00"), la_code="860").at == \
        at("2020-09-03 09:00")


def test_past_the_calendar_the_next_working_day_stands_in_and_says_so():
    found = config.notification_due(at("2030-06-07 19:00"), la_code="860")
    assert found.at == at("2030-06-10 09:00")
    assert found.rule == config.RULE_FALLBACK
