"""Reading DfE's tables: periods, table names, column parts."""

from __future__ import annotations

import pytest

from safeguarding.datasets.validation.dfe_benchmarks import layout_for, period_for, table_id_for
from safeguarding.datasets.validation.problems import ProblemLog


@pytest.mark.parametrize("time_period, identifier, expected", [
    ("2021", "Reporting year", ("2020/21", 2021)),
    ("202021", "Financial year", ("2020/21", 2021)),
    ("202021", "Academic year", ("2020/21", 2021)),
    ("2021", "Calendar year", ("2021", None)),
    ("201920", "Reporting year", ("2019/20", 2020)),
])
def test_periods(time_period, identifier, expected):
    assert period_for(time_period, identifier) == expected


@pytest.mark.parametrize("name, table_id", [
    ("c1_children_in_need_referrals_and_rereferrals_2013_to_2025.csv",
     "c1_children_in_need_referrals_and_rereferrals"),
    ("c3_factors_identified_at_end_of_assessment_2018_to_2025.csv",
     "c3_factors_identified_at_end_of_assessment"),
    ("cla_number_and_rate_per_10k_children.csv", "cla_number_and_rate_per_10k_children"),
    ("My Table (final) 2020-21.csv", "my_table_final"),
])
def test_table_ids_drop_the_span_of_years(name, table_id):
    assert table_id_for(name) == table_id


def test_columns_split_into_places_filters_and_indicators():
    log = ProblemLog("x.csv", max_errors=10)
    layout = layout_for(["time_period", "time_identifier", "geographic_level", "old_la_code",
                         "la_name", "population_type", "children_count", "rate_per_10000"], log)
    assert layout.filters == ["population_type"]
    assert layout.indicators == ["children_count", "rate_per_10000"]


def test_a_header_without_the_essentials_is_refused():
    log = ProblemLog("x.csv", max_errors=10)
    assert layout_for(["year", "count", "count"], log) is None
    assert [p.rule for p in log.kept] == ["SCP-BENCH-DUPLICATE-COLUMN", "SCP-BENCH-COLUMNS",
                                          "SCP-BENCH-COLUMNS", "SCP-BENCH-COLUMNS"]
