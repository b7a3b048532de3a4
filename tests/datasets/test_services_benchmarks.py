"""Loading DfE's published tables: tidy values, suppression kept as missing, releases replace."""

from __future__ import annotations

import glob
from decimal import Decimal
from pathlib import Path

import pytest

from safeguarding.datasets import selectors, services
from safeguarding.datasets.models import (
    BenchmarkTable,
    BenchmarkValue,
    ImportKind,
    ImportStatus,
    ReturnStatus,
)
from tests.datasets.conftest import C1, DFE_DIR

BENCH = ImportKind.DFE_BENCHMARKS
C1_TABLE = "c1_children_in_need_referrals_and_rereferrals"


def load(partnership, path, **options):
    return services.import_file(actor=None, partnership=partnership, kind=BENCH, path=path,
                                **options)


def test_staffordshire_2020_21_referrals_and_rereferral_rate(staffs):
    record = load(staffs, C1)
    assert record.status == ImportStatus.LOADED, record.summary
    assert record.table_id == C1_TABLE and record.period == "2012/13 to 2024/25"
    values = {
        v.indicator: v for v in BenchmarkValue.objects.filter(
            table_id=C1_TABLE, old_la_code="860", period="2020/21",
            indicator__in=["referral_count", "rereferral_percent"])
    }
    referrals, rate = values["referral_count"], values["rereferral_percent"]
    assert referrals.value == Decimal("6431") and rate.value == Decimal("17.4")
    assert referrals.geographic_level == "Local authority"
    assert referrals.new_la_code == "E10000028" == referrals.geography_code
    assert referrals.la_name == "Staffordshire" and referrals.region_code == "E12000005"
    assert referrals.time_period == "2021" and referrals.year_ending == 2021
    assert referrals.breakdown == "category=Referrals and Re-referrals"
    assert referrals.marker == "" and referrals.release.status == ReturnStatus.CURRENT


def test_england_and_regions_are_stored_beside_every_la(staffs):
    load(staffs, C1)
    england = BenchmarkValue.objects.get(table_id=C1_TABLE, geographic_level="National",
                                         period="2024/25", indicator="referral_count")
    assert england.value == Decimal("632830") and england.geography_code == "E92000001"
    regions = BenchmarkValue.objects.filter(table_id=C1_TABLE, geographic_level="Regional",
                                            period="2024/25", indicator="referral_count")
    assert regions.count() == 11
    assert BenchmarkValue.objects.filter(table_id=C1_TABLE, period="2024/25",
                                         indicator="referral_count").count() == 165


def test_suppressed_values_are_missing_with_their_marker_never_zero(staffs):
    load(staffs, C1)
    herefordshire = BenchmarkValue.objects.filter(table_id=C1_TABLE, old_la_code="884",
                                                  period="2023/24")
    assert herefordshire.count() == 10
    assert set(herefordshire.values_list("value", "marker")) == {(None, "u")}
    suppressed = BenchmarkValue.objects.filter(value__isnull=True)
    assert suppressed.count() == 390
    assert set(suppressed.values_list("marker", flat=True)) == {"c", "x", "u"}
    assert not BenchmarkValue.objects.filter(value__isnull=True, marker="").exists()


def test_markers_and_blanks_in_a_file_of_the_same_shape(staffs, tmp_path):
    path = tmp_path / "z9_made_up_table_2020_to_2021.csv"
    path.write_text(
        "time_period,time_identifier,geographic_level,country_code,country_name,region_code,"
        "region_name,old_la_code,new_la_code,la_name,category,a_count,b_percent\n"
        "202021,Financial year,Local authority,E92000001,England,E12000005,West Midlands,860,"
        "E10000028,Staffordshire,All,k,low\n"
        "202021,Financial year,National,E92000001,England,,,,,,All,,z\n")
    record = load(staffs, path)
    assert record.status == ImportStatus.LOADED, list(record.problems.values_list("message"))
    values = {(v.geographic_level, v.indicator): (v.value, v.marker, v.period)
              for v in BenchmarkValue.objects.filter(table_id="z9_made_up_table")}
    assert values == {
        ("Local authority", "a_count"): (None, "k", "2020/21"),
        ("Local authority", "b_percent"): (None, "low", "2020/21"),
        ("National", "a_count"): (None, "", "2020/21"),
        ("National", "b_percent"): (None, "z", "2020/21"),
    }


def test_a_value_that_is_neither_number_nor_marker_fails_the_file(staffs, tmp_path):
    path = tmp_path / "bad.csv"
    path.write_text("time_period,time_identifier,geographic_level,new_la_code,count\n"
                    "2021,Reporting year,Local authority,E10000028,12\n"
                    "2021,Reporting year,Local authority,E10000029,twelve\n")
    record = load(staffs, path)
    assert record.status == ImportStatus.FAILED
    problem = record.problems.get()
    assert (problem.row, problem.field, problem.rule) == (3, "count", "SCP-BENCH-NUMBER")
    assert not BenchmarkValue.objects.exists() and not BenchmarkTable.objects.exists()


def test_reimporting_a_table_is_unchanged_and_a_new_release_replaces_it(staffs, tmp_path):
    first = load(staffs, C1)
    again = load(staffs, C1)
    assert again.status == ImportStatus.UNCHANGED
    assert BenchmarkValue.objects.count() == 21_320
    lines = Path(C1).read_text(encoding="utf-8").splitlines()
    revised = [lines[0]] + [
        line.replace(",6431,1122,17.4,", ",6432,1122,17.4,") for line in lines[1:]
        if not line.startswith("2013,")]
    path = tmp_path / "c1_children_in_need_referrals_and_rereferrals_2013_to_2026.csv"
    path.write_text("\n".join(revised) + "\n")
    newer = load(staffs, path)
    assert newer.status == ImportStatus.LOADED
    assert newer.counts["replaced"] == {"import": first.pk, "added": 0, "changed": 1,
                                        "unchanged": 21_320 - 1640 - 1, "removed": 1640}
    assert newer.replaced_id == first.pk
    assert BenchmarkTable.objects.get(status=ReturnStatus.SUPERSEDED).dataset_import == first
    current = selectors.benchmark_values(partnership=staffs, table_id=C1_TABLE,
                                         indicator="referral_count")
    assert current.get(old_la_code="860", period="2020/21").value == Decimal("6432")
    assert BenchmarkValue.objects.count() == 21_320 - 1640


@pytest.mark.parametrize("path", sorted(glob.glob(f"{DFE_DIR}/*.csv")))
def test_every_published_file_loads(staffs, path):
    record = load(staffs, path)
    assert record.status == ImportStatus.LOADED, list(record.problems.values_list("message"))
    assert record.counts["values"] == BenchmarkValue.objects.count() > 1000


def test_the_children_looked_after_file_with_its_byte_order_mark(staffs):
    load(staffs, f"{DFE_DIR}/cla_number_and_rate_per_10k_children.csv")
    value = BenchmarkValue.objects.get(
        table_id="cla_number_and_rate_per_10k_children", old_la_code="860", period="2024/25",
        indicator="children_count",
        breakdown="population_type=Children looked after on 31 March each year")
    assert value.value == Decimal("1306") and value.time_period == "2025"


def test_a_field_too_long_is_refused_naming_row_field_and_rule(staffs, tmp_path):
    lines = Path(C1).read_text(encoding="utf-8-sig").splitlines()[:3]
    columns = lines[0].split(",")
    cells = lines[2].split(",")
    cells[columns.index("la_name")] = '"' + "x" * 200_000 + '"'
    path = tmp_path / "c1_children_in_need_referrals_and_rereferrals.csv"
    path.write_text("\n".join([lines[0], lines[1], ",".join(cells)]) + "\n", encoding="utf-8")
    record = load(staffs, path)
    assert record.status == ImportStatus.FAILED
    (problem,) = record.problems.all()
    assert (problem.row, problem.field, problem.rule) == (3, "la_name", "SCP-BENCH-FIELD-LONG")
    assert "10,000 characters" in problem.message
