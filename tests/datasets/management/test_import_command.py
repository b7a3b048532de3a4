"""safeguarding import: exit 0 loaded, 1 errors (nothing loaded, errors printed and in a CSV), 2 usage."""

from __future__ import annotations

import csv
import os
import subprocess
import sys
from io import StringIO
from pathlib import Path

import pytest
from django.core.management import CommandError, call_command

from safeguarding.datasets import synthetic
from safeguarding.datasets.models import CinEpisode, DatasetImport, ImportStatus
from tests.datasets.conftest import C1


def run(*args) -> tuple[int, str, str]:
    out, err = StringIO(), StringIO()
    try:
        call_command("import", *args, stdout=out, stderr=err)
    except CommandError as error:
        return error.returncode, out.getvalue(), err.getvalue() + str(error)
    return 0, out.getvalue(), err.getvalue()


def test_a_clean_return_loads_and_exits_0(staffs, census):
    code, out, _ = run("cin-census", str(census(children=15)), "--partnership", "staffs")
    assert code == 0
    assert "loaded. Loaded 15 children" in out
    record = DatasetImport.objects.get()
    assert record.actor_label == "command line" and record.status == ImportStatus.LOADED


def test_a_file_with_errors_exits_1_prints_them_and_writes_the_csv(staffs, census, tmp_path):
    path = census(children=20, inject=[synthetic.Injection("closure_before_referral", 2),
                                       synthetic.Injection("unknown_referral_source", 5)])
    planted = census.written.planted
    out_csv = tmp_path / "errors.csv"
    code, out, err = run("cin-census", str(path), "--partnership", "STAFFS",
                         "--errors-csv", str(out_csv))
    assert code == 1
    assert "[8630]" in err and "[8866]" in err and "nothing from it was loaded" in err
    assert not CinEpisode.objects.exists()
    with open(out_csv, newline="") as handle:
        rows = list(csv.reader(handle))
    assert rows[0] == ["file", "row", "child", "field", "rule", "message"]
    # Queries (rule numbers ending Q) are listed too; the errors are the planted ones.
    assert [(r[0], r[2], r[3], r[4]) for r in rows[1:] if not r[4].endswith("Q")] == [
        (path.name, planted[0].la_child_id, "CINclosureDate", "8630"),
        (path.name, planted[1].la_child_id, "ReferralSource", "8866"),
    ]
    assert all(int(r[1]) > 0 and r[5] for r in rows[1:] if not r[4].endswith("Q"))
    assert all(r[5] for r in rows[1:])  # a query about the whole return has no row


def test_check_loads_nothing(staffs, census):
    code, out, _ = run("cin-census", str(census(children=10)), "--partnership", "STAFFS",
                       "--check")
    assert code == 0 and "Nothing was loaded: this was a check only" in out
    assert not CinEpisode.objects.exists()


def test_several_files_are_each_their_own_import(staffs, census):
    good = census(children=10, name="good.xml")
    bad = census(children=10, name="bad.xml", year=2022,
                 inject=[synthetic.Injection("missing_ethnicity", 1)])
    code, out, err = run("cin-census", str(good), str(bad), "--partnership", "STAFFS")
    assert code == 1 and "1 of 2 files had errors" in err
    assert list(DatasetImport.objects.order_by("pk").values_list("status", flat=True)) == [
        ImportStatus.LOADED, ImportStatus.FAILED]


def test_a_return_for_another_partnerships_la_exits_1(staffs, census):
    code, _, err = run("cin-census", str(census(la_code="861", children=5)), "--partnership",
                       "STAFFS")
    assert code == 1 and "[SCP-HEADER-LA]" in err


def test_benchmarks_load_from_the_command_line(staffs):
    code, out, _ = run("dfe-benchmarks", C1, "--partnership", "STAFFS")
    assert code == 0 and "21,320 values" in out


@pytest.mark.parametrize("args, message", [
    (["cin-censuses", "x.xml", "--partnership", "STAFFS"], "Unknown kind"),
    (["cin-census", "/no/such/file.xml", "--partnership", "STAFFS"], "No such file"),
    (["cin-census", C1, "--partnership", "NOWHERE"], "Unknown partnership"),
])
def test_usage_errors_exit_2(staffs, args, message):
    code, _, err = run(*args)
    assert code == 2 and message in err
    assert not DatasetImport.objects.exists()


def test_the_real_command_exits_2_without_a_partnership(tmp_path):
    env = {**os.environ, "DJANGO_SETTINGS_MODULE": "safeguarding.config.settings.test",
           "DATABASE_URL": f"sqlite:///{tmp_path / 'unused.sqlite3'}"}
    safeguarding = Path(sys.executable).with_name("safeguarding")
    done = subprocess.run([str(safeguarding), "import", "cin-census", C1],  # noqa: S603
                          env=env, capture_output=True, text=True, check=False)
    assert done.returncode == 2 and "--partnership" in done.stderr
