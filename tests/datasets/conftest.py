"""Fixtures for data imports: two partnerships with their LAs, and synthetic returns."""

from __future__ import annotations

from pathlib import Path

import pytest

from safeguarding.core import services as core_services
from safeguarding.core.models import AgencyKind
from safeguarding.datasets import synthetic

# DfE's published tables (Open Government Licence), kept in the repository.
DFE_DIR = str(Path(__file__).resolve().parents[2] / "data" / "dfe")
C1 = f"{DFE_DIR}/c1_children_in_need_referrals_and_rereferrals_2013_to_2025.csv"


@pytest.fixture
def staffs(db):
    """Staffordshire (LA 860) with its children's services; Stoke-on-Trent (861) beside it."""
    staffs = core_services.partnership_add(
        actor=None, code="STAFFS", name="Staffordshire Safeguarding Children Partnership",
        local_authorities=[("860", "E10000028", "Staffordshire")])
    stoke = core_services.partnership_add(
        actor=None, code="STOKE", name="Stoke-on-Trent Safeguarding Children Partnership",
        local_authorities=[("861", "E06000021", "Stoke-on-Trent")])
    core_services.agency_add(actor=None, name="Staffordshire County Council Children's Services",
                             kind=AgencyKind.LA_CHILDRENS_SERVICES, partnerships=[staffs])
    core_services.agency_add(actor=None, name="Staffordshire Police", kind=AgencyKind.POLICE,
                             partnerships=[staffs, stoke])
    return staffs


@pytest.fixture
def census(tmp_path):
    """Write a synthetic CIN census return and return its path: census(year=2021, ...)."""

    def make(*, year: int = 2021, children: int = 40, seed: int = 7, la_code: str = "860",
             inject=(), name: str | None = None, **options):
        path = tmp_path / (name or f"cin_{la_code}_{year}_{seed}_{children}.xml")
        written = synthetic.write_cin_census(path, la_code=la_code, year=year, children=children,
                                             seed=seed, inject=inject, **options)
        make.written = written
        return path

    return make


@pytest.fixture
def ssda903(tmp_path):
    """Write a synthetic SSDA903 return: ssda903(year=2021, children=300, as_zip=False)."""
    from safeguarding.datasets.synthetic.ssda903 import write_ssda903

    def make(*, year: int = 2021, children: int = 300, seed: int = 7, la_code: str = "860",
             as_zip: bool = False, folder: str | None = None, **options):
        out = tmp_path / (folder or f"903_{la_code}_{year}_{seed}_{children}_{as_zip}")
        written = write_ssda903(out, la_code=la_code, year=year, children=children, seed=seed,
                                as_zip=as_zip, **options)
        make.written = written
        return written.paths

    return make


@pytest.fixture
def tables_903(tmp_path):
    """Write hand-made 903 tables: tables_903({"header": [row, ...], ...}) -> their paths."""
    import csv

    from safeguarding.datasets.synthetic.ssda903 import COLUMNS

    def make(tables: dict[str, list[dict]], *, folder: str = "hand", columns=None):
        out = tmp_path / folder
        out.mkdir(exist_ok=True)
        paths = []
        for name, rows in tables.items():
            path = out / f"{name}.csv"
            with open(path, "w", newline="", encoding="utf-8") as handle:
                writer = csv.DictWriter(handle, fieldnames=(columns or {}).get(name, COLUMNS[name]),
                                        restval="", extrasaction="ignore")
                writer.writeheader()
                writer.writerows(rows)
            paths.append(path)
        return paths

    return make
