"""The partnership measures from agency extracts, each at its boundaries, and coverage."""

import datetime as dt

import polars as pl
import pytest

from safeguarding.core import modules
from safeguarding.core.calendar import non_working_days
from safeguarding.core.yaml_data import load_yaml
from safeguarding.measures.case_measures import MODULE_KINDS
from safeguarding.measures.catalogue import catalogue
from safeguarding.measures.engine import SCHEMAS, Engine, MeasureData, empty_frame
from safeguarding.measures.periods import parse

D = dt.date
T = dt.datetime
YEAR = parse("2020-21")
LA = "860"
ALL = [(LA, D(2015, 4, 1), D(2025, 3, 31))]
COVERAGE = {kind: ALL for kind in ("cin", "cla", "early_help", "missing", "police_da",
                                   "exclusions", "attendance", "mace")}


def frame(kind, rows):
    schema = SCHEMAS[kind]
    filled = [{col: row.get(col) for col in schema} for row in rows]
    return pl.DataFrame(filled, schema=schema) if rows else empty_frame(kind)


def data(coverage=None, **frames):
    return MeasureData(
        **{k: frame(k, [{"la": LA, **r} for r in frames.get(k, [])]) for k in SCHEMAS},
        coverage=COVERAGE if coverage is None else coverage,
        holidays=tuple(sorted(non_working_days(range(2015, 2026)))),
    )


def result(measure_data, indicator_id, period=YEAR):
    (res,) = Engine(measure_data).compute(period, [LA], [catalogue()[indicator_id]])
    return res


@pytest.fixture(autouse=True)
def _db(db):
    """The calendar reads administrator-added days from the database."""


def test_every_new_theme_has_measures_and_each_measure_computes():
    themes = {t for i in catalogue().values() for t in i.themes}
    assert {"child_exploitation", "critical_moments"} <= themes
    empty = data()
    # Census, 903, the case-work modules and every app's own catalogue (restraint, training,
    # governance, missing children, Operation Encompass...) have their own tests; these
    # are the agency templates'.
    from_apps = {raw["id"] for path in modules.catalogue_files()
                 for raw in load_yaml(path.read_text())["indicators"]}
    for ind in catalogue().values():
        if (ind.data in ("cin", "cla", *MODULE_KINDS) or ind.id in from_apps
                or "year" not in ind.period_types):
            continue
        (res,) = Engine(empty).compute(YEAR, [LA], [ind])
        assert res.reason is None or "denominator is 0" in res.reason, ind.id


class TestCoverage:
    def test_no_extract_means_not_recorded_never_zero(self):
        res = result(data(coverage={"cin": ALL}), "missing_episodes")
        assert res.value is None and "No missing-episodes extract covers 2020-21" in res.reason

    def test_an_extract_with_no_rows_means_zero(self):
        assert result(data(), "missing_episodes").value == 0

    def test_twelve_monthly_extracts_cover_the_year_and_a_gap_does_not(self):
        months = [(LA, m.start, m.end) for m in YEAR.months()]
        assert result(data(coverage={"missing": months}), "missing_episodes").value == 0
        gap = months[:5] + months[6:]
        res = result(data(coverage={"missing": gap}), "missing_episodes")
        assert res.value is None

    def test_a_measure_needing_two_sources_needs_both(self):
        res = result(data(coverage={"exclusions": ALL}),
                     "suspensions_children_known_to_social_care")
        assert res.value is None and "CIN census" in res.reason


class TestMissing:
    def test_episodes_and_children_count_by_the_day_the_episode_began(self):
        d = data(missing_episodes=[
            {"child": "A", "missing_from": T(2020, 3, 31, 23, 59)},
            {"child": "A", "missing_from": T(2020, 4, 1, 0, 0)},
            {"child": "A", "missing_from": T(2020, 9, 1, 20, 0)},
            {"child": "B", "missing_from": T(2021, 3, 31, 23, 59)},
            {"child": "C", "missing_from": T(2021, 4, 1, 0, 0)},
        ])
        assert result(d, "missing_episodes").value == 3
        assert result(d, "children_missing").value == 2

    def test_an_interview_exactly_72_hours_after_return_is_within(self):
        back = T(2020, 6, 1, 18, 0)
        d = data(missing_episodes=[
            {"child": "A", "missing_from": T(2020, 6, 1, 9), "returned_at": back,
             "offered_at": back + dt.timedelta(hours=72),
             "completed_at": back + dt.timedelta(hours=72)},
            {"child": "B", "missing_from": T(2020, 6, 1, 9), "returned_at": back,
             "offered_at": back + dt.timedelta(hours=72, minutes=1),
             "completed_at": back + dt.timedelta(hours=72, minutes=1)},
            {"child": "C", "missing_from": T(2020, 6, 1, 9), "returned_at": back,
             "offered_at": back + dt.timedelta(hours=1)},
            {"child": "D", "missing_from": T(2020, 6, 1, 9)},  # not back: not counted
        ])
        offered = result(d, "return_interviews_offered_within_72_hours_rate")
        completed = result(d, "return_interviews_completed_within_72_hours_rate")
        assert (offered.numerator, offered.denominator, offered.value) == (2, 3, 66.7)
        assert (completed.numerator, completed.denominator) == (1, 3)

    def test_the_denominator_is_returns_in_the_period(self):
        d = data(missing_episodes=[
            {"child": "A", "missing_from": T(2021, 3, 30, 9), "returned_at": T(2021, 4, 1, 1),
             "offered_at": T(2021, 4, 1, 2)},
            {"child": "B", "missing_from": T(2020, 3, 30, 9), "returned_at": T(2020, 4, 1, 1)},
        ])
        res = result(d, "return_interviews_offered_within_72_hours_rate")
        assert (res.numerator, res.denominator) == (0, 1)


class TestOperationEncompass:
    def rate(self, *rows):
        d = data(da_incidents=[{"child": str(n), "child_present": True, "school_urn": "123456",
                                **row} for n, row in enumerate(rows)])
        res = result(d, "encompass_notified_before_next_school_day_rate")
        return res.numerator, res.denominator

    def test_friday_evening_is_due_before_nine_on_monday(self):
        friday = T(2020, 10, 9, 20, 0)
        assert self.rate({"incident_at": friday, "notified_at": T(2020, 10, 12, 8, 59)}) == (1, 1)
        assert self.rate({"incident_at": friday, "notified_at": T(2020, 10, 12, 9, 0)}) == (0, 1)

    def test_a_weekday_incident_is_due_the_next_morning_even_just_after_midnight(self):
        tuesday = T(2020, 10, 13, 0, 30)
        assert self.rate({"incident_at": tuesday, "notified_at": T(2020, 10, 14, 8, 0)}) == (1, 1)
        assert self.rate({"incident_at": tuesday, "notified_at": T(2020, 10, 14, 9, 30)}) == (0, 1)

    def test_a_bank_holiday_is_not_a_school_day(self):
        # Friday 1 May 2020; Friday 8 May 2020 was a bank holiday (VE day).
        thursday = T(2020, 5, 7, 21, 0)
        assert self.rate({"incident_at": thursday, "notified_at": T(2020, 5, 11, 8, 45)}) == (1, 1)
        saturday = T(2020, 5, 9, 1, 0)
        assert self.rate({"incident_at": saturday, "notified_at": T(2020, 5, 11, 9, 0)}) == (0, 1)

    def test_children_without_a_school_are_not_in_the_denominator_and_none_sent_is_late(self):
        assert self.rate({"incident_at": T(2020, 10, 13, 20)},
                         {"incident_at": T(2020, 10, 13, 20), "school_urn": None}) == (0, 1)

    def test_incidents_with_a_child_present_are_counted(self):
        d = data(da_incidents=[
            {"child": "A", "incident_at": T(2020, 4, 1, 0, 5), "child_present": True},
            {"child": "B", "incident_at": T(2020, 4, 1, 0, 5), "child_present": False},
            {"child": "C", "incident_at": T(2021, 4, 1, 0, 5), "child_present": True},
        ])
        assert result(d, "da_incidents_children_present").value == 1


class TestSchools:
    def test_exclusions_count_when_social_care_is_open_on_the_day(self):
        d = data(
            cin_episodes=[{"child": "A", "referral_date": D(2020, 5, 1),
                           "closure_date": D(2020, 9, 10)}],
            cp_plans=[{"child": "B", "start": D(2020, 11, 2)}],
            exclusions=[
                {"child": "A", "start": D(2020, 9, 10), "category": "FIXD"},  # closure day
                {"child": "A", "start": D(2020, 9, 11), "category": "FIXD"},  # day after
                {"child": "A", "start": D(2020, 4, 30), "category": "FIXD"},  # before referral
                {"child": "B", "start": D(2020, 11, 2), "category": "PERM"},
                {"child": "p:unlinked", "start": D(2020, 11, 2), "category": "FIXD"},
            ])
        assert result(d, "suspensions_children_known_to_social_care").value == 1
        assert result(d, "permanent_exclusions_children_known_to_social_care").value == 1

    def test_persistent_absence_starts_at_exactly_ten_percent(self):
        cin = [{"child": c, "referral_date": D(2020, 1, 1)} for c in "ABC"]
        d = data(cin_episodes=cin, attendance=[
            {"child": "A", "from_date": D(2020, 9, 1), "to_date": D(2020, 12, 18),
             "possible": 100, "absent": 10},
            {"child": "B", "from_date": D(2020, 9, 1), "to_date": D(2020, 12, 18),
             "possible": 1000, "absent": 99},
            # Two terms together: 5 of 60 and 8 of 60 is 13 of 120, over 10 %.
            {"child": "C", "from_date": D(2020, 9, 1), "to_date": D(2020, 12, 18),
             "possible": 60, "absent": 5},
            {"child": "C", "from_date": D(2021, 1, 4), "to_date": D(2021, 3, 31),
             "possible": 60, "absent": 8},
            # A term reaching past the period's end is not counted.
            {"child": "A", "from_date": D(2021, 3, 1), "to_date": D(2021, 4, 20),
             "possible": 10, "absent": 0},
            {"child": "Z", "from_date": D(2020, 9, 1), "to_date": D(2020, 12, 18),
             "possible": 100, "absent": 50},  # not a child in need
        ])
        res = result(d, "persistent_absence_children_in_need_rate")
        assert (res.numerator, res.denominator, res.value) == (2, 3, 66.7)

    def test_looked_after_absence_needs_the_ssda903(self):
        res = result(data(coverage={"attendance": ALL, "cin": ALL}),
                     "persistent_absence_looked_after_rate")
        assert res.value is None and "SSDA903" in res.reason


class TestMace:
    def test_referrals_children_discussed_and_by_exploitation_type(self):
        d = data(mace_referrals=[
            {"child": "A", "received": D(2020, 3, 20), "discussed": D(2020, 4, 1),
             "types": ["24A"]},
            {"child": "A", "received": D(2020, 6, 1), "discussed": D(2020, 6, 15),
             "types": ["24A", "11A"]},
            {"child": "B", "received": D(2021, 3, 31), "discussed": D(2021, 4, 1),
             "types": ["11A"]},
            {"child": "C", "received": D(2020, 7, 1), "types": ["HSB"]},
        ])
        assert result(d, "mace_referrals").value == 3
        assert result(d, "children_discussed_at_mace").value == 1
        assert result(d, "children_discussed_at_mace_cce").value == 1
        assert result(d, "children_discussed_at_mace_cse").value == 1
        assert result(d, "children_discussed_at_mace_hsb").value == 0


def test_measures_from_an_extract_loaded_through_the_importer(tmp_path):
    """From a file to figures: nothing before the extract, its figures after, its period only."""
    from safeguarding.core import services as core_services
    from safeguarding.datasets import services
    from safeguarding.measures.sources import measure_data

    staffs = core_services.partnership_add(
        actor=None, code="STAFFS", name="Staffordshire Safeguarding Children Partnership",
        local_authorities=[("860", "E10000028", "Staffordshire")])
    core_services.agency_add(actor=None, name="Staffordshire Children's Services",
                             kind="la_childrens_services", partnerships=[staffs])

    path = tmp_path / "missing.csv"
    path.write_text(
        "person_id,episode_id,missing_from,returned_at,category,looked_after,"
        "interview_offered_at,interview_outcome,interview_completed_at,last_name,date_of_birth\n"
        "P1,E1,2020-06-01 21:00,2020-06-02 18:00,M,N,2020-06-05 18:00,COM,"
        "2020-06-05 18:00,Smith,2010-01-01\n"
        "P2,E2,2020-06-01 21:00,2020-06-02 18:00,M,N,2020-06-05 18:01,DEC,,Jones,2011-01-01\n")
    before = Engine(measure_data(["860"])).compute(
        YEAR, ["860"], [catalogue()["missing_episodes"]])[0]
    assert before.value is None
    record = services.import_file(actor=None, partnership=staffs, kind="missing-episodes",
                                 path=path, period="2020-21")
    assert record.status == "loaded"
    engine = Engine(measure_data(["860"]))
    assert engine.compute(YEAR, ["860"], [catalogue()["missing_episodes"]])[0].value == 2
    (rate,) = engine.compute(YEAR, ["860"],
                             [catalogue()["return_interviews_offered_within_72_hours_rate"]])
    assert (rate.numerator, rate.denominator) == (1, 2)
    other_year = engine.compute(parse("2021-22"), ["860"], [catalogue()["missing_episodes"]])[0]
    assert other_year.value is None
