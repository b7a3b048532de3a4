"""Loading SSDA903 returns: tables by headers, all or nothing, idempotent, replace, merge, ZIPs."""

from __future__ import annotations

import zipfile

import pytest

from safeguarding.children.models import Child
from safeguarding.core import services as core_services
from safeguarding.core.models import AuditEvent
from safeguarding.datasets import services
from safeguarding.datasets.models import (
    ClaAdoption,
    ClaCareLeaver,
    ClaChild,
    ClaEpisode,
    ClaMissingEpisode,
    ClaOutcome,
    ClaPlacedForAdoption,
    ClaPreviousPermanence,
    ClaReturn,
    ClaReturnChild,
    ClaReview,
    DatasetImport,
    ImportKind,
    ImportStatus,
    ReturnStatus,
)
from safeguarding.datasets.synthetic.ssda903 import COLUMNS
from safeguarding.datasets.validation.ssda903 import recognise
from safeguarding.datasets.validation.ssda903_spec import tables

SSDA903 = ImportKind.SSDA903
DATA_MODELS = (ClaReturn, ClaReturnChild, ClaChild, ClaEpisode, ClaReview, ClaMissingEpisode,
               ClaOutcome, ClaCareLeaver, ClaAdoption, ClaPlacedForAdoption,
               ClaPreviousPermanence, Child)
HEADER = {"CHILD": "A1", "SEX": "1", "DOB": "01/06/2012", "ETHNIC": "WBRI", "UPN": "UN2"}
EPISODE = {"CHILD": "A1", "DECOM": "01/05/2020", "RNE": "S", "LS": "C1", "CIN": "N1",
           "PLACE": "U6", "PLACE_PROVIDER": "PR1"}


def load(partnership, paths, **options) -> DatasetImport:
    return services.import_files(actor=None, partnership=partnership, kind=SSDA903,
                                 paths=paths, **options)


def snapshot() -> dict:
    return {model.__name__: model.objects.count() for model in DATA_MODELS}


def problems(record) -> list[tuple]:
    return [(p.file_name, p.row, p.child, p.field, p.rule)
            for p in record.problems.filter(severity="error")]


@pytest.mark.parametrize("table", [name for name in COLUMNS])
def test_each_table_is_recognised_by_its_columns_in_any_order(table):
    assert recognise(list(reversed(COLUMNS[table]))).name == table
    assert set(COLUMNS[table]) == {name for name, column in tables()[table].columns.items()
                                   if not column.optional}


def test_a_file_that_is_no_903_table_is_named(staffs, tables_903):
    paths = tables_903({"header": [HEADER], "episodes": [EPISODE]})
    stray = paths[0].parent / "notes.csv"
    stray.write_text("NAME,COMMENT\nx,y\n")
    record = load(staffs, [*paths, stray])
    assert record.status == ImportStatus.FAILED
    assert ("notes.csv", 1, "", "", "SCP903-TABLE-UNKNOWN") in problems(record)
    assert ClaReturn.objects.count() == 0


def test_a_synthetic_return_loads_every_table(staffs, ssda903):
    paths = ssda903(children=300)
    written = ssda903.written
    record = load(staffs, paths)
    assert record.status == ImportStatus.LOADED, (record.summary, problems(record)[:5])
    assert record.local_authority.old_code == "860" and record.period == "2020/21"
    assert record.file_name.startswith("ssda903_860_2021_header.csv, ")
    # 2020/21: every table but the social worker table, part of the return from 2023/24.
    assert ClaReturn.objects.get().tables == [name for name in COLUMNS
                                              if name != "social_worker"]
    assert ClaChild.objects.count() == written.children == record.counts["children"]
    assert ClaEpisode.objects.count() == written.rows["episodes"]
    assert ClaReview.objects.count() == written.rows["reviews"]
    assert ClaMissingEpisode.objects.count() == written.rows["missing"]
    assert ClaOutcome.objects.count() == written.rows["oc2"]
    assert ClaPreviousPermanence.objects.count() == written.rows["prev_perm"]
    assert DatasetImport.objects.count() == 1  # every table: one import
    assert AuditEvent.objects.filter(object_type="datasets.datasetimport",
                                     object_id=str(record.pk)).count() == 1
    child = ClaChild.objects.select_related("child").first()
    assert child.child.la_child_id == child.la_child_id and child.pseudonym == child.child.pseudonym


def test_903_children_link_to_census_children_by_la_child_id(staffs, ssda903, census):
    cin_path = census(year=2021, children=300, seed=7, id_prefix="S")
    services.import_file(actor=None, partnership=staffs, kind=ImportKind.CIN_CENSUS,
                         path=cin_path)
    before = Child.objects.count()
    record = load(staffs, ssda903(children=300, seed=7))
    assert record.status == ImportStatus.LOADED
    cin_ids = set(Child.objects.values_list("la_child_id", flat=True)[:before])
    linked = set(ClaChild.objects.values_list("la_child_id", flat=True)) & cin_ids
    assert linked and record.counts["index"]["matched"] >= len(linked)
    assert Child.objects.count() == before + record.counts["index"].get("created", 0)


def test_a_return_with_errors_loads_nothing_and_names_file_row_child_field_rule(staffs,
                                                                                tables_903):
    paths = tables_903({
        "header": [HEADER, {**HEADER, "CHILD": "B2", "SEX": "3"}],
        "episodes": [EPISODE, {**EPISODE, "DECOM": "01/04/2020", "DEC": "01/03/2020",
                               "REC": "E4A"},
                     {**EPISODE, "CHILD": "C3"}, {**EPISODE, "DECOM": "01/05/2020"}],
        "reviews": [{"CHILD": "A1", "DOB": "02/06/2012", "REVIEW": "01/06/2020",
                     "REVIEW_CODE": "PN1"}],
    })
    before = snapshot()
    record = load(staffs, paths)
    assert record.status == ImportStatus.FAILED and snapshot() == before
    found = problems(record)
    assert ("header.csv", 3, "B2", "SEX", "SCP903-CODE") in found
    assert ("episodes.csv", 3, "A1", "DEC", "SCP903-DEC-BEFORE-DECOM") in found
    assert ("episodes.csv", 4, "C3", "CHILD", "SCP903-CHILD-NOT-IN-HEADER") in found
    assert ("episodes.csv", 5, "A1", "DECOM", "SCP903-DUPLICATE") in found
    assert ("reviews.csv", 2, "A1", "DOB", "SCP903-DOB-MISMATCH") in found
    duplicate = record.problems.get(rule="SCP903-DUPLICATE")
    assert "first on row 2" in duplicate.message


def test_decom_before_birth_and_dec_without_rec_are_errors(staffs, tables_903):
    paths = tables_903({"header": [HEADER], "episodes": [
        {**EPISODE, "DECOM": "01/05/2011"}, {**EPISODE, "DECOM": "01/06/2020", "DEC": "02/06/2020"}]})
    found = problems(load(staffs, paths))
    assert ("episodes.csv", 2, "A1", "DECOM", "SCP903-DECOM-BEFORE-DOB") in found
    assert ("episodes.csv", 3, "A1", "REC", "SCP903-DEC-REC") in found


def test_missing_and_unknown_columns_are_reported(staffs, tables_903):
    columns = {"episodes": [c for c in COLUMNS["episodes"] if c != "PLACE"] + ["NOTES"]}
    paths = tables_903({"header": [HEADER], "episodes": [EPISODE]}, columns=columns)
    record = load(staffs, paths)
    assert ("episodes.csv", 1, "", "PLACE", "SCP903-COLUMN-MISSING") in problems(record)
    query = record.problems.get(rule="SCP903-COLUMN-UNKNOWN")
    assert query.field == "NOTES" and query.severity == "query"


def test_the_header_table_is_required(staffs, tables_903):
    record = load(staffs, tables_903({"episodes": [EPISODE]}))
    assert record.status == ImportStatus.FAILED
    assert record.problems.get().rule == "SCP903-HEADER-TABLE-MISSING"


def test_the_year_is_inferred_from_the_latest_event_or_given(staffs, tables_903):
    paths = tables_903({"header": [HEADER], "episodes": [
        {**EPISODE, "DEC": "31/03/2021", "REC": "E4A"}]})
    assert load(staffs, paths, check_only=True).period == "2020/21"
    later = tables_903({"header": [HEADER], "episodes": [
        {**EPISODE, "DEC": "01/04/2021", "REC": "E4A"}]}, folder="later")
    assert load(staffs, later, check_only=True).period == "2021/22"
    given = load(staffs, later, year=2021)
    assert given.status == ImportStatus.FAILED
    # This service's own check, and DfE's rule 385 (DEC after the year's 31 March).
    assert problems(given) == [("episodes.csv", 2, "A1", "DEC", "SCP903-AFTER-YEAR-END"),
                               ("episodes.csv", 2, "A1", "DEC", "385")]


def test_reimporting_the_same_return_changes_nothing_even_zipped(staffs, ssda903):
    paths = ssda903(children=200)
    first = load(staffs, paths)
    after_first = snapshot()
    again = load(staffs, paths)
    assert again.status == ImportStatus.UNCHANGED and snapshot() == after_first
    assert again.sha256 == first.sha256
    zipped = ssda903(children=200, as_zip=True)
    as_zip = load(staffs, zipped)
    assert as_zip.status == ImportStatus.UNCHANGED and snapshot() == after_first


def test_a_newer_return_for_the_same_year_replaces_the_older_and_records_changes(
        staffs, tables_903):
    older = tables_903({"header": [HEADER, {**HEADER, "CHILD": "B2"}],
                        "episodes": [EPISODE, {**EPISODE, "CHILD": "B2"}]}, folder="v1")
    first = load(staffs, older)
    newer = tables_903({"header": [HEADER, {**HEADER, "CHILD": "C3"}],
                        "episodes": [{**EPISODE, "DEC": "01/02/2021", "REC": "E4A"},
                                     {**EPISODE, "CHILD": "C3"}]}, folder="v2")
    second = load(staffs, newer)
    assert second.status == ImportStatus.LOADED and second.replaced == first
    assert second.counts["replaced"] == {"import": first.pk, "children_added": 1,
                                         "children_changed": 1, "children_removed": 1,
                                         "episodes_added": 1, "episodes_changed": 1,
                                         "episodes_removed": 1}
    assert "1 children added, 1 changed and 1 removed" in second.summary
    old, new = ClaReturn.objects.order_by("pk")
    assert old.status == ReturnStatus.SUPERSEDED and old.superseded_by == new
    assert sorted(ClaChild.objects.values_list("la_child_id", flat=True)) == ["A1", "C3"]
    assert str(ClaEpisode.objects.get(la_child_id="A1").end_date) == "2021-02-01"


def test_overlapping_years_merge_latest_return_winning(staffs, tables_903):
    load(staffs, tables_903({"header": [HEADER], "episodes": [EPISODE], "reviews": [
        {"CHILD": "A1", "DOB": HEADER["DOB"], "REVIEW": "01/06/2020", "REVIEW_CODE": "PN1"}]},
        folder="y2021"))
    load(staffs, tables_903({"header": [{**HEADER, "UPN": "A123456789012"}], "episodes": [
        {**EPISODE, "DEC": "01/07/2021", "REC": "X1", "REASON_PLACE_CHANGE": "CARPL"},
        {**EPISODE, "DECOM": "01/07/2021", "RNE": "P", "PLACE": "U4"}]}, folder="y2022"))
    assert ClaReturn.objects.filter(status=ReturnStatus.CURRENT).count() == 2
    episodes = list(ClaEpisode.objects.order_by("start_date"))
    assert [(str(e.start_date), e.collection_year) for e in episodes] == [
        ("2020-05-01", 2022), ("2021-07-01", 2022)]
    assert episodes[0].reason_ceased == "X1"
    child = ClaChild.objects.get()
    assert (child.upn, child.first_year, child.last_year) == ("A123456789012", 2021, 2022)
    assert ClaReview.objects.get().collection_year == 2021  # kept from the year that had it


def test_a_return_is_checked_against_the_las_return_for_the_year_before(staffs, tables_903):
    """DfE 202, 503B: last year's return as loaded; no rule of the kind without one."""
    this_year = {"header": [{**HEADER, "SEX": "2", "MOTHER": "0"}], "episodes": [
        {**EPISODE, "LS": "C2", "DEC": "01/07/2021", "REC": "X1", "REASON_PLACE_CHANGE": "CARPL"},
        {**EPISODE, "DECOM": "01/07/2021", "RNE": "P", "LS": "C2", "PLACE": "U4"}]}
    alone = load(staffs, tables_903(this_year, folder="alone"), check_only=True)
    assert alone.status == ImportStatus.CHECKED and not problems(alone)
    load(staffs, tables_903({"header": [HEADER], "episodes": [EPISODE]}, folder="y2021"))
    before = snapshot()
    record = load(staffs, tables_903(this_year, folder="y2022"))
    assert record.status == ImportStatus.FAILED and snapshot() == before
    assert {(p.file_name, p.row, p.child, p.field, p.rule) for p in
            record.problems.filter(rule__in=("202", "503B"))} == {
        ("header.csv", 2, "A1", "SEX", "202"), ("episodes.csv", 2, "A1", "LS", "503B")}


def test_a_zip_is_read_and_its_other_members_skipped(staffs, ssda903):
    (archive,) = ssda903(children=150, as_zip=True)
    with zipfile.ZipFile(archive, "a") as out:
        out.writestr("readme.txt", "hello")
    record = load(staffs, [archive])
    assert record.status == ImportStatus.LOADED, problems(record)
    skipped = record.problems.get(rule="SCP903-ZIP-NOT-CSV")
    assert skipped.severity == "query" and skipped.file_name.endswith("/readme.txt")


@pytest.mark.parametrize("member", ["../header.csv", "/etc/header.csv", "a/../../header.csv",
                                    "C:\\header.csv"])
def test_a_zip_with_a_path_leaving_its_folder_is_refused(staffs, tmp_path, member):
    archive = tmp_path / "bad.zip"
    with zipfile.ZipFile(archive, "w") as out:
        out.writestr(member, ",".join(COLUMNS["header"]) + "\n")
    record = load(staffs, [archive])
    assert record.status == ImportStatus.REFUSED
    assert record.problems.get().rule == "SCP903-ZIP-UNSAFE"


def test_a_zip_bomb_is_refused_at_the_limit(staffs, tmp_path, settings):
    settings.DATASETS_MAX_UNZIPPED_BYTES = 1_000_000
    archive = tmp_path / "bomb.zip"
    with zipfile.ZipFile(archive, "w", compression=zipfile.ZIP_DEFLATED) as out:
        out.writestr("header.csv", "CHILD,SEX\n" + "0" * 5_000_000)
    assert archive.stat().st_size < 50_000
    record = load(staffs, [archive])
    assert record.status == ImportStatus.REFUSED
    assert record.problems.get().rule == "SCP903-ZIP-TOO-BIG"


def test_a_zip_that_is_not_a_zip_is_refused(staffs, tmp_path):
    archive = tmp_path / "broken.zip"
    archive.write_bytes(b"PK\x03\x04 not really")
    record = load(staffs, [archive])
    assert record.status == ImportStatus.REFUSED
    assert record.problems.get().rule == "SCP903-ZIP-BAD"


def test_a_partnership_of_several_las_needs_the_la(db, tables_903):
    both = core_services.partnership_add(
        actor=None, code="JOINT", name="Joint partnership",
        local_authorities=[("860", "E10000028", "Staffordshire"),
                           ("861", "E06000021", "Stoke-on-Trent")])
    paths = tables_903({"header": [HEADER], "episodes": [EPISODE]})
    refused = load(both, paths)
    assert refused.status == ImportStatus.REFUSED
    assert "--la" in refused.problems.get().message
    stoke = both.local_authorities.get(old_code="861")
    loaded = load(both, paths, local_authority=stoke)
    assert loaded.status == ImportStatus.LOADED and loaded.local_authority == stoke
    assert load(both, paths, local_authority=stoke).status == ImportStatus.UNCHANGED
    staffs_la = both.local_authorities.get(old_code="860")
    other = load(both, paths, local_authority=staffs_la)  # the same tables, another LA's return
    assert other.status == ImportStatus.LOADED
    assert sorted(ClaChild.objects.values_list("local_authority__old_code", flat=True)) == [
        "860", "861"]
