"""DfE's published figures come out of the platform exactly as published."""

import csv
from pathlib import Path

import pytest
from django.core.management import call_command

from safeguarding.core.models import Partnership
from safeguarding.measures import services
from safeguarding.measures.periods import parse
from safeguarding.measures.selectors import indicators_document

DFE = Path(__file__).resolve().parents[2] / "data" / "dfe"


@pytest.fixture(scope="module")
def dfe_world(module_demo_world, django_db_blocker):
    with django_db_blocker.unblock():
        call_command("import", "dfe-benchmarks", *sorted(str(p) for p in DFE.glob("*.csv")),
                     "--partnership", "STAFFS")
    return module_demo_world


@pytest.fixture
def demo_world(dfe_world, db):
    return dfe_world


@pytest.fixture
def imported(demo_world):
    return Partnership.objects.get(code="STAFFS")


def _by_id(document):
    return {row["id"]: row for row in document["indicators"]}


def test_staffordshire_2020_21_as_published(imported):
    rows = _by_id(indicators_document(partnership=imported, period=parse("2020-21"),
                                      with_benchmarks=True))
    counts = {"referrals": 6431, "cpp_starts": 789, "cpp_at_period_end": 628,
              "cla_at_period_end": 1242}
    percentages = {"rereferrals_within_12_months_rate": 17.4,
                   "cpp_second_or_subsequent_rate": 20.7}
    assert {k: rows[k]["benchmarks"]["la_count"] for k in counts} == counts
    assert {k: rows[k]["benchmarks"]["la"] for k in percentages} == percentages


def test_england_and_region_come_from_the_same_year(imported):
    rows = _by_id(indicators_document(partnership=imported, period=parse("2020-21"),
                                      with_benchmarks=True))
    referrals = rows["referrals"]["benchmarks"]
    # 597,760 referrals in England and 64,600 in the West Midlands in 2020-21 (rounded by
    # DfE), per 10,000 of DfE's 11,787,794 and 1,292,667 children aged 0 to 17.
    assert referrals["england"] == 507.1
    assert referrals["region"] == 499.7
    assert rows["rereferrals_within_12_months_rate"]["benchmarks"]["england"] == 22.7


def test_statistical_neighbours_are_the_mean_of_the_configured_las(imported):
    services.neighbour_add(actor=None, partnership=imported, old_la_code="861",
                           name="Stoke-on-Trent")
    services.neighbour_add(actor=None, partnership=imported, old_la_code="855",
                           name="Leicestershire")
    rows = _by_id(indicators_document(partnership=imported, period=parse("2020-21"),
                                      with_benchmarks=True))
    stoke = indicators_document(partnership=Partnership.objects.get(code="STOKE"),
                                period=parse("2020-21"), with_benchmarks=True)
    stoke_rate = _by_id(stoke)["rereferrals_within_12_months_rate"]["benchmarks"]["la"]
    leicestershire = next(float(r["rereferral_percent"]) for r in csv.DictReader(
        (DFE / "c1_children_in_need_referrals_and_rereferrals_2013_to_2025.csv").open())
        if r["time_period"] == "2021" and r["old_la_code"] == "855")
    expected = int((leicestershire + stoke_rate) / 2 * 10 + 0.5) / 10
    assert rows["rereferrals_within_12_months_rate"]["benchmarks"]["statistical_neighbours"] == expected


def test_a_year_dfe_has_not_published_says_so(imported):
    rows = _by_id(indicators_document(partnership=imported, period=parse("2030-31"),
                                      with_benchmarks=True))
    assert rows["referrals"]["benchmarks"]["england"] is None
    assert "not imported" in rows["referrals"]["benchmarks"]["reason"]
