"""safeguarding import ssda903: all the tables of a return as one import; exit 0, 1 or 2."""

from __future__ import annotations

import csv
from io import StringIO

from django.core.management import CommandError, call_command

from safeguarding.core import services as core_services
from safeguarding.datasets.models import ClaEpisode, ClaReturn, DatasetImport, ImportStatus

HEADER = {"CHILD": "A1", "SEX": "1", "DOB": "01/06/2012", "ETHNIC": "WBRI", "UPN": "UN2"}
EPISODE = {"CHILD": "A1", "DECOM": "01/05/2020", "RNE": "S", "LS": "C1", "CIN": "N1",
           "PLACE": "U6", "PLACE_PROVIDER": "PR1"}


def run(*args) -> tuple[int, str, str]:
    out, err = StringIO(), StringIO()
    try:
        call_command("import", *args, stdout=out, stderr=err)
    except CommandError as error:
        return error.returncode, out.getvalue(), err.getvalue() + str(error)
    return 0, out.getvalue(), err.getvalue()


def test_the_tables_of_a_return_load_as_one_import_and_exit_0(staffs, ssda903):
    paths = ssda903(children=150)
    code, out, _ = run("ssda903", *map(str, paths), "--partnership", "STAFFS")
    assert code == 0, out
    record = DatasetImport.objects.get()
    assert record.status == ImportStatus.LOADED and f"import {record.pk}, loaded" in out
    assert ClaReturn.objects.get().dataset_import == record
    code, out, _ = run("ssda903", *map(str, paths), "--partnership", "STAFFS")
    assert code == 0 and "already loaded" in out


def test_a_zip_loads_with_the_year_given(staffs, ssda903):
    (archive,) = ssda903(children=150, year=2022, as_zip=True)
    code, out, _ = run("ssda903", str(archive), "--partnership", "STAFFS", "--year", "2022")
    assert code == 0, out
    assert DatasetImport.objects.get().period == "2021/22"


def test_errors_exit_1_are_printed_and_written_to_the_csv(staffs, tables_903, tmp_path):
    paths = tables_903({"header": [HEADER], "episodes": [EPISODE, {**EPISODE, "CHILD": "Z9"}]})
    out_csv = tmp_path / "errors.csv"
    code, _, err = run("ssda903", *map(str, paths), "--partnership", "STAFFS",
                       "--errors-csv", str(out_csv))
    assert code == 1
    assert "episodes.csv: row 3, child Z9, CHILD: [SCP903-CHILD-NOT-IN-HEADER]" in err
    assert "nothing from it was loaded" in err and not ClaEpisode.objects.exists()
    with open(out_csv, newline="") as handle:
        rows = list(csv.reader(handle))
    assert rows[1][:5] == ["episodes.csv", "3", "Z9", "CHILD", "SCP903-CHILD-NOT-IN-HEADER"]


def test_usage_errors_exit_2(staffs, tables_903):
    paths = [str(p) for p in tables_903({"header": [HEADER], "episodes": [EPISODE]})]
    assert run("ssda903", *paths, "--partnership", "STAFFS", "--la", "999")[0] == 2
    assert run("ssda903", *paths, "--partnership", "STAFFS", "--year", "1999")[0] == 2
    assert run("cin-census", paths[0], "--partnership", "STAFFS", "--la", "860")[0] == 2
    assert not DatasetImport.objects.exists()


def test_a_partnership_of_several_las_must_name_one(db, tables_903):
    paths = [str(p) for p in tables_903({"header": [HEADER], "episodes": [EPISODE]})]
    joint = core_services.partnership_add(
        actor=None, code="JOINT", name="Joint", local_authorities=[
            ("860", "E10000028", "Staffordshire"), ("861", "E06000021", "Stoke-on-Trent")])
    code, _, err = run("ssda903", *paths, "--partnership", joint.code)
    assert code == 2 and "--la CODE" in err
    assert not DatasetImport.objects.exists()
    code, out, _ = run("ssda903", *paths, "--partnership", joint.code, "--la", "E06000021")
    assert code == 0, out
    assert DatasetImport.objects.get().local_authority.old_code == "861"
