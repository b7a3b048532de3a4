"""The errors CSV a data officer opens in a spreadsheet."""

from __future__ import annotations

import io

import pytest

from safeguarding.datasets.validation.problems import (
    CSV_COLUMNS,
    Problem,
    ProblemLog,
    TooManyErrors,
    write_csv,
)


def test_the_csv_names_file_row_child_field_rule_and_message():
    out = io.StringIO()
    write_csv(out, [Problem("8630", "CINclosureDate is before CINreferralDate", file="a.xml",
                            row=12, child="C1", field="CINclosureDate"),
                    Problem("8585Q", "no death date", file="a.xml", severity="query")])
    lines = out.getvalue().splitlines()
    assert lines[0] == ",".join(CSV_COLUMNS) == "file,row,child,field,rule,message"
    assert lines[1] == "a.xml,12,C1,CINclosureDate,8630,CINclosureDate is before CINreferralDate"
    assert lines[2].endswith("8585Q,Query (does not stop the load): no death date")


def test_cells_that_a_spreadsheet_would_run_as_formulas_are_defused():
    out = io.StringIO()
    write_csv(out, [Problem("SCP-CODE", "bad", file="a.xml", child="=HYPERLINK(1)")],
              header=False)
    assert out.getvalue().split(",")[2] == "'=HYPERLINK(1)"


def test_the_log_stops_at_the_error_limit_and_counts_queries_apart():
    seen = []
    log = ProblemLog("a.xml", max_errors=2, sink=seen.append)
    log.add("Q", "query", severity="query")
    log.add("E", "one")
    with pytest.raises(TooManyErrors):
        log.add("E", "two")
    assert (log.errors, log.queries, len(seen)) == (2, 1, 3)
