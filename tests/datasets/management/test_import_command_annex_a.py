"""safeguarding import annex-a: exit 0 loaded, 1 errors (nothing loaded), 2 usage; --la."""

from __future__ import annotations

import csv

from safeguarding.core import services as core_services
from safeguarding.datasets.models import AnnexAReturn, AnnexARow, DatasetImport, ImportStatus
from safeguarding.datasets.synthetic.annex_a import write_annex_a
from tests.datasets.annex_a_support import one_list_workbook
from tests.datasets.management.test_import_command import run


def test_a_clean_workbook_loads_and_exits_0(staffs, tmp_path):
    path = write_annex_a(tmp_path / "annex.xlsx", la_code="860", children=20, seed=2).path
    code, out, _ = run("annex-a", str(path), "--partnership", "staffs")
    assert code == 0 and "loaded. Loaded" in out and "Annex A lists for LA 860" in out
    assert DatasetImport.objects.get().status == ImportStatus.LOADED


def test_errors_exit_1_print_them_and_write_the_csv(staffs, tmp_path):
    path = one_list_workbook(tmp_path / "bad.xlsx", 3, rows=[{"referral_source": "Martians"}])
    out_csv = tmp_path / "errors.csv"
    code, _, err = run("annex-a", str(path), "--partnership", "STAFFS", "--errors-csv",
                       str(out_csv))
    assert code == 1 and "[AA-CODE]" in err and "nothing from it was loaded" in err
    assert not AnnexARow.objects.exists()
    with open(out_csv, newline="") as handle:
        rows = [r for r in csv.reader(handle) if r[4] == "AA-CODE"]
    assert rows == [["bad.xlsx, sheet List 3", "2", "T000001", "Referral Source", "AA-CODE",
                     "Referral Source 'Martians' is not one of the referral source codes"]]


def test_check_exits_0_and_loads_nothing(staffs, tmp_path):
    code, out, _ = run("annex-a", str(one_list_workbook(tmp_path / "a.xlsx", 1)),
                       "--partnership", "STAFFS", "--check")
    assert code == 0 and "this was a check only" in out and not AnnexAReturn.objects.exists()


def test_la_names_which_of_the_partnerships_las(db, tmp_path):
    core_services.partnership_add(actor=None, code="PAIR", name="Two LAs", local_authorities=[
        ("860", "E10000028", "Staffordshire"), ("861", "E06000021", "Stoke-on-Trent")])
    path = one_list_workbook(tmp_path / "a.xlsx", 1)
    code, _, err = run("annex-a", str(path), "--partnership", "PAIR")
    assert code == 1 and "[AA-LA-NEEDED]" in err
    code, _, _ = run("annex-a", str(path), "--partnership", "PAIR", "--la", "E06000021")
    assert code == 0 and AnnexAReturn.objects.get().local_authority.old_code == "861"


def test_an_la_the_partnership_does_not_cover_exits_2(staffs, tmp_path):
    code, _, err = run("annex-a", str(one_list_workbook(tmp_path / "a.xlsx", 1)),
                       "--partnership", "STAFFS", "--la", "861")
    assert code == 2 and "does not cover LA 861" in err
    assert not DatasetImport.objects.exists()
