"""Each catalogue definition at its boundaries, on hand-built records."""

import datetime as dt

import polars as pl
import pytest

from safeguarding.core.calendar import add_working_days, non_working_days
from safeguarding.measures.catalogue import catalogue
from safeguarding.measures.engine import SCHEMAS, Engine, MeasureData, empty_frame
from safeguarding.measures.periods import parse

D = dt.date
YEAR = parse("2020-21")
LA = "860"


def frame(kind, rows):
    schema = SCHEMAS[kind]
    filled = [{col: row.get(col) for col in schema} for row in rows]
    return pl.DataFrame(filled, schema=schema) if rows else empty_frame(kind)


def data(**frames):
    kinds = ["cin_episodes", "assessments", "s47", "cp_plans", "cla_episodes", "early_help"]
    span = [(LA, D(2015, 4, 1), D(2025, 3, 31))]
    return MeasureData(
        **{k: frame(k, [{"la": LA, **r} for r in frames.get(k, [])]) for k in kinds},
        coverage={"cin": span, "cla": span, "early_help": span},
        holidays=tuple(sorted(non_working_days(range(2015, 2026)))),
    )


def result(measure_data, indicator_id, period=YEAR):
    (res,) = Engine(measure_data).compute(period, [LA], [catalogue()[indicator_id]])
    return res


@pytest.fixture(autouse=True)
def _db(db):
    """The calendar reads administrator-added days from the database."""


class TestReferrals:
    def test_counts_referrals_dated_inside_the_period_only(self):
        d = data(cin_episodes=[
            {"child": "A", "referral_date": D(2020, 3, 31)},
            {"child": "A", "referral_date": D(2020, 4, 1)},
            {"child": "B", "referral_date": D(2021, 3, 31)},
            {"child": "C", "referral_date": D(2021, 4, 1)},
        ])
        res = result(d, "referrals")
        assert (res.value, res.numerator, res.denominator) == (2, 2, None)

    def test_rereferral_exactly_one_year_later_counts(self):
        d = data(cin_episodes=[
            {"child": "A", "referral_date": D(2020, 5, 1)},
            {"child": "A", "referral_date": D(2021, 5, 1)},
        ])
        res = result(d, "rereferrals_within_12_months_rate", parse("2021-22"))
        assert (res.numerator, res.denominator, res.value) == (1, 1, 100.0)

    def test_referral_one_year_and_a_day_earlier_does_not_count(self):
        d = data(cin_episodes=[
            {"child": "A", "referral_date": D(2020, 4, 30)},
            {"child": "A", "referral_date": D(2021, 5, 1)},
            {"child": "B", "referral_date": D(2021, 6, 1)},
        ])
        res = result(d, "rereferrals_within_12_months_rate", parse("2021-22"))
        assert (res.numerator, res.denominator, res.value) == (0, 2, 0.0)

    def test_earlier_referral_must_be_the_same_child_in_the_same_la(self):
        d = data(cin_episodes=[
            {"child": "A", "referral_date": D(2020, 6, 1)},
            {"child": "B", "referral_date": D(2020, 7, 1)},
        ])
        d.cin_episodes = pl.concat([d.cin_episodes, frame("cin_episodes", [
            {"la": "861", "child": "B", "referral_date": D(2020, 5, 1)}])])
        res = result(d, "rereferrals_within_12_months_rate")
        assert (res.numerator, res.denominator) == (0, 2)

    def test_rate_rounds_half_up_to_one_decimal(self):
        # 1 of 8 is 12.5 %; 1 of 16 is 6.25 % which DfE publishes as 6.3.
        rows = [{"child": f"C{i}", "referral_date": D(2020, 6, 1)} for i in range(16)]
        rows.append({"child": "C0", "referral_date": D(2020, 5, 1)})
        d = data(cin_episodes=rows)
        res = result(d, "rereferrals_within_12_months_rate")
        assert (res.numerator, res.denominator, res.value) == (1, 17, 5.9)

    def test_cin_at_period_end_excludes_episode_closed_on_the_last_day(self):
        d = data(cin_episodes=[
            {"child": "A", "referral_date": D(2020, 1, 1), "closure_date": D(2021, 3, 31)},
            {"child": "B", "referral_date": D(2020, 1, 1), "closure_date": D(2021, 4, 1)},
            {"child": "C", "referral_date": D(2021, 3, 31)},
            {"child": "D", "referral_date": D(2021, 4, 1)},
        ])
        assert result(d, "cin_at_period_end").value == 2


class TestWorkingDayMeasures:
    def test_assessment_on_the_45th_working_day_counts_and_46th_does_not(self):
        referral = D(2021, 3, 10)  # the clock runs across Easter 2021
        day45 = add_working_days(referral, 45)
        day46 = add_working_days(referral, 46)
        assert day45 == D(2021, 5, 17)  # Good Friday, Easter Monday and 3 May skipped
        d = data(assessments=[
            {"child": "A", "referral_date": referral, "authorised_date": day45},
            {"child": "B", "referral_date": referral, "authorised_date": day46},
        ])
        res = result(d, "assessments_within_45_working_days_rate", parse("2021-22"))
        assert (res.numerator, res.denominator, res.value) == (1, 2, 50.0)

    def test_icpc_on_the_15th_working_day_counts_and_16th_does_not(self):
        start = D(2020, 12, 17)  # across Christmas 2020 (25 and 28 December)
        d = data(s47=[
            {"child": "A", "s47_start": start, "icpc_date": add_working_days(start, 15)},
            {"child": "B", "s47_start": start, "icpc_date": add_working_days(start, 16)},
            {"child": "C", "s47_start": start, "icpc_date": None},
        ])
        res = result(d, "icpc_within_15_working_days_rate")
        assert (res.numerator, res.denominator) == (1, 2)


class TestChildProtection:
    def test_plan_ending_on_31_march_is_not_open_at_the_year_end_but_ends_in_it(self):
        d = data(cp_plans=[
            {"child": "A", "start": D(2019, 3, 31), "end": D(2021, 3, 31), "initial_category": "NEG"},
            {"child": "B", "start": D(2020, 6, 1), "end": None, "initial_category": "EMO"},
        ])
        assert result(d, "cpp_at_period_end").value == 1
        ended = result(d, "cpp_ended_lasting_2_years_or_more_rate")
        assert (ended.numerator, ended.denominator) == (1, 1)

    def test_plan_one_day_short_of_two_years_is_not_long(self):
        d = data(cp_plans=[{"child": "A", "start": D(2019, 4, 1), "end": D(2021, 3, 31),
                            "initial_category": "NEG"}])
        res = result(d, "cpp_ended_lasting_2_years_or_more_rate")
        assert (res.numerator, res.denominator) == (0, 1)

    def test_second_plan_needs_an_earlier_start_for_the_same_child(self):
        d = data(cp_plans=[
            {"child": "A", "start": D(2012, 1, 1), "end": D(2012, 9, 1), "initial_category": "PHY"},
            {"child": "A", "start": D(2020, 10, 1), "initial_category": "NEG"},
            {"child": "B", "start": D(2020, 10, 1), "initial_category": "NEG"},
        ])
        assert result(d, "cpp_starts").value == 2
        res = result(d, "cpp_second_or_subsequent_rate")
        assert (res.numerator, res.denominator, res.value) == (1, 2, 50.0)

    def test_initial_category_rates_share_the_open_plans_denominator(self):
        d = data(cp_plans=[
            {"child": "A", "start": D(2020, 5, 1), "initial_category": "NEG"},
            {"child": "B", "start": D(2020, 5, 1), "initial_category": "NEG"},
            {"child": "C", "start": D(2020, 5, 1), "initial_category": "MUL"},
        ])
        assert result(d, "cpp_initial_category_neglect_rate").value == 66.7
        assert result(d, "cpp_initial_category_multiple_rate").value == 33.3
        assert result(d, "cpp_initial_category_sexual_rate").value == 0.0


class TestLookedAfter:
    def test_children_not_episodes_are_counted(self):
        d = data(cla_episodes=[
            {"child": "A", "decom": D(2020, 5, 1), "rne": "S", "dec": D(2020, 8, 1), "rec": "X1"},
            {"child": "A", "decom": D(2020, 8, 1), "rne": "P"},
            {"child": "B", "decom": D(2019, 5, 1), "rne": "S", "dec": D(2021, 3, 31), "rec": "E11"},
            {"child": "C", "decom": D(2021, 3, 31), "rne": "S"},
        ])
        assert result(d, "cla_at_period_end").value == 2  # A and C; B ceased on the last day
        assert result(d, "cla_starts").value == 2  # A and C start new periods of care
        assert result(d, "cla_ceased").value == 1  # B only: A's X1 is a change of placement


class TestMissingData:
    def test_a_period_no_return_covers_is_null_with_a_reason_not_zero(self):
        d = data()
        d.coverage = {}
        res = result(d, "referrals")
        assert res.value is None and res.numerator is None
        assert res.reason == "No CIN census return covers 2020-21 for LA 860"

    def test_a_rate_with_no_cases_is_null_with_a_reason(self):
        res = result(data(), "rereferrals_within_12_months_rate")
        assert res.value is None and res.denominator == 0
        assert "denominator is 0" in res.reason
