import datetime as dt

import pytest

from safeguarding.measures.periods import PeriodError, parse


@pytest.mark.parametrize(
    ("label", "start", "end"),
    [
        ("2020-21", dt.date(2020, 4, 1), dt.date(2021, 3, 31)),
        ("2020-Q1", dt.date(2020, 4, 1), dt.date(2020, 6, 30)),
        ("2020-Q4", dt.date(2021, 1, 1), dt.date(2021, 3, 31)),
        ("2020-02", dt.date(2020, 2, 1), dt.date(2020, 2, 29)),
        ("2021-02", dt.date(2021, 2, 1), dt.date(2021, 2, 28)),
        ("1999-00", dt.date(1999, 4, 1), dt.date(2000, 3, 31)),
    ],
)
def test_periods_start_and_end_on_the_right_days(label, start, end):
    period = parse(label)
    assert (period.start, period.end) == (start, end)


def test_four_quarters_make_the_financial_year():
    year = parse("2020-21")
    quarters = year.quarters()
    assert quarters[0].start == year.start and quarters[-1].end == year.end
    assert all(a.end + dt.timedelta(days=1) == b.start for a, b in zip(quarters, quarters[1:], strict=False))
    assert len(year.months()) == 12


def test_previous_year_for_year_on_year_comparison():
    assert parse("2020-21").previous().label == "2019-20"
    assert parse("2020-Q3").previous().label == "2019-Q3"


@pytest.mark.parametrize("label", ["2020-22", "2020", "2020-13", "2020-Q5", "twenty"])
def test_bad_periods_say_how_to_write_one(label):
    with pytest.raises(PeriodError, match="2020-21"):
        parse(label)


def test_one_period_type_reads_a_financial_year_however_it_is_written():
    from safeguarding.measures.periods import Period, parse_financial_year

    year = parse_financial_year("2020/21")
    assert year == parse_financial_year("2020-2021") == parse("2020-21")
    assert isinstance(year, Period) and year.kind == "year" and year.start_year == 2020
    assert parse_financial_year("1999-00").end == dt.date(2000, 3, 31)
    assert year.previous(4).label == "2016-17"
    for bad in ("2020-22", "2020", "20-21", "", "2020-Q1"):
        with pytest.raises(PeriodError):
            parse_financial_year(bad)
