"""The yearly report's learning-review figures equal the indicator catalogue's for the demo
data: the same incidents, the same clocks, the same rounding, whichever door they come from."""

import datetime as dt

import pytest

from safeguarding.core import disclosure
from safeguarding.core.models import Partnership
from safeguarding.measures.catalogue import indicator
from safeguarding.measures.periods import financial_year
from safeguarding.measures.selectors import compute
from safeguarding.reports import builder
from safeguarding.reports.figures import SUPPRESSED
from safeguarding.reviews import demo, statistics

YEARS = [financial_year(y) for y in (2018, 2019, 2020, 2021)]


@pytest.fixture
def demo_reviews(demo_world, on_day):
    demo.build(7, {p.code: p for p in Partnership.objects.all()})
    on_day(dt.date(2022, 1, 14))  # 2021-22 still running: some clocks not yet decided


def _catalogue(partnership, period, measure):
    (result,) = compute(partnership=partnership, period=period, indicators=[indicator(measure)])
    return result


@pytest.mark.parametrize("code", ["STAFFS", "STOKE"])
def test_every_year_the_module_figures_equal_the_catalogue(demo_reviews, code):
    partnership = Partnership.objects.get(code=code)
    compared = 0
    for year in YEARS:
        for figure in statistics.figures(partnership, year):
            result = _catalogue(partnership, year, figure.id)
            assert result.value == figure.value, (code, year.label, figure.id)
            if figure.value is None:
                continue
            if figure.unit == "percent":
                assert (result.numerator, result.denominator) == \
                    (figure.numerator, figure.denominator), (code, year.label, figure.id)
            compared += 1
    assert compared >= 8  # the demo has figures to compare in most years


def test_the_report_quotes_the_catalogue(demo_reviews):
    staffs = Partnership.objects.get(code="STAFFS")
    report = builder.build(staffs, "2020-21")
    for measure in ("serious_incident_notifications_on_time", "rapid_reviews_on_time",
                    "practice_reviews_published_on_time", "overdue_review_actions"):
        shown = report.figures.by_key[f"reviews.{measure}"]
        result = _catalogue(staffs, YEARS[2], measure)
        # The report is public: a figure made of 1 to 4 (or one short of its total) is
        # withheld by the disclosure rule rather than quoted.
        small = disclosure.is_small(result.numerator) or (
            result.unit == "percent" and disclosure.rate_disclosive(result.numerator,
                                                                    result.denominator))
        if result.unit == "count":
            small = disclosure.is_small(result.value) or (
                result.value is not None and result.denominator is not None
                and disclosure.is_small(result.denominator - result.value))
        if small:
            assert shown.status == SUPPRESSED and shown.value is None, measure
            continue
        assert shown.value == result.value, measure
        if result.unit == "percent":
            assert (shown.numerator, shown.denominator) == (result.numerator, result.denominator)
    # (tests/reports/test_disclosure_in_report.py shows a figure of 5 or more quoted.)
