"""Agency CSV templates: each loads, bad rows are named, loads are idempotent, re-sends merge,
and the children are linked to the child index, uncertain ones through the review queue."""

from __future__ import annotations

import csv
import datetime as dt
import io
from pathlib import Path

import pytest
from django.core.management import call_command
from django.core.management.base import CommandError

from safeguarding.children.models import Child, LinkCandidate, SourceRecord
from safeguarding.core import services as core_services
from safeguarding.core.models import Agency, AgencyKind
from safeguarding.datasets import services, template_docs
from safeguarding.datasets.loader import TEMPLATE_KINDS
from safeguarding.datasets.models import (
    RECORD_MODELS,
    AgencyExtract,
    DatasetProblem,
    ImportStatus,
    MissingEpisode,
)
from safeguarding.datasets.synthetic.agency import synthetic_people, write_extract, write_extracts
from safeguarding.datasets.validation.templates import template_kinds, template_spec
from tests.support import make_child

pytestmark = pytest.mark.django_db
DOCS = template_docs.DOCS_DIR
MISSING_HEADER = ("person_id,episode_id,missing_from,returned_at,category,looked_after,"
                  "interview_offered_at,interview_outcome,interview_completed_at,nhs_number,"
                  "first_name,last_name,date_of_birth,sex,postcode")


def write(tmp_path: Path, lines: list[str], name: str = "missing.csv") -> Path:
    path = tmp_path / name
    path.write_text("\n".join(lines) + "\n", encoding="utf-8")
    return path


def load(partnership, path, *, kind="missing-episodes", period="2020-21", **options):
    return services.import_file(actor=None, partnership=partnership, kind=kind, path=path,
                                period=period, **options)


def problems(record) -> list[tuple]:
    return list(DatasetProblem.objects.filter(dataset_import=record)
                .values_list("row", "field", "rule"))


def test_every_agency_import_kind_has_a_spec_and_a_loader():
    assert sorted(TEMPLATE_KINDS) == template_kinds()
    for kind in TEMPLATE_KINDS:
        spec = template_spec(kind)
        assert "person_id" in spec.column_names and spec.record_key
        assert all(spec.code_lists[c.code_list].source for c in spec.columns if c.code_list)


@pytest.mark.parametrize("kind", sorted(TEMPLATE_KINDS))
def test_each_documented_example_file_loads(staffs, kind):
    record = load(staffs, DOCS / f"{kind}.csv", kind=kind)
    assert record.status == ImportStatus.LOADED, problems(record)
    rows = sum(1 for _ in csv.reader(io.StringIO((DOCS / f"{kind}.csv").read_text()))) - 1
    assert rows > 0
    assert RECORD_MODELS[kind].objects.count() == rows == record.counts["rows"]
    assert AgencyExtract.objects.get().period == "2020-21"


def test_the_documentation_matches_the_specs():
    assert template_docs.differences() == [], "run: safeguarding template_docs"


def test_bad_rows_are_named_and_nothing_is_loaded(staffs, tmp_path):
    path = write(tmp_path, [
        MISSING_HEADER,
        "P1,E1,2020-05-01 10:00,2020-05-02 09:00,M,Y,,,,,Ann,Smith,2010-01-02,2,ST16 2LP",
        "P2,E2,2020-05-01,2020-05-02 09:00,M,Y,,,,,Ben,Jones,2010-01-02,1,ST16 2LP",
        "P3,E3,2020-05-01 10:00,2020-04-30 09:00,M,Y,,,,,Cal,Hart,2010-01-02,1,ST16 2LP",
        "P4,E4,2020-05-01 10:00,,X,Y,,,,9990000000,Dee,Lowe,2010-01-02,2,ST16 2LP",
        "P5,E5,2019-05-01 10:00,2019-05-02 10:00,M,N,,,,,Eve,Wood,2010-01-02,2,ST16 2LP",
        "P6,E1,2020-06-01 10:00,,M,N,,,,,Fay,Hill,2010-01-02,2,ST16 2LP",
        "P7,E7,2020-06-01 10:00,2020-06-02 10:00,M,N,2020-06-02 12:00,,,,Gus,Ray,2010-01-02,1,",
        "P8,E8,2020-06-01 10:00,,M,N,,,,,,,,,",
    ])
    record = load(staffs, path)
    assert record.status == ImportStatus.FAILED
    assert "Nothing was loaded" in record.summary
    found = problems(record)
    assert (3, "missing_from", "SCP-TPL-DATETIME") in found
    assert (4, "returned_at", "SCP-TPL-DATE-ORDER") in found
    assert (5, "category", "SCP-TPL-CODE") in found
    assert (5, "nhs_number", "SCP-TPL-NHS") in found
    assert (6, "missing_from", "SCP-TPL-OUTSIDE-PERIOD") in found
    assert (7, "episode_id", "SCP-TPL-DUPLICATE-KEY") in found
    assert (8, "interview_outcome", "SCP-TPL-REQUIRED-IF") in found
    assert (9, "nhs_number", "SCP-TPL-IDENTITY") in found
    assert not any(row == 2 for row, *_ in found)
    problem = DatasetProblem.objects.get(dataset_import=record, rule="SCP-TPL-DUPLICATE-KEY")
    assert problem.child == "P6" and problem.file_name == "missing.csv"
    assert "row 2" in problem.message
    assert not MissingEpisode.objects.exists() and not AgencyExtract.objects.exists()
    assert not SourceRecord.objects.exists()


def test_a_missing_required_column_is_named_from_the_header(staffs, tmp_path):
    path = write(tmp_path, ["person_id,episode_id,returned_at,category,looked_after,extra",
                            "P1,E1,2020-05-02 09:00,M,Y,zzz"])
    record = load(staffs, path)
    assert record.status == ImportStatus.FAILED
    found = problems(record)
    assert (1, "missing_from", "SCP-TPL-COLUMN-MISSING") in found
    assert (1, "extra", "SCP-TPL-COLUMN-UNKNOWN") in found  # a query, named all the same


def test_an_extract_must_state_its_period(staffs, tmp_path):
    path = write(tmp_path, [MISSING_HEADER])
    assert load(staffs, path, period="").status == ImportStatus.REFUSED
    assert load(staffs, path, period="2020").status == ImportStatus.REFUSED
    with pytest.raises(CommandError) as raised:
        call_command("import", "missing-episodes", str(path), "--partnership", "STAFFS")
    assert raised.value.returncode == 2


def test_a_header_only_extract_records_coverage_with_no_rows(staffs, tmp_path):
    record = load(staffs, write(tmp_path, [MISSING_HEADER]), period="2020-Q2")
    assert record.status == ImportStatus.LOADED
    extract = AgencyExtract.objects.get()
    assert (extract.period_start, extract.period_end) == (dt.date(2020, 7, 1),
                                                          dt.date(2020, 9, 30))
    assert extract.la_codes == ["860"] and extract.rows == 0


def test_the_same_file_again_changes_nothing(staffs, tmp_path):
    path = tmp_path / "police.csv"
    write_extract(path, "police-da-incidents", synthetic_people(200, seed=4), seed=4,
                  period_start=dt.date(2020, 4, 1), period_end=dt.date(2021, 3, 31))
    first = load(staffs, path, kind="police-da-incidents")
    rows = RECORD_MODELS["police-da-incidents"].objects.count()
    second = load(staffs, path, kind="police-da-incidents")
    assert first.status == ImportStatus.LOADED and rows > 0
    assert second.status == ImportStatus.UNCHANGED and "already loaded" in second.summary
    assert RECORD_MODELS["police-da-incidents"].objects.count() == rows
    assert AgencyExtract.objects.count() == 1
    assert first.agency.kind == AgencyKind.POLICE


def test_a_resent_extract_merges_by_record_key_latest_wins(staffs, tmp_path):
    row = "{p},{e},2020-05-01 10:00,{back},M,Y,,,,,Ann,Smith,2010-01-02,2,ST16 2LP"
    first = load(staffs, write(tmp_path, [
        MISSING_HEADER, row.format(p="P1", e="E1", back=""),
        row.format(p="P2", e="E2", back="2020-05-01 18:00"),
        row.format(p="P3", e="E3", back="2020-05-01 18:00")], "first.csv"))
    assert first.status == ImportStatus.LOADED
    again = load(staffs, write(tmp_path, [
        MISSING_HEADER, row.format(p="P1", e="E1", back="2020-05-02 09:30"),
        row.format(p="P2", e="E2", back="2020-05-01 18:00"),
        row.format(p="P4", e="E4", back="")], "again.csv"))
    assert again.status == ImportStatus.LOADED
    assert again.counts["records"] == {"added": 1, "changed": 1, "unchanged": 1}
    assert "1 records added, 1 changed and 1 unchanged" in again.summary
    episodes = {e.episode_id: e for e in MissingEpisode.objects.all()}
    assert set(episodes) == {"E1", "E2", "E3", "E4"}  # E3, not re-sent, is kept
    # The changed record is written in place with the re-sent time (BST: 08:30 UTC).
    assert episodes["E1"].returned_at == dt.datetime(2020, 5, 2, 8, 30, tzinfo=dt.UTC)
    assert episodes["E1"].local_authority == episodes["E2"].local_authority
    assert episodes["E1"].extract.dataset_import == again
    assert episodes["E3"].extract.dataset_import == first
    extract = AgencyExtract.objects.get(dataset_import=again)
    assert extract.changes["added"] == ["E4"]
    assert extract.changes["changed"] == [{"key": "E1", "fields": ["returned_at"]}]


def test_the_import_page_lists_the_records_a_resent_extract_changed(client_for, tmp_path):
    from django.urls import reverse

    from safeguarding.core.models import Partnership

    staffs = Partnership.objects.get(code="STAFFS")
    row = "P1,E1,2020-05-01 10:00,{back},M,Y,,,,,Ann,Smith,2010-01-02,2,ST16 2LP"
    load(staffs, write(tmp_path, [MISSING_HEADER, row.format(back="")], "one.csv"))
    again = load(staffs, write(tmp_path, [MISSING_HEADER, row.format(back="2020-05-02 10:00")],
                               "two.csv"))
    page = client_for("business.staffs").get(reverse("datasets:import-detail",
                                                     args=[again.pk])).content.decode()
    assert "Records this extract changed" in page
    assert "returned_at" in page and "Records changed" in page


def test_the_agency_must_be_named_when_two_could_have_sent_it(staffs, tmp_path):
    core_services.agency_add(actor=None, name="Family Hub Trust", kind=AgencyKind.VOLUNTARY,
                             partnerships=[staffs])
    other_la = core_services.agency_add(actor=None, name="Second LA Service",
                                        kind=AgencyKind.LA_CHILDRENS_SERVICES,
                                        partnerships=[staffs])
    path = DOCS / "early-help.csv"
    refused = load(staffs, path, kind="early-help")
    assert refused.status == ImportStatus.REFUSED and "more than one" in refused.summary
    police = Agency.objects.get(kind=AgencyKind.POLICE)
    assert load(staffs, path, kind="early-help", agency=police).status == ImportStatus.REFUSED
    loaded = load(staffs, path, kind="early-help", agency=other_la)
    assert loaded.status == ImportStatus.LOADED and loaded.agency == other_la


def test_identifiers_go_to_source_records_and_link_to_the_child_index(staffs, tmp_path,
                                                                      settings):
    from safeguarding.children.models import Child

    # Scores as for an index of 2,000 children, so the few children here do not
    # make every name agreement look certain.
    settings.LINKAGE = {"residual_match_rate": 0.5 * 42 / 2000}
    for n in range(40):
        make_child(staffs, first_name=["Amelia", "Noah", "Isla", "George"][n % 4],
                   last_name=["Patel", "Nowak", "Okafor", "Hughes", "Reid"][n % 5],
                   date_of_birth=dt.date(2008, 1, 1) + dt.timedelta(days=97 * n),
                   postcode=f"ST{9 + n % 5} {n % 10}ZZ", sex="1" if n % 2 else "2")
    known = make_child(staffs, first_name="Ruby", last_name="Fletcher",
                       date_of_birth=dt.date(2009, 3, 4), nhs_number="9990000018",
                       postcode="ST16 2LP", sex="2")
    oliver = make_child(staffs, first_name="Oliver", last_name="Bennett",
                        date_of_birth=dt.date(2010, 5, 17), postcode="ST1 1AA", sex="1")
    path = write(tmp_path, [
        MISSING_HEADER,
        "P1,E1,2020-05-01 10:00,,M,Y,,,,9990000018,Rubie,Fletcher,2009-03-04,2,ST16 2LP",
        "P2,E2,2020-05-01 10:00,,M,Y,,,,,Oliver,Hargreaves,2010-05-17,1,ST1 9ZZ",
    ])
    record = load(staffs, path)
    assert record.status == ImportStatus.LOADED
    by_key = {s.source_key: s for s in SourceRecord.objects.all()}
    assert by_key["P1"].child == known and by_key["P1"].link_method == "nhs_number"
    assert by_key["P1"].first_name == "Rubie" and by_key["P1"].nhs_number == "9990000018"
    assert by_key["P2"].child is None
    candidate = LinkCandidate.objects.get(source_record=by_key["P2"])
    assert candidate.child == oliver and candidate.status == LinkCandidate.Status.PENDING
    assert record.counts["index"]["linked_nhs_number"] == 1
    assert record.counts["index"]["review_pairs"] == 1
    assert "wait for review" in record.summary
    # The analytics table carries no names or identifiers: a pseudonym and the link.
    episode = MissingEpisode.objects.get(episode_id="E1")
    names = {f.name for f in MissingEpisode._meta.get_fields()}
    assert not names & {"first_name", "last_name", "nhs_number", "date_of_birth", "postcode"}
    assert len(episode.pseudonym) == 32 and episode.source_record == by_key["P1"]
    assert Child.objects.filter(first_name="Rubie").count() == 0  # no child made from a record


def test_a_cell_a_spreadsheet_would_run_is_neutralised_in_the_errors_csv(staffs, tmp_path):
    path = write(tmp_path, [
        MISSING_HEADER,
        "=HYPERLINK(1),E1,2020-05-01 10:00,,Q,Y,,,,,Ann,Smith,2010-01-02,2,ST16 2LP"])
    out = tmp_path / "errors.csv"
    with pytest.raises(CommandError):
        call_command("import", "missing-episodes", str(path), "--partnership", "STAFFS",
                     "--period", "2020-21", "--errors-csv", str(out))
    rows = list(csv.DictReader(out.open()))
    assert rows[0]["child"] == "'=HYPERLINK(1)" and rows[0]["rule"] == "SCP-TPL-CODE"
    assert rows[0]["row"] == "2" and rows[0]["field"] == "category"


def test_the_command_loads_with_period_and_agency(staffs, capsys):
    call_command("import", "police-da-incidents", str(DOCS / "police-da-incidents.csv"),
                 "--partnership", "STAFFS", "--period", "2020-21", "--agency",
                 "Staffordshire Police")
    assert "loaded" in capsys.readouterr().out
    with pytest.raises(CommandError) as raised:
        call_command("import", "police-da-incidents", str(DOCS / "police-da-incidents.csv"),
                     "--partnership", "STAFFS", "--period", "2020-21", "--agency", "Nobody")
    assert raised.value.returncode == 2


def test_the_synthetic_writer_is_deterministic_and_consistent_across_years(staffs, tmp_path):
    people = synthetic_people(300, seed=9)
    year1 = dict(period_start=dt.date(2020, 4, 1), period_end=dt.date(2021, 3, 31))
    year2 = dict(period_start=dt.date(2021, 4, 1), period_end=dt.date(2022, 3, 31))
    a = write_extract(tmp_path / "a.csv", "early-help", people, seed=9, **year1)
    b = write_extract(tmp_path / "b.csv", "early-help", people, seed=9, **year1)
    assert a.rows > 0 and a.path.read_bytes() == b.path.read_bytes()
    other = write_extract(tmp_path / "c.csv", "early-help", people, seed=10, **year1)
    assert other.path.read_bytes() != a.path.read_bytes()
    write_extract(tmp_path / "d.csv", "early-help", people, seed=9, **year2)
    assert load(staffs, a.path, kind="early-help").status == ImportStatus.LOADED
    second = load(staffs, tmp_path / "d.csv", kind="early-help", period="2021-22")
    assert second.status == ImportStatus.LOADED
    # Episodes open at the end of 2020-21 come again in 2021-22, now with their end.
    assert second.counts["records"].get("changed", 0) > 0


def test_the_upload_page_needs_the_period_for_a_template(client_for, django_capture_on_commit_callbacks,
                                                         settings, tmp_path):
    from django.core.files.uploadedfile import SimpleUploadedFile
    from django.urls import reverse

    from safeguarding.core.models import Partnership
    from safeguarding.datasets.models import DatasetImport

    settings.DATASETS_UPLOAD_DIR = str(tmp_path / "uploads")
    client = client_for("business.staffs")
    data = {"partnership": Partnership.objects.get(code="STAFFS").pk, "kind": "mace-referrals"}

    def post(**extra):
        file = SimpleUploadedFile("mace.csv", (DOCS / "mace-referrals.csv").read_bytes())
        with django_capture_on_commit_callbacks(execute=True):
            return client.post(reverse("datasets:import-add"), {**data, "file": file, **extra})

    page = post().content.decode()
    assert "Enter the period the extract covers" in page
    assert not DatasetImport.objects.exists()
    response = post(period="2020-21")
    record = DatasetImport.objects.get()
    assert response.status_code == 302
    assert record.status == ImportStatus.LOADED, record.summary
    assert record.period == "2020-21" and record.agency is not None
    detail = client.get(response["Location"]).content.decode()
    assert "Records, merged by their key" in detail and "Sent by" in detail


def test_template_docs_check_fails_when_a_page_drifts(tmp_path, monkeypatch):
    for name, text in template_docs.expected_files().items():
        (tmp_path / name).write_text(text)
    monkeypatch.setattr(template_docs, "DOCS_DIR", tmp_path)
    assert template_docs.differences(tmp_path) == []
    page = tmp_path / "missing-episodes.md"
    page.write_text(page.read_text().replace("| `episode_id` | text | yes |",
                                             "| `episode_id` | text | no |"))
    assert template_docs.differences(tmp_path) == ["missing-episodes.md"]


def test_the_demo_loads_every_template_for_its_own_children(staffs, tmp_path):
    from safeguarding.demo import writers
    from safeguarding.demo.builder import _load_agency_extracts

    for n in range(120):
        make_child(staffs, first_name="Child", last_name=f"Number{n:03d}",
                   date_of_birth=dt.date(2006, 1, 1) + dt.timedelta(days=40 * n),
                   la_child_id=f"S{n + 1:09d}", postcode="ST16 2LP",
                   nhs_number="", upn="")
    with writers.returns_writer(apart=False) as writer:  # in process, as the county demo
        _load_agency_extracts(staffs, tmp_path, writer, seed=3, quiet=True, log=print)
    extracts = AgencyExtract.objects.filter(partnership=staffs)
    assert {e.kind for e in extracts} == set(TEMPLATE_KINDS)
    assert {e.period for e in extracts} == {"2019-20", "2020-21", "2021-22"}
    linked = SourceRecord.objects.filter(partnership=staffs, child__isnull=False)
    assert linked.exists()
    # An LA's record carries the person's key, their place in the index (never a row id):
    # every one linked went to that child.
    order = list(Child.objects.filter(partnership=staffs).exclude(first_name="Not recorded")
                 .order_by("pk").values_list("pk", flat=True))
    for source in linked.exclude(agency__kind=AgencyKind.POLICE):
        assert source.child_id == order[int(source.source_key.lstrip("LAP")) - 1]


@pytest.mark.parametrize("length", [10_001, 131_073, 2_000_000])
def test_a_field_too_long_is_refused_naming_row_field_and_rule(staffs, tmp_path, length):
    # Past 131,072 characters the csv module gave up and the import "crashed".
    record = load(staffs, write(tmp_path, [
        MISSING_HEADER,
        "P1,E1,2020-06-01 10:00,2020-06-02 09:00,A,Y,,,,,Ann,Lee,2010-01-01,F,ST1 1AA",
        f"P2,E2,2020-06-01 10:00,2020-06-02 09:00,A,Y,,,,,{'x' * length},Lee,2010-01-01,F,",
    ]))
    assert record.status == ImportStatus.FAILED
    problem = DatasetProblem.objects.get(dataset_import=record, rule="SCP-TPL-FIELD-LONG")
    assert (problem.file_name, problem.row, problem.field) == ("missing.csv", 3, "first_name")
    assert problems(record)[-1] == (3, "first_name", "SCP-TPL-FIELD-LONG")  # reading stopped
    assert "10,000 characters" in problem.message


@pytest.mark.parametrize("kind", ["missing-episodes", "school-attendance"])
def test_writing_several_periods_at_once_writes_each_period_s_own_extract(tmp_path, kind):
    """The demo writes a template's three years in one pass: each file is the year's own."""
    people = synthetic_people(400, seed=5)
    years = [(dt.date(y, 4, 1), dt.date(y + 1, 3, 31)) for y in (2019, 2020, 2021)]
    together = write_extracts(kind, people, seed=5, periods=[
        (tmp_path / f"together-{start.year}.csv", start, end) for start, end in years])
    for (start, end), written in zip(years, together, strict=True):
        alone = write_extract(tmp_path / f"alone-{start.year}.csv", kind, people, seed=5,
                              period_start=start, period_end=end)
        assert written.rows > 0 and (written.rows, written.people) == (alone.rows, alone.people)
        assert written.path.read_bytes() == alone.path.read_bytes()
    assert len({w.path.read_bytes() for w in together}) == 3
