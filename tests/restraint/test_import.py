"""The establishment's CSV arrives whole or not at all, once, and each problem is named."""

from __future__ import annotations

import datetime as dt

import pytest

from safeguarding.restraint import importer, services
from safeguarding.restraint.models import Incident, IncidentImport
from tests.restraint.conftest import csv_bytes, row


def test_a_file_loads_and_links_the_child_by_la_child_id(yoi):
    record = services.incidents_import(actor=None, establishment=yoi, file_name="june.csv",
                                       content=csv_bytes(row(), row(incident_ref="R2",
                                                                    la_child_id="S999999999")))
    assert (record.added, record.changed, record.unchanged) == (2, 0, 0)
    linked = Incident.objects.get(reference="R1")
    assert linked.child_id is not None and linked.child_age == 16
    assert Incident.objects.get(reference="R2").child_id is None  # not in the index
    # 5 June 2020 was a Friday: the review is due on Monday 8 June.
    assert linked.review_due == dt.date(2020, 6, 8)
    assert sorted(linked.staff.values_list("staff_ref", flat=True)) == ["S0001", "S0002"]


def test_the_same_file_twice_changes_nothing(yoi):
    content = csv_bytes(row())
    first = services.incidents_import(actor=None, establishment=yoi, file_name="a.csv",
                                      content=content)
    again = services.incidents_import(actor=None, establishment=yoi, file_name="a.csv",
                                      content=content)
    assert again.pk == first.pk
    assert Incident.objects.count() == 1 and IncidentImport.objects.count() == 1


def test_a_row_sent_again_with_a_change_is_kept_in_the_history(yoi):
    services.incidents_import(actor=None, establishment=yoi, file_name="a.csv",
                              content=csv_bytes(row()))
    record = services.incidents_import(actor=None, establishment=yoi, file_name="b.csv",
                                       content=csv_bytes(row(duration_minutes="9")))
    assert (record.added, record.changed) == (0, 1)
    [edit] = Incident.objects.get(reference="R1").edits.all()
    assert edit.changes == {"duration_minutes": [4, 9]} and "b.csv" in edit.reason


def test_one_bad_row_loads_nothing_and_every_problem_names_row_column_and_rule(yoi):
    content = csv_bytes(row(), row(incident_ref="R2", pit_used="Y", location="ROOF"))
    with pytest.raises(importer.ImportRefused) as refused:
        services.incidents_import(actor=None, establishment=yoi, file_name="bad.csv",
                                  content=content)
    found = {(p.file, p.row, p.column, p.rule) for p in refused.value.problems}
    assert found == {("bad.csv", 3, "location", "code"),
                     ("bad.csv", 3, "pit_technique", "required_if"),
                     ("bad.csv", 3, "pit_justification", "required_if")}
    assert "bad.csv, row 3, location: 'ROOF' is not in the locations list" in str(
        refused.value.problems[0])
    assert not Incident.objects.exists() and not IncidentImport.objects.exists()


def test_a_header_without_a_column_is_refused(yoi):
    content = b"incident_ref,occurred_at\nR1,2020-06-05 14:30\n"
    with pytest.raises(importer.ImportRefused) as refused:
        services.incidents_import(actor=None, establishment=yoi, file_name="h.csv",
                                  content=content)
    [problem] = refused.value.problems
    assert (problem.row, problem.column, problem.rule) == (1, "(header)", "header")
    assert "missing location" in problem.message


def test_sound_without_a_camera_and_an_adult_are_refused(yoi):
    content = csv_bytes(row(body_worn_camera="N", camera_ids="", date_of_birth="2001-01-01"))
    with pytest.raises(importer.ImportRefused) as refused:
        services.incidents_import(actor=None, establishment=yoi, file_name="x.csv",
                                  content=content)
    assert {(p.column, p.rule) for p in refused.value.problems} == {
        ("sound_captured", "sound_needs_camera"), ("date_of_birth", "child_age")}


def test_the_documented_example_file_loads(yoi):
    from pathlib import Path

    example = Path(__file__).resolve().parents[2] / "docs" / "data-templates" / \
        "restraint-incidents.csv"
    record = services.incidents_import(actor=None, establishment=yoi, file_name=example.name,
                                       content=example.read_bytes())
    assert record.added == 2
    assert Incident.objects.get(reference="MYOI-2006-002").prone
