"""Loading Annex A workbooks: all or nothing, named errors, idempotent, newer replaces older."""

from __future__ import annotations

import datetime as dt

import pytest

from safeguarding.children.models import Child
from safeguarding.core import services as core_services
from safeguarding.core.models import AuditEvent
from safeguarding.datasets import services
from safeguarding.datasets.annex_a_summary import annex_a_summary
from safeguarding.datasets.models import (
    AnnexAReturn,
    AnnexARow,
    DatasetImport,
    ImportStatus,
    ReturnStatus,
)
from safeguarding.datasets.synthetic.annex_a import write_annex_a
from tests.datasets.annex_a_support import (
    headings,
    list_columns,
    list_row,
    one_list_workbook,
    write_workbook,
)


def load(partnership, path, **options) -> DatasetImport:
    return services.import_file(actor=None, partnership=partnership, kind="annex-a", path=path,
                                **options)


def test_a_synthetic_workbook_loads_every_list(staffs, tmp_path):
    written = write_annex_a(tmp_path / "annex.xlsx", la_code="860", children=60, seed=3)
    record = load(staffs, written.path)
    assert record.status == ImportStatus.LOADED, record.summary
    annex = AnnexAReturn.objects.get()
    assert annex.local_authority.old_code == "860" and annex.status == ReturnStatus.CURRENT
    assert annex.counts == {str(n): count for n, count in written.counts.items()}
    assert (annex.period_start, annex.period_end) == (dt.date(2021, 10, 1),
                                                       dt.date(2022, 3, 31))
    assert record.period == "Oct 2021 to Mar 2022" and record.local_authority == annex.local_authority
    for number, count in written.counts.items():
        assert AnnexARow.objects.filter(annex_return=annex, list_number=number).count() == count
    assert AuditEvent.objects.filter(object_type="datasets.datasetimport",
                                     object_id=str(record.pk), action="create").count() == 1


def test_rows_keep_typed_keys_and_the_rest_as_json_and_link_to_the_census_child(
        staffs, census, tmp_path):
    services.import_file(actor=None, partnership=staffs, kind="cin-census",
                         path=census(year=2022, children=30, seed=3))
    written = write_annex_a(tmp_path / "annex.xlsx", la_code="860", children=30, seed=3)
    load(staffs, written.path)
    referral = AnnexARow.objects.filter(list_number=3).select_related("child").first()
    assert referral.start_date and referral.code and referral.pseudonym
    assert referral.child is not None and referral.child.la_child_id == referral.subject_id
    assert set(referral.fields) <= {"referral_nfa", "referrals_12m", "team", "age", "disability"}
    assert "worker" not in referral.fields  # a worker's name is never stored
    from safeguarding.datasets.models import CinChild

    census_child = CinChild.objects.get(la_child_id=referral.subject_id)
    assert census_child.pseudonym == referral.pseudonym  # the same child joins across sources


def test_names_and_upn_go_to_the_child_index_only(staffs, tmp_path):
    columns = [*list_columns(1), "first_name", "last_name", "upn"]
    heads = [*headings(1, list_columns(1)), "Forename", "Surname", "UPN"]
    path = write_workbook(tmp_path / "named.xlsx", {"Contacts": (heads, [
        list_row(1, columns, first_name="Amelia", last_name="Testcase", upn="A860999123456")])})
    record = load(staffs, path)
    assert record.status == ImportStatus.LOADED, record.summary
    row = AnnexARow.objects.get()
    assert "Amelia" not in str(row.fields) and "upn" not in row.fields
    child = Child.objects.get(la_child_id="T000001")
    assert (child.first_name, child.last_name, child.upn) == ("Amelia", "Testcase",
                                                               "A860999123456")
    assert row.child_id == child.pk


def test_a_child_new_to_the_index_without_a_birth_date_stays_unlinked(staffs, tmp_path):
    columns = [k for k in list_columns(3) if k not in ("birth_date", "age")]
    path = write_workbook(tmp_path / "nodob.xlsx", {"Referrals": (headings(3, columns), [
        list_row(3, columns)])})
    record = load(staffs, path)
    assert record.status == ImportStatus.LOADED
    assert AnnexARow.objects.get().child is None and not Child.objects.exists()
    assert record.counts["index"]["not_linked_no_birth_date"] == 1


def _bad_referrals(tmp_path):
    columns = list_columns(3)
    rows = [
        list_row(3, columns),
        list_row(3, columns, child_id="T000002", referral_date="31/02/2022"),
        list_row(3, columns, child_id="T000003", referral_source="Martians"),
        list_row(3, columns, child_id=None),
        list_row(3, columns),  # the first row again
    ]
    cp_columns = list_columns(7) + ["cpp_end"]
    cp_heads = headings(7, cp_columns)
    cp_rows = [list_row(7, cp_columns, child_id="T000009", cpp_end=dt.datetime(2021, 12, 1))]
    return write_workbook(tmp_path / "bad.xlsx", {"List 3": (headings(3, columns), rows),
                                                  "CP": (cp_heads, cp_rows)})


def test_errors_load_nothing_and_each_names_file_sheet_row_child_field_and_rule(staffs,
                                                                                 tmp_path):
    record = load(staffs, _bad_referrals(tmp_path))
    assert record.status == ImportStatus.FAILED and "Nothing was loaded" in record.summary
    assert not AnnexAReturn.objects.exists() and not AnnexARow.objects.exists()
    assert not Child.objects.exists()
    found = {(p.file_name, p.row, p.child, p.field, p.rule)
             for p in record.problems.filter(severity="error")}
    sheet3, cp = "bad.xlsx, sheet List 3", "bad.xlsx, sheet CP"
    assert found == {
        (sheet3, 3, "T000002", "Date of referral", "AA-DATE"),
        (sheet3, 4, "T000003", "Referral Source", "AA-CODE"),
        (sheet3, 5, "", "Child Unique ID", "AA-REQUIRED"),
        (sheet3, 6, "T000001", "Child Unique ID", "AA-DUPLICATE"),
        (cp, 2, "T000009", "Child Protection Plan End Date", "AA-DATE-ORDER"),
    }
    messages = {p.rule: p.message for p in record.problems.all()}
    assert messages["AA-DATE"] == ("Date of referral '31/02/2022' is not a date (use a date "
                                   "cell, or text such as 31/03/2022)")
    assert messages["AA-DUPLICATE"].startswith("This row repeats row 2 of the same list")
    assert "is before Child Protection Plan Start Date" in messages["AA-DATE-ORDER"]
    # The lists not in the workbook are queries, which do not stop a load.
    assert record.problems.filter(rule="AA-LIST-MISSING", severity="query").count() == 9


def test_a_missing_required_column_is_an_error(staffs, tmp_path):
    columns = [k for k in list_columns(3) if k != "referral_date"]
    path = write_workbook(tmp_path / "nodate.xlsx", {"List 3": (headings(3, columns), [
        list_row(3, columns)])})
    record = load(staffs, path)
    assert record.status == ImportStatus.FAILED
    problem = record.problems.get(rule="AA-COLUMN-MISSING")
    assert problem.field == "Date of referral" and problem.row == 1


def test_the_same_list_twice_is_an_error(staffs, tmp_path):
    columns = list_columns(3)
    sheet = (headings(3, columns), [list_row(3, columns)])
    record = load(staffs, write_workbook(tmp_path / "twice.xlsx", {"List 3": sheet,
                                                                   "Referrals": sheet}))
    assert record.status == ImportStatus.FAILED
    assert record.problems.filter(rule="AA-LIST-TWICE").exists()


def test_a_file_that_is_not_a_workbook_is_refused(staffs, tmp_path):
    path = tmp_path / "fake.xlsx"
    path.write_text("child,date\n1,2022-01-01\n")
    record = load(staffs, path)
    assert record.status == ImportStatus.REFUSED and "not an Excel workbook" in record.summary


def test_a_workbook_with_no_lists_is_an_error(staffs, tmp_path):
    record = load(staffs, write_workbook(tmp_path / "none.xlsx",
                                         {"Notes": (["Comment"], [["hello"]])}))
    assert record.status == ImportStatus.FAILED
    assert record.problems.filter(rule="AA-FILE-EMPTY").exists()
    assert record.problems.filter(rule="AA-SHEET-UNKNOWN", severity="query").exists()


def test_excel_serial_and_text_dates_load_as_dates(staffs, tmp_path):
    columns = list_columns(3)
    path = write_workbook(tmp_path / "dates.xlsx", {"List 3": (headings(3, columns), [
        list_row(3, columns, child_id="A1", referral_date=44566),
        list_row(3, columns, child_id="A2", referral_date="06/01/2022"),
        list_row(3, columns, child_id="A3", referral_date=dt.datetime(2022, 1, 7)),
    ])})
    assert load(staffs, path).status == ImportStatus.LOADED
    assert dict(AnnexARow.objects.values_list("subject_id", "start_date")) == {
        "A1": dt.date(2022, 1, 5), "A2": dt.date(2022, 1, 6), "A3": dt.date(2022, 1, 7)}


def test_check_only_loads_nothing(staffs, tmp_path):
    record = load(staffs, one_list_workbook(tmp_path / "c.xlsx", 1), check_only=True)
    assert record.status == ImportStatus.CHECKED and not AnnexARow.objects.exists()


def test_the_same_file_twice_changes_nothing(staffs, tmp_path):
    path = write_annex_a(tmp_path / "annex.xlsx", la_code="860", children=25, seed=4).path
    first = load(staffs, path)
    rows = AnnexARow.objects.count()
    again = load(staffs, path)
    assert again.status == ImportStatus.UNCHANGED and f"import {first.pk}" in again.summary
    assert AnnexARow.objects.count() == rows and AnnexAReturn.objects.count() == 1


def test_a_newer_workbook_replaces_the_older_and_records_what_changed(staffs, tmp_path):
    old = write_annex_a(tmp_path / "old.xlsx", la_code="860", children=30, seed=4,
                        lists=[1, 3])
    load(staffs, old.path)
    columns = list_columns(3)
    newer = write_workbook(tmp_path / "new.xlsx", {"List 3": (headings(3, columns), [
        list_row(3, columns, child_id="NEW1")])})
    record = load(staffs, newer)
    assert record.status == ImportStatus.LOADED and record.replaced is not None
    first, second = AnnexAReturn.objects.order_by("pk")
    assert first.status == ReturnStatus.SUPERSEDED and first.superseded_by == second
    assert second.status == ReturnStatus.CURRENT
    assert second.changes["3"] == {"added": 1, "changed": 0, "removed": old.counts[3],
                                   "unchanged": 0}
    assert second.changes["1"]["removed"] == old.counts[1]
    assert f"{old.counts[1] + old.counts[3]:,} removed" in record.summary
    assert AnnexARow.objects.filter(annex_return=first).count() == old.counts[1] + old.counts[3]


def test_the_same_rows_in_a_new_file_are_unchanged(staffs, tmp_path):
    path = one_list_workbook(tmp_path / "a.xlsx", 3)
    load(staffs, path)
    columns = list_columns(3)
    # The same row, worded differently: text date, code label, a synonym heading.
    heads = headings(3, columns)
    heads[columns.index("referral_date")] = "Referral Date"
    again = write_workbook(tmp_path / "b.xlsx", {"Referrals": (heads, [
        list_row(3, columns, referral_date="10/01/2022", referral_source="2A")])})
    load(staffs, again)
    assert AnnexAReturn.objects.get(status="current").changes["3"] == {
        "added": 0, "changed": 0, "removed": 0, "unchanged": 1}


def test_the_la_comes_from_the_import_when_the_partnership_covers_several(db, tmp_path):
    both = core_services.partnership_add(
        actor=None, code="PAIR", name="Two LAs", local_authorities=[
            ("860", "E10000028", "Staffordshire"), ("861", "E06000021", "Stoke-on-Trent")])
    path = one_list_workbook(tmp_path / "a.xlsx", 1)
    refused = load(both, path)
    assert refused.status == ImportStatus.REFUSED and "--la" in refused.summary
    la = both.local_authorities.get(old_code="861")
    loaded = load(both, path, local_authority=la)
    assert loaded.status == ImportStatus.LOADED
    assert AnnexAReturn.objects.get().local_authority == la


def test_the_summary_compares_with_the_census_and_says_why_when_it_cannot(staffs, census,
                                                                         tmp_path):
    written = write_annex_a(tmp_path / "annex.xlsx", la_code="860", children=40, seed=5)
    load(staffs, written.path)
    annex = AnnexAReturn.objects.get()
    rows = {row.number: row for row in annex_a_summary(annex=annex)}
    assert rows[3].census is None and "No CIN census" in rows[3].note
    assert rows[1].census is None and "no equivalent" in rows[1].note
    services.import_file(actor=None, partnership=staffs, kind="cin-census",
                         path=census(year=2022, children=40, seed=5))
    rows = {row.number: row for row in annex_a_summary(annex=annex)}
    for number in (3, 4, 5, 6, 7):  # the synthetic workbook agrees with its census
        assert rows[number].census == rows[number].rows == written.counts[number]
        assert rows[number].difference == 0


@pytest.mark.parametrize("period_end, reason", [(dt.date(2023, 3, 31), "not the whole")])
def test_a_period_beyond_the_census_has_no_census_figure(staffs, census, tmp_path, period_end,
                                                         reason):
    services.import_file(actor=None, partnership=staffs, kind="cin-census",
                         path=census(year=2022, children=20, seed=5))
    written = write_annex_a(tmp_path / "later.xlsx", la_code="860", children=20, seed=5,
                            period_end=period_end)
    load(staffs, written.path)
    rows = annex_a_summary(annex=AnnexAReturn.objects.get())
    assert all(row.census is None for row in rows)
    assert reason in rows[2].note


def test_an_empty_sheet_is_a_query_and_a_named_sheet_without_headings_an_error(staffs,
                                                                               tmp_path):
    columns = list_columns(1)
    path = write_workbook(tmp_path / "odd.xlsx", {
        "List 1": (headings(1, columns), [list_row(1, columns)]),
        "Sheet2": ([], []),
        "List 3": (["Notes"], [["to follow"]]),
    })
    record = load(staffs, path)
    assert record.status == ImportStatus.FAILED
    assert record.problems.get(rule="AA-SHEET-EMPTY").severity == "query"
    problem = record.problems.get(rule="AA-SHEET-NO-HEADER")
    assert problem.file_name == "odd.xlsx, sheet List 3" and "list 3 (Referrals)" in problem.message


def _with_doctype(source, target, part: str):
    """Copy a workbook, putting a DOCTYPE (with an entity) in one of its XML parts."""
    import zipfile

    with zipfile.ZipFile(source) as old, zipfile.ZipFile(target, "w") as new:
        for item in old.infolist():
            data = old.read(item)
            if item.filename == part:
                head, rest = data.split(b"?>", 1) if data.startswith(b"<?xml") else (
                    b"", data)
                head += b"?>" if head else b""
                data = head + b'<!DOCTYPE x [<!ENTITY e "boom">]>' + rest
            new.writestr(item, data)
    return target


@pytest.mark.parametrize("part", ["xl/workbook.xml", "xl/worksheets/sheet1.xml"])
def test_a_workbook_with_a_doctype_is_refused_by_name(staffs, tmp_path, part):
    written = write_annex_a(tmp_path / "annex.xlsx", la_code="860", children=5, seed=3)
    path = _with_doctype(written.path, tmp_path / "doctype.xlsx", part)
    record = load(staffs, path)
    assert record.status == ImportStatus.REFUSED
    (problem,) = record.problems.filter(severity="error")
    assert (problem.file_name, problem.rule) == ("doctype.xlsx", "AA-FILE-DOCTYPE")
    assert "DOCTYPE" in problem.message and "Save it again from Excel" in problem.message
    assert "damaged" not in problem.message
