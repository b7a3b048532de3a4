"""The police CSV of missing episodes: all or nothing, each problem named, idempotent."""

from __future__ import annotations

import pytest
from django.core.management import CommandError, call_command

from safeguarding.core.models import Partnership
from safeguarding.missing import importer, services
from safeguarding.missing.models import Episode, EpisodeImport
from tests.missing.conftest import csv_bytes, row


@pytest.fixture
def staffs(demo_world):
    return Partnership.objects.get(code="STAFFS")


def test_a_good_file_loads_and_links_the_child_to_the_index(staffs):
    record = services.episodes_import(actor=None, partnership=staffs, file_name="p.csv",
                                      content=csv_bytes(row(), row(force_reference="SP-2",
                                                               child_id="NOBODY1")))
    assert (record.added, record.changed, record.unchanged) == (2, 0, 0)
    linked, unlinked = Episode.objects.order_by("force_reference")
    assert linked.child_id is not None and unlinked.child_id is None
    assert linked.child_key and linked.child_key != unlinked.child_key


def test_the_same_file_twice_changes_nothing_and_a_changed_row_replaces(staffs):
    content = csv_bytes(row())
    first = services.episodes_import(actor=None, partnership=staffs, file_name="p.csv",
                                     content=content)
    again = services.episodes_import(actor=None, partnership=staffs, file_name="p.csv",
                                     content=content)
    assert again.pk == first.pk and EpisodeImport.objects.count() == 1
    changed = services.episodes_import(actor=None, partnership=staffs, file_name="p2.csv",
                                       content=csv_bytes(row(where_found="HOME"), row(
                                           force_reference="SP-9")))
    assert (changed.added, changed.changed, changed.unchanged) == (1, 1, 0)
    assert Episode.objects.get(force_reference="SP-1").where_found == "HOME"


def test_a_bad_file_loads_nothing_and_names_file_row_column_and_rule(staffs):
    rows = [row(), row(force_reference="SP-2", category="X"),
            row(force_reference="SP-3", returned_at="2020-06-04 10:00"),
            row(force_reference="SP-1"), row(force_reference="SP-4", child_la="999")]
    with pytest.raises(importer.ImportRefused) as refused:
        services.episodes_import(actor=None, partnership=staffs, file_name="bad.csv",
                                 content=csv_bytes(*rows))
    found = {(p.file, p.row, p.column, p.rule) for p in refused.value.problems}
    assert ("bad.csv", 3, "category", "code") in found
    assert ("bad.csv", 4, "returned_at", "date_order") in found
    assert ("bad.csv", 5, "force_reference", "unique") in found
    assert Episode.objects.count() == 0
    with pytest.raises(importer.ImportRefused) as refused:  # an LA outside the partnership
        services.episodes_import(actor=None, partnership=staffs, file_name="la.csv",
                                 content=csv_bytes(row(child_la="999")))
    assert [(p.row, p.column, p.rule) for p in refused.value.problems] == [
        (2, "child_la", "partnership_la")]
    header = b"force_reference,category\nSP-1,M\n"
    with pytest.raises(importer.ImportRefused) as refused:
        services.episodes_import(actor=None, partnership=staffs, file_name="h.csv",
                                 content=header)
    assert refused.value.problems[0].rule == "header"


def test_the_command_line_imports_and_lists_the_due_offers(staffs, tmp_path, capsys):
    path = tmp_path / "police.csv"
    path.write_bytes(csv_bytes(row(returned_at="2020-06-05 18:30")))
    call_command("missing", "import", "STAFFS", str(path))
    call_command("missing", "due", "STAFFS", "--at", "2020-06-08 18:31")
    out = capsys.readouterr().out
    assert "1 added" in out and "SP-1 OVERDUE 2020-06-08 18:30" in out
    path.write_bytes(csv_bytes(row(category="Z")))
    with pytest.raises(CommandError, match="Nothing was loaded"):
        call_command("missing", "import", "STAFFS", str(path))
