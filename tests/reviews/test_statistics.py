"""Statistics against hand-built cases: numerators, denominators, nulls with reasons.

The figures are the measure engine's (reviews/catalogue.yaml, measures/case_measures.py),
read from its stored results by ``reviews.statistics.statistics``."""

import datetime as dt

import pytest

from safeguarding.measures.periods import Period, financial_year_of, parse_financial_year
from safeguarding.reviews import services
from safeguarding.reviews.statistics import statistics

from .conftest import first_child

D = dt.date


def test_period_parsing():
    assert parse_financial_year("2020-21") == Period("2020-21", "year", D(2020, 4, 1),
                                                     D(2021, 3, 31))
    assert parse_financial_year("2020/21") == parse_financial_year("2020-2021")
    assert financial_year_of(D(2021, 3, 31)).label == "2020-21"
    assert financial_year_of(D(2021, 4, 1)).label == "2021-22"
    for bad in ("2020-22", "2020", "twenty", "2020-2022"):
        with pytest.raises(ValueError):
            parse_financial_year(bad)


@pytest.fixture
def cases(staffs, stoke, make_incident, agency, on_day):
    on_day(D(2021, 6, 1))
    stoke_child = first_child(stoke)

    def review(incident, completed):
        if completed:
            services.rapid_review_update(actor=None, rapid_review=incident.rapid_review,
                                         meeting_on=None, completed_on=completed)

    i1 = make_incident(D(2020, 6, 1), sent_on=D(2020, 6, 5))       # due 8 June: met
    review(i1, D(2020, 6, 25))                                       # due 26 June: met
    i2 = make_incident(D(2020, 9, 1), sent_on=D(2020, 9, 10))      # due 8 Sept: missed
    review(i2, D(2020, 10, 20))                                      # due 1 Oct: missed
    make_incident(D(2021, 3, 29))                                    # due 7 April, not sent
    i4 = make_incident(D(2020, 11, 2), child=stoke_child, sent_on=D(2020, 11, 4))  # met
    # i4's rapid review (due 25 November) was never sent: missed once its clock ran out.
    make_incident(D(2020, 12, 1), partnership=stoke, child=stoke_child,
                  sent_on=D(2020, 12, 10))                           # Stoke's own: missed
    make_incident(D(2019, 6, 3), sent_on=D(2019, 6, 4))              # another year

    pr1 = services.practice_review_create(actor=None, partnership=staffs, kind="local",
                                          title="Child A", decided_on=D(2020, 6, 20),
                                          incidents=[i1])            # due 20 December 2020
    services.practice_review_publish(actor=None, review=pr1, published_on=D(2020, 12, 1))
    pr2 = services.practice_review_create(actor=None, partnership=staffs, kind="local",
                                          title="Child B", decided_on=D(2020, 9, 15),
                                          incidents=[i2])            # due 15 March 2021
    services.practice_review_defer(actor=None, review=pr2, reason="criminal_proceedings",
                                   detail="", deferred_on=D(2021, 3, 1), review_on=D(2021, 9, 1))
    services.practice_review_create(actor=None, partnership=staffs, kind="local",
                                    title="Child C", decided_on=D(2020, 12, 1),
                                    incidents=[i4])                  # due 1 June 2021

    finding = services.finding_add(actor=None, review=pr1, text="Finding")
    rec = services.recommendation_add(actor=None, finding=finding, text="Recommendation")
    police = agency("Staffordshire Police")
    for due_on, done_on in ((D(2021, 1, 15), D(2021, 1, 10)), (D(2021, 2, 1), D(2021, 4, 10)),
                            (D(2021, 3, 1), None), (D(2021, 5, 1), None)):
        action = services.action_add(actor=None, recommendation=rec, text="Do it",
                                     owner_agency=police, due_on=due_on)
        if done_on:
            services.action_update(actor=None, action=action, status="done",
                                   evidence_of_impact="Seen in audit", completed_on=done_on)


def _by_id(items):
    return {f.id: f for f in items}


def figures(partnership, period, on_day, as_of):
    on_day(as_of)
    return _by_id(statistics(partnership, period)[0])


def test_figures_for_the_host(cases, staffs, on_day):
    got = figures(staffs, parse_financial_year("2020-21"), on_day, D(2021, 4, 15))
    notified = got["serious_incident_notifications_on_time"]
    assert (notified.numerator, notified.denominator, notified.value) == (2, 4, 50.0)
    assert notified.rules == ("serious_incident_notification",)
    rapid = got["rapid_reviews_on_time"]
    assert (rapid.numerator, rapid.denominator, rapid.value) == (1, 3, 33.3)
    published = got["practice_reviews_published_on_time"]
    assert (published.numerator, published.denominator, published.value) == (1, 2, 50.0)
    assert published.detail["deferred"] == 1
    overdue = got["overdue_review_actions"]
    # Of the three actions due by 31 March 2021, two were not done by then.
    assert (overdue.value, overdue.denominator) == (2, 3)
    assert all(f.definition and f.reason == "" for f in got.values())


def test_a_running_clock_is_left_out_until_it_runs_out(cases, staffs, on_day):
    got = figures(staffs, parse_financial_year("2020-21"), on_day, D(2021, 4, 1))
    notified = got["serious_incident_notifications_on_time"]
    assert (notified.numerator, notified.denominator) == (2, 3)
    assert notified.detail["running"] == 1
    assert notified.value == 66.7


def test_the_partnership_a_host_coordinates_for_counts_its_childrens_cases(cases, stoke, on_day):
    got = figures(stoke, parse_financial_year("2020-21"), on_day, D(2021, 4, 15))
    notified = got["serious_incident_notifications_on_time"]
    assert (notified.numerator, notified.denominator) == (1, 2)


def test_no_data_is_null_with_a_reason_never_zero(cases, staffs, on_day):
    got = figures(staffs, parse_financial_year("2017-18"), on_day, D(2021, 4, 15))
    for figure in got.values():
        assert figure.value is None
        assert figure.numerator is None and figure.denominator is None
        assert "went live" in figure.reason  # before the module's first year
    _, summary = statistics(staffs, parse_financial_year("2017-18"))
    assert summary["rapid_reviews"] is None and "went live" in summary["reason"]


def test_yearly_summary(cases, staffs, on_day):
    on_day(D(2021, 6, 1))
    _, summary = statistics(staffs, parse_financial_year("2020-21"))
    assert summary["rapid_reviews"] == 3
    assert summary["rapid_reviews_by_childrens_partnership"] == {
        "Staffordshire Safeguarding Children Board": 2,
        "Stoke-on-Trent Safeguarding Children Partnership": 1}
    assert summary["practice_reviews_published"] == 1
    assert summary["actions_done_in_year"] == 1
    assert summary["reason"] == ""
