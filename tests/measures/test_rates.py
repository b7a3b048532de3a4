"""Rates per 10,000 children aged 0 to 17, and comparisons made on them.

The figures checked by hand come from DfE's own files in data/dfe (Children looked after
in England, cla_number_and_rate_per_10k_children.csv, and Characteristics of children in
need, table C1), for the year ending 31 March 2021:

- Staffordshire (860): 1,242 children looked after on 31 March, population aged 0 to 17
  167,502, DfE's published rate 74. 1,242 x 10,000 / 167,502 = 74.148..., so 74.1.
- Staffordshire: 6,431 referrals (C1); 6,431 x 10,000 / 167,502 = 383.93..., so 383.9.
- England: 597,760 referrals, population 11,787,794: 507.09..., so 507.1.
- West Midlands (E12000005): 64,600 referrals, population 1,292,667: 499.74..., so 499.7.
- Stoke-on-Trent (861): 1,004 looked after, population 58,610: 171.30..., so 171.3 (DfE 171).
- Leicestershire (855): 706 looked after, population 139,893: 50.46..., so 50.5 (DfE 50).
- Cumberland (942) did not exist until 2023: its 2021 population is x and its count z.
"""

from __future__ import annotations

import csv
import dataclasses
import io
from pathlib import Path

import pytest
from django.core.exceptions import ValidationError
from django.core.management import CommandError, call_command

from safeguarding.core.models import Partnership
from safeguarding.datasets.models import BenchmarkValue
from safeguarding.measures import comparisons, services, sources
from safeguarding.measures.catalogue import catalogue
from safeguarding.measures.engine import Engine
from safeguarding.measures.figures import per_10000
from safeguarding.measures.periods import parse
from safeguarding.measures.selectors import indicators_document
from tests.reports.helpers import cin_data

DFE = Path(__file__).resolve().parents[2] / "data" / "dfe"
CLA = DFE / "cla_number_and_rate_per_10k_children.csv"
C1 = DFE / "c1_children_in_need_referrals_and_rereferrals_2013_to_2025.csv"
YEAR = parse("2020-21")


@pytest.fixture(scope="module")
def dfe_world(module_demo_world, django_db_blocker):
    with django_db_blocker.unblock():
        call_command("import", "dfe-benchmarks", str(CLA), str(C1), "--partnership", "STAFFS",
                     stdout=io.StringIO())
    return module_demo_world


@pytest.fixture
def demo_world(dfe_world, db):
    return dfe_world


@pytest.fixture
def staffs(demo_world):
    return Partnership.objects.get(code="STAFFS")


def _rows(partnership, period=YEAR):
    document = indicators_document(partnership=partnership, period=period, with_benchmarks=True)
    return {row["id"]: row for row in document["indicators"]}


# Arithmetic -------------------------------------------------------------------------------

def test_a_rate_is_the_count_per_10000_of_the_population_to_one_decimal():
    assert per_10000(1242, 167502) == 74.1  # Staffordshire, looked after, 31 March 2021
    assert per_10000(6431, 167502) == 383.9
    assert per_10000(1, 20000) == 0.5  # exactly half rounds up, as DfE rounds
    assert per_10000(5, 0) is None


def test_every_published_la_rate_is_the_count_over_dfes_population():
    with CLA.open(encoding="utf-8-sig", newline="") as handle:
        rows = [r for r in csv.DictReader(handle) if r["geographic_level"] == "Local authority"
                and r["population_estimate"].isdigit() and r["children_count"].isdigit()]
    assert len(rows) > 2000
    for row in rows:
        ours = per_10000(int(row["children_count"]), int(row["population_estimate"]))
        # DfE rounds its rate to a whole number; ours has one decimal.
        assert abs(ours - float(row["rate_per_10000"])) <= 0.55, row


# The partnership's own rate, in the engine -------------------------------------------------

def test_the_engine_gives_the_partnerships_rate_on_dfes_population(demo_world):
    data = dataclasses.replace(cin_data("860", {2020: 22}), population=sources.population_reader())
    (result,) = Engine(data).compute(YEAR, ["860"], [catalogue()["referrals"]])
    assert (result.value, result.population, result.rate_per_10000) == (22, 167502, 1.3)
    (quarter,) = Engine(data).compute(parse("2020-Q2"), ["860"], [catalogue()["referrals"]])
    assert quarter.rate_per_10000 is None and "financial year" in quarter.rate_reason


def test_the_population_of_a_partnership_of_several_las_is_summed(demo_world):
    found = comparisons.populations(year_ending=2021)
    assert comparisons.la_population(found, ["860", "861"], 2021) == (167502 + 58610, False, None)


def test_a_year_without_dfes_population_gives_no_rate_and_says_why(demo_world):
    data = dataclasses.replace(cin_data("860", {2019: 20}), population=sources.population_reader())
    (result,) = Engine(data).compute(parse("2019-20"), ["860"], [catalogue()["referrals"]])
    assert result.value == 20
    assert result.rate_per_10000 is None and result.population is None
    assert "2019-20" in result.rate_reason and "not imported" in result.rate_reason


# Comparisons on rates ------------------------------------------------------------------------

def test_england_and_the_region_are_compared_on_rates_never_on_counts(staffs):
    referrals = _rows(staffs)["referrals"]["benchmarks"]
    assert referrals["basis"] == "rate_per_10000"
    assert (referrals["england"], referrals["region"]) == (507.1, 499.7)
    assert (referrals["la"], referrals["la_count"]) == (383.9, 6431)
    assert 597760 not in referrals.values() and 64600 not in referrals.values()
    looked_after = _rows(staffs)["cla_at_period_end"]["benchmarks"]
    assert (looked_after["la"], looked_after["england"]) == (74.1, per_10000(80780, 11787794))


def test_a_percentage_is_still_compared_on_dfes_percentage(staffs):
    rereferrals = _rows(staffs)["rereferrals_within_12_months_rate"]["benchmarks"]
    assert rereferrals["basis"] == "percent"
    assert (rereferrals["la"], rereferrals["england"]) == (17.4, 22.7)


def test_without_a_neighbour_list_the_comparison_says_it_is_not_available(staffs, client_for):
    marks = _rows(staffs)["cla_at_period_end"]["benchmarks"]
    assert marks["statistical_neighbours"] is None
    assert "statistical neighbour list for LA 860 is not available" in marks["neighbours_reason"]
    page = client_for("business.staffs").get(
        "/dashboard/STAFFS/core-pathway/?period=2020-21").content.decode()
    assert "statistical neighbour list for LA 860 is not available" in page
    assert "England, per 10,000 children" in page


def test_the_neighbours_figure_is_the_mean_of_their_rates_from_dfes_tables(staffs):
    services.neighbours_set(actor=None, partnership=staffs, la="860",
                            neighbours=[("861", "Stoke-on-Trent"), ("855", "Leicestershire")],
                            source="Test list")
    marks = _rows(staffs)["cla_at_period_end"]["benchmarks"]
    assert marks["neighbours_reason"] is None
    assert marks["neighbours_used"] == ["855", "861"]
    assert marks["statistical_neighbours"] == 110.9  # (171.3 + 50.5) / 2 = 110.9


def test_a_neighbour_dfe_withheld_is_left_out_of_the_mean_never_counted_as_0(staffs):
    services.neighbours_set(actor=None, partnership=staffs, la="860",
                            neighbours=[("861", ""), ("942", "")], source="Test list")
    marks = _rows(staffs)["cla_at_period_end"]["benchmarks"]
    assert marks["statistical_neighbours"] == 171.3  # Stoke alone, not (171.3 + 0) / 2
    assert marks["neighbours_used"] == ["861"] and marks["neighbours"] == ["861", "942"]


def test_suppressed_dfe_values_are_missing_and_never_shown_as_0(staffs, tmp_path):
    header = ("time_period,time_identifier,geographic_level,country_code,country_name,"
              "region_code,region_name,old_la_code,la_name,new_la_code,population_type,"
              "population_estimate,children_count,rate_per_10000")
    place = "2021,Reporting year,Local authority,E92000001,England,E12000005,West Midlands"
    kind = "Children looked after on 31 March each year"
    lines = ["\ufeff" + header,
             f"2021,Reporting year,National,E92000001,England,,,,,,{kind},11787794,80780,69",
             f"{place},860,Staffordshire,E10000028,{kind},c,c,c",
             f"{place},861,Stoke-on-Trent,E06000021,{kind},x,z,z",
             f"{place},855,Leicestershire,E10000018,{kind},139893,k,k",
             f"{place},856,Leicester,E06000016,{kind},98000,1000,z"]
    path = tmp_path / "cla_number_and_rate_per_10k_children.csv"
    path.write_text("\n".join(lines) + "\n", encoding="utf-8")
    call_command("import", "dfe-benchmarks", str(path), "--partnership", "STAFFS",
                 stdout=io.StringIO())
    stored = BenchmarkValue.objects.get(release__status="current", old_la_code="860",
                                        indicator="population_estimate")
    assert (stored.value, stored.marker) == (None, "c")
    assert {v.marker for v in BenchmarkValue.objects.filter(
        release__status="current", old_la_code__in=["861", "855"],
        indicator="children_count")} == {"z", "k"}
    found = comparisons.populations(year_ending=2021)
    population, _, why = comparisons.la_population(found, ["860"], 2021)
    assert population is None and "LA 860" in why
    # Leicester's population is published, so its count and rate need no derivation.
    assert comparisons.la_population(found, ["856"], 2021) == (98000, False, None)
    services.neighbours_set(actor=None, partnership=staffs, la="860",
                            neighbours=[("861", ""), ("855", "")], source="Test list")
    data = dataclasses.replace(cin_data("860", {2020: 22}), population=sources.population_reader())
    (result,) = Engine(data).compute(YEAR, ["860"], [catalogue()["referrals"]])
    assert result.value == 22 and result.rate_per_10000 is None and "LA 860" in result.rate_reason
    marks = _rows(staffs)["cla_at_period_end"]
    assert marks["benchmarks"]["england"] == 68.5
    assert marks["benchmarks"]["la"] is None  # no population for 860: no rate, not 0
    assert marks["benchmarks"]["statistical_neighbours"] is None
    assert marks["benchmarks"]["neighbours_used"] == []


def test_a_missing_population_is_derived_from_a_published_count_and_rate(staffs, tmp_path):
    header = ("time_period,time_identifier,geographic_level,country_code,country_name,"
              "region_code,region_name,old_la_code,la_name,new_la_code,population_type,"
              "population_estimate,children_count,rate_per_10000")
    kind = "Children looked after on 31 March each year"
    path = tmp_path / "cla_number_and_rate_per_10k_children.csv"
    path.write_text("\n".join([
        header,
        f"2021,Reporting year,Local authority,E92000001,England,E12000005,West Midlands,860,"
        f"Staffordshire,E10000028,{kind},x,1242,74"]) + "\n", encoding="utf-8")
    call_command("import", "dfe-benchmarks", str(path), "--partnership", "STAFFS",
                 stdout=io.StringIO())
    found = comparisons.populations(year_ending=2021)
    # 1,242 x 10,000 / 74 = 167,837.8: approximate, as DfE's rate is rounded, and marked so.
    assert comparisons.la_population(found, ["860"], 2021) == (167838, True, None)


# Setting neighbours ------------------------------------------------------------------------

def test_neighbours_are_set_listed_and_cleared_from_the_cli(staffs):
    out = io.StringIO()
    call_command("neighbours", "--partnership", "STAFFS", stdout=out)
    assert "860\tnot available" in out.getvalue()
    out = io.StringIO()
    call_command("neighbours", "--partnership", "STAFFS", "--set", "861,855", "--source",
                 "DfE CS statistical neighbour benchmarking tool, 2024", stdout=out)
    assert "860\t861,855\tDfE CS statistical neighbour benchmarking tool, 2024" in out.getvalue()
    with pytest.raises(CommandError, match="Say where the neighbour list comes from"):
        call_command("neighbours", "--partnership", "STAFFS", "--set", "861",
                     stdout=io.StringIO())
    with pytest.raises(CommandError, match="cannot be its own neighbour"):
        call_command("neighbours", "--partnership", "STAFFS", "--set", "860", "--source", "x",
                     stdout=io.StringIO())
    out = io.StringIO()
    call_command("neighbours", "--partnership", "STAFFS", "--clear", stdout=out)
    assert "860\tnot available" in out.getvalue()


def test_a_neighbour_code_must_be_an_la_code(staffs):
    with pytest.raises(ValidationError, match="3 digits"):
        services.neighbours_set(actor=None, partnership=staffs, la=None,
                                neighbours=[("86", "")], source="Test list")


# Everywhere the figures go out ---------------------------------------------------------------

def test_the_download_and_the_api_carry_the_rates(staffs, client_for):
    client = client_for("business.staffs")
    download = client.get("/dashboard/STAFFS/core-pathway.csv?period=2020-21").content.decode()
    rows = {r["measure"]: r for r in csv.DictReader(io.StringIO(download))}
    assert rows["cla_at_period_end"]["compared_on"] == "per 10,000 children aged 0 to 17"
    assert rows["cla_at_period_end"]["england"] == "68.5"
    assert rows["cla_at_period_end"]["rate_per_10000"] == ""  # no SSDA903 in the demo world
    assert rows["rereferrals_within_12_months_rate"]["england"] == "22.7"
    api = client.get("/api/indicators", {"partnership": "STAFFS", "period": "2020-21",
                                         "benchmarks": "true"}).json()
    referrals = next(r for r in api["indicators"] if r["id"] == "referrals")
    assert "rate_per_10000" in referrals
    assert referrals["benchmarks"]["england"] == 507.1


def test_the_yearly_report_sets_the_partnerships_rate_beside_englands_and_the_regions(
        staffs, monkeypatch):
    from safeguarding.reports import builder
    from tests.reports.helpers import parse as parse_html
    from tests.reports.helpers import report_root

    monkeypatch.setattr(sources, "measure_data", lambda las: dataclasses.replace(
        cin_data("860", {2019: 20, 2020: 22}), population=sources.population_reader()))
    report = builder.build(staffs, "2020-21")
    article = report_root(parse_html(builder.render_body(report)))
    rate = report.figures.by_key["referrals.per_10000"]
    assert (rate.value, rate.numerator, rate.denominator) == (1.3, 22, 167502)
    row = article.xpath('//tr[.//*[@data-figure="referrals.per_10000"]]')[0]
    places = {el.get("data-place"): el.text_content() for el in row.xpath(".//*[@data-place]")}
    assert places == {"england": "507.1", "region": "499.7"}
    assert "not available" in row.text_content()  # no neighbour list: no neighbour figure
    text = article.text_content()
    assert "statistical neighbour list for LA 860 is not available" in text
    assert "597,760" not in text and "64,600" not in text
