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


def test_an_import_adds_its_own_types_and_rules_without_changing_the_template(template):
    """``with_parsers`` gives one import its context (here the partnership's schools);
    ``upper`` reads codes in capitals; ``row_checks`` see the cells as written."""
    schools = {"900101"}

    def school(column, text):
        return (text, None, "") if text in schools else (None, "school", f"'{text}' is no school")

    local = CsvTemplate.of([{"name": "urn", "type": "school", "required": True},
                            {"name": "kinds", "type": "codes", "upper": True,
                             "code_list": "kinds"},
                            {"name": "note", "type": "text"}],
                           name="local", code_list=lambda name: {"CSE": "Sexual"})
    one_import = local.with_parsers({"school": school})
    rows = one_import.read(b"urn,kinds,note\n900101,cse,\n", file_name="f.csv")
    assert rows[0].values == {"urn": "900101", "kinds": ["CSE"], "note": None}
    with pytest.raises(ImportRefused) as refused:
        one_import.read(b"urn,kinds,note\n900999,CSE,\n900101,CSE,\n", file_name="f.csv",
                        row_checks=lambda row: [] if row.raw["note"] else
                        [("note", "note", "is blank")])
    found = {(p.row, p.column, p.rule) for p in refused.value.problems}
    assert found == {(2, "urn", "school"), (2, "note", "note"), (3, "note", "note")}
    with pytest.raises(ValueError, match="unknown column type 'school'"):
        local.read(b"urn,kinds,note\n900101,CSE,x\n", file_name="f.csv")
