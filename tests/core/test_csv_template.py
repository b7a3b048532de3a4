"""The one CSV template reader: every problem at once, each naming file, row, column and rule."""

from __future__ import annotations

import datetime as dt

import pytest

from safeguarding.core.csv_template import CsvTemplate, ImportRefused


@pytest.fixture
def template(tmp_path):
    path = tmp_path / "t_template.yaml"
    path.write_text(
        "columns:\n"
        "  - {name: ref, type: identifier, required: true, max_length: 10}\n"
        "  - {name: la, type: la_code, required: true}\n"
        "  - {name: count, type: int, min: 1, max: 9}\n"
        "  - {name: seen, type: yes_no}\n"
        "  - {name: day, type: date}\n"
        "  - {name: kinds, type: codes, code_list: kinds}\n")
    return CsvTemplate(path, code_list=lambda name: {"CSE": "Sexual", "CCE": "Criminal"})


def test_a_good_file_gives_typed_values(template):
    rows = template.read(b"ref,la,count,seen,day,kinds\nab 12,860,3,y,2020-05-01,CSE; CCE\n",
                         file_name="f.csv", unique="ref")
    assert rows[0].number == 2
    assert rows[0].values == {"ref": "AB12", "la": "860", "count": 3, "seen": True,
                              "day": dt.date(2020, 5, 1), "kinds": ["CSE", "CCE"]}


def test_every_problem_is_named_and_nothing_is_returned(template):
    content = (b"ref,la,count,seen,day,kinds\n"
               b",86,12,maybe,2020-13-01,CSE;XYZ\n"
               b"A1,860,1,N,,\n"
               b"A1,860,2,N,,\n")
    with pytest.raises(ImportRefused) as refused:
        template.read(content, file_name="f.csv", unique="ref",
                      cross_checks=lambda v: [("count", "odd", "is odd")] if v["count"] == 1 else [])
    found = {(p.row, p.column, p.rule) for p in refused.value.problems}
    assert found == {(2, "ref", "required"), (2, "la", "la_code"), (2, "count", "range"),
                     (2, "seen", "yes_no"), (2, "day", "date"), (2, "kinds", "code"),
                     (3, "count", "odd"), (4, "ref", "unique")}
    assert str(refused.value.problems[0]).startswith("f.csv, row 2, ref: is blank")


def test_a_wrong_header_or_encoding_or_no_rows_is_refused(template):
    for content, rule in [(b"ref,la,extra\n", "header"), (b"\xff\xfe\x00", "encoding"),
                          (b"ref,la,count,seen,day,kinds\n", "rows")]:
        with pytest.raises(ImportRefused) as refused:
            template.read(content, file_name="f.csv", noun="cases")
        assert [p.rule for p in refused.value.problems] == [rule]
    assert "has no cases" in str(refused.value)
