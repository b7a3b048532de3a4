"""Working days in England, and deadlines computed from rules held as data."""

from __future__ import annotations

import datetime as dt

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from safeguarding.core import deadlines, services
from safeguarding.core.calendar import (
    add_months,
    add_working_days,
    is_working_day,
    month_end,
    non_working_days,
    working_days_between,
)

D = dt.date


# --- the convention: the day of the event is day 0 -----------------------------------------

@pytest.mark.django_db
@pytest.mark.parametrize("start, end, expected", [
    (D(2021, 3, 10), D(2021, 3, 10), 0),   # same day
    (D(2021, 3, 12), D(2021, 3, 15), 1),   # Friday to the next Monday
    (D(2021, 3, 12), D(2021, 3, 13), 0),   # Friday to Saturday
    (D(2021, 3, 13), D(2021, 3, 15), 1),   # Saturday to Monday
    (D(2021, 3, 8), D(2021, 3, 12), 4),    # Monday to Friday
    (D(2021, 3, 8), D(2021, 3, 15), 5),    # one week
    (D(2021, 3, 1), D(2021, 3, 29), 20),   # four weeks, no holidays
    (D(2021, 3, 15), D(2021, 3, 12), -1),  # backwards
])
def test_the_counting_convention(start, end, expected):
    assert working_days_between(start, end) == expected


@pytest.mark.django_db
@pytest.mark.parametrize("start, end, expected, why", [
    # Easter 2021: Good Friday 2 April, Easter Monday 5 April.
    (D(2021, 4, 1), D(2021, 4, 6), 1, "Thursday before Easter to the Tuesday after"),
    (D(2021, 4, 1), D(2021, 4, 5), 0, "Easter Monday is not a working day"),
    (D(2021, 3, 29), D(2021, 4, 9), 7, "the fortnight around Easter"),
    # Christmas 2020: Christmas Day Friday 25 December; Boxing Day (Saturday) moved to Monday 28.
    (D(2020, 12, 24), D(2020, 12, 29), 1, "Christmas Eve to the Tuesday after"),
    (D(2020, 12, 24), D(2020, 12, 28), 0, "the substitute Boxing Day"),
    (D(2020, 12, 21), D(2021, 1, 4), 7, "across Christmas and New Year 2020-21"),
    # 2022 one-off days: the Platinum Jubilee (2-3 June) and the State Funeral (19 September).
    (D(2022, 9, 16), D(2022, 9, 20), 1, "the Friday before the State Funeral to the Tuesday"),
    (D(2022, 6, 1), D(2022, 6, 6), 1, "Jubilee Thursday and Friday"),
    (D(2023, 5, 5), D(2023, 5, 9), 1, "the Coronation bank holiday, 8 May 2023"),
])
def test_bank_holidays_are_not_working_days(start, end, expected, why):
    assert working_days_between(start, end) == expected, why


@pytest.mark.django_db
@pytest.mark.parametrize("start, n, expected", [
    (D(2021, 4, 1), 1, D(2021, 4, 6)),
    (D(2021, 4, 1), 0, D(2021, 4, 1)),
    (D(2021, 4, 3), 0, D(2021, 4, 3)),     # day 0 is the event's day, even on a Saturday
    (D(2020, 12, 24), 1, D(2020, 12, 29)),
    (D(2020, 12, 24), 5, D(2021, 1, 5)),   # 29, 30, 31 Dec, 2 Jan is a Saturday, 4, 5 Jan
    (D(2022, 9, 16), 1, D(2022, 9, 20)),
    (D(2021, 3, 12), 1, D(2021, 3, 15)),
])
def test_add_working_days(start, n, expected):
    assert add_working_days(start, n) == expected


@pytest.mark.django_db
def test_add_working_days_refuses_a_negative_count():
    with pytest.raises(ValueError):
        add_working_days(D(2021, 1, 4), -1)


@pytest.mark.django_db
@settings(max_examples=150, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(start=st.dates(D(2019, 1, 1), D(2027, 12, 31)), n=st.integers(0, 600))
def test_add_then_count_is_the_identity(start, n):
    end = add_working_days(start, n)
    assert working_days_between(start, end) == n
    if n:
        assert is_working_day(end)
        # No earlier day reaches n.
        assert working_days_between(start, end - dt.timedelta(days=1)) == n - 1


@pytest.mark.django_db
@settings(max_examples=100, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(a=st.dates(D(2019, 1, 1), D(2026, 12, 31)), b=st.dates(D(2019, 1, 1), D(2026, 12, 31)),
       c=st.dates(D(2019, 1, 1), D(2026, 12, 31)))
def test_counts_add_up_and_match_a_day_by_day_walk(a, b, c):
    assert working_days_between(a, b) + working_days_between(b, c) == working_days_between(a, c)
    low, high = min(a, b), max(a, b)
    closed = non_working_days(range(low.year, high.year + 1))
    walked = sum(1 for k in range(1, (high - low).days + 1)
                 if is_working_day(low + dt.timedelta(days=k), closed))
    assert working_days_between(low, high) == walked


@pytest.mark.django_db
def test_a_day_added_by_an_administrator_is_honoured(demo_world):
    from safeguarding.core.models import User

    # Tuesday 2 March 2021 closed, say for a local election count.
    assert working_days_between(D(2021, 3, 1), D(2021, 3, 3)) == 2
    services.non_working_day_add(actor=User.objects.get(username="admin"), date=D(2021, 3, 2),
                                 name="Offices closed")
    assert working_days_between(D(2021, 3, 1), D(2021, 3, 3)) == 1
    assert add_working_days(D(2021, 3, 1), 1) == D(2021, 3, 3)
    assert not is_working_day(D(2021, 3, 2))


@pytest.mark.django_db
def test_the_calendar_page_adds_a_day(client_for):
    client = client_for("business.staffs")
    response = client.post("/calendar/", {"date_day": "2", "date_month": "3", "date_year": "2021",
                                          "name": "Offices closed"})
    assert response["Location"] == "/calendar/"
    assert add_working_days(D(2021, 3, 1), 1) == D(2021, 3, 3)
    # The same date twice is refused with a message, not an error page.
    response = client.post("/calendar/", {"date_day": "2", "date_month": "3", "date_year": "2021",
                                          "name": "Again"})
    assert response.status_code == 200 and b"govuk-error-summary" in response.content


# --- deadlines: rules as data --------------------------------------------------------------

def test_every_rule_in_the_data_file_is_complete_and_computable(db):
    rules = deadlines.rules()
    assert {"serious_incident_notification", "rapid_review", "practice_review_publication"} <= set(rules)
    for rule in rules.values():
        assert rule.title and rule.source and rule.starts_from, rule.id
        assert rule.amount > 0, rule.id
        assert rule.unit in {"working_days", "calendar_days", "calendar_months",
                             "working_days_before"}, rule.id
        deadlines.due_date(rule.id, D(2021, 4, 1))  # does not raise


def test_statutory_rules_hold_the_figures_in_guidance():
    assert (deadlines.rule("serious_incident_notification").amount,
            deadlines.rule("serious_incident_notification").unit) == (5, "working_days")
    assert (deadlines.rule("rapid_review").amount, deadlines.rule("rapid_review").unit) == (
        15, "working_days")
    assert (deadlines.rule("practice_review_publication").amount,
            deadlines.rule("practice_review_publication").unit) == (6, "calendar_months")
    assert deadlines.rule("rapid_review").describe().startswith("15 working days after")


@pytest.mark.django_db
@pytest.mark.parametrize("rule_id, start, due", [
    # 5 working days from Thursday 1 April 2021 over Easter: 6, 7, 8, 9, 12 April.
    ("serious_incident_notification", D(2021, 4, 1), D(2021, 4, 12)),
    ("rapid_review", D(2020, 12, 18), D(2021, 1, 13)),
    # Six calendar months from 31 August ends on the last day of February.
    ("practice_review_publication", D(2021, 8, 31), D(2022, 2, 28)),
    ("practice_review_publication", D(2023, 8, 31), D(2024, 2, 29)),
    ("practice_review_publication", D(2021, 3, 15), D(2021, 9, 15)),
    ("practice_review_publication", D(2021, 7, 31), D(2022, 1, 31)),
    # 7 working days before Tuesday 6 April 2021: 1 Apr, 31, 30, 29, 26, 25, 24 March.
    ("practice_review_pre_publication_notice", D(2021, 4, 6), D(2021, 3, 24)),
    ("action_reminder_lead", D(2020, 12, 29), D(2020, 12, 23)),
])
def test_due_dates(rule_id, start, due):
    assert deadlines.due_date(rule_id, start) == due


@pytest.mark.django_db
def test_working_days_before_honours_added_days(demo_world):
    services.non_working_day_add(actor=None, date=D(2021, 3, 31), name="Offices closed")
    # 7 working days before 6 April 2021, 31 March now closed: back to 23 March.
    assert deadlines.due_date("practice_review_pre_publication_notice", D(2021, 4, 6)) == D(2021, 3, 23)


def test_an_unknown_rule_is_named():
    with pytest.raises(KeyError, match="no_such_rule.*deadlines.yaml"):
        deadlines.due_date("no_such_rule", D(2021, 1, 1))


@pytest.fixture
def demo_world(module_demo_world, db):
    """The demo world built once for this module (tests/conftest.py); each test rolls back."""
    return module_demo_world


# --- calendar months: review cycles, licences, look-backs ----------------------------------

@pytest.mark.parametrize("day, months, expected", [
    (D(2020, 8, 31), 6, D(2021, 2, 28)),    # to a shorter month: its last day
    (D(2019, 8, 31), 6, D(2020, 2, 29)),    # a leap year's February
    (D(2021, 3, 31), -1, D(2021, 2, 28)),   # back
    (D(2021, 1, 15), -13, D(2019, 12, 15)),  # back across two year ends
    (D(2020, 11, 30), 3, D(2021, 2, 28)),
    (D(2020, 4, 1), 24, D(2022, 4, 1)),
])
def test_add_months(day, months, expected):
    assert add_months(day, months) == expected


@given(st.dates(min_value=D(1990, 1, 1), max_value=D(2090, 12, 31)),
       st.integers(min_value=-240, max_value=240))
def test_add_months_moves_whole_months_and_keeps_the_day_where_it_can(day, months):
    moved = add_months(day, months)
    assert (moved.year * 12 + moved.month) - (day.year * 12 + day.month) == months
    assert moved.day == min(day.day, month_end(moved).day)
    assert month_end(moved) + dt.timedelta(days=1) == add_months(
        month_end(moved).replace(day=1), 1)
