"""DfE's published figures come out of the platform exactly as published."""

from pathlib import Path

import pytest
from django.core.management import call_command

from safeguarding.core.models import Partnership
from safeguarding.measures import services
from safeguarding.measures.periods import parse
from safeguarding.measures.selectors import indicators_document

DFE = Path(__file__).resolve().parents[2] / "data" / "dfe"


@pytest.fixture
def imported(demo_world):
    call_command("import", "dfe-benchmarks", *sorted(str(p) for p in DFE.glob("*.csv")),
                 "--partnership", "STAFFS")
    return Partnership.objects.get(code="STAFFS")


def _by_id(document):
    return {row["id"]: row for row in document["indicators"]}


def test_staffordshire_2020_21_as_published(imported):
    rows = _by_id(indicators_document(partnership=imported, period=parse("2020-21"),
                                      with_benchmarks=True))
    published = {
        "referrals": 6431,
        "rereferrals_within_12_months_rate": 17.4,
        "cpp_starts": 789,
        "cpp_second_or_subsequent_rate": 20.7,
        "cpp_at_period_end": 628,
        "cla_at_period_end": 1242,
    }
    assert {k: rows[k]["benchmarks"]["la"] for k in published} == published


def test_england_and_region_come_from_the_same_year(imported):
    rows = _by_id(indicators_document(partnership=imported, period=parse("2020-21"),
                                      with_benchmarks=True))
    referrals = rows["referrals"]["benchmarks"]
    assert referrals["england"] == 597760  # national total for 2020-21, rounded by DfE
    assert referrals["region"] == 64600  # West Midlands
    assert rows["rereferrals_within_12_months_rate"]["benchmarks"]["england"] == 22.7


def test_statistical_neighbours_are_the_mean_of_the_configured_las(imported):
    services.neighbour_add(actor=None, partnership=imported, old_la_code="861",
                           name="Stoke-on-Trent")
    services.neighbour_add(actor=None, partnership=imported, old_la_code="860",
                           name="Staffordshire")
    rows = _by_id(indicators_document(partnership=imported, period=parse("2020-21"),
                                      with_benchmarks=True))
    stoke = indicators_document(partnership=Partnership.objects.get(code="STOKE"),
                                period=parse("2020-21"), with_benchmarks=True)
    stoke_rate = _by_id(stoke)["rereferrals_within_12_months_rate"]["benchmarks"]["la"]
    expected = round((17.4 + stoke_rate) / 2, 1)
    assert rows["rereferrals_within_12_months_rate"]["benchmarks"]["statistical_neighbours"] == expected


def test_a_year_dfe_has_not_published_says_so(imported):
    rows = _by_id(indicators_document(partnership=imported, period=parse("2030-31"),
                                      with_benchmarks=True))
    assert rows["referrals"]["benchmarks"]["england"] is None
    assert "not imported" in rows["referrals"]["benchmarks"]["reason"]
