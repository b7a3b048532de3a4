"""An aggregate reader cannot work out a small number of restraints from the figures shown.

The attacker here reads every restraint figure the API gives a board member (the year, its
quarters and its months) and solves every sum they know: a year is its quarters, a quarter
its months, and a total is its parts plus the records in none of them (12 restraints and 11
filmed tell that one was not). Whatever they can work out must not be from 1 to 4 unless
it is shown to them anyway.
"""

from __future__ import annotations

import random

import pytest

from safeguarding.core import disclosure
from safeguarding.measures.catalogue import catalogue
from safeguarding.measures.periods import financial_year_of
from safeguarding.restraint import services
from tests.disclosure_attack import equations, shown, work_out
from tests.restraint.conftest import csv_bytes, row


def _periods():
    import datetime as dt

    fy = financial_year_of(dt.date(2020, 4, 1))
    return fy, [fy, *fy.quarters(), *fy.months()]


def _incidents(yoi, seed: int, count: int) -> None:
    rng = random.Random(seed)
    rows = []
    for n in range(count):
        month = 4 + rng.randrange(12)
        year, month = (2020, month) if month <= 12 else (2021, month - 12)
        day = 1 + rng.randrange(27)
        if n == count - 1:  # the coverage reaches the year's end
            year, month, day = 2021, 3, 31
        filmed = rng.random() < 0.9
        rows.append(row(
            incident_ref=f"D{n}", occurred_at=f"{year}-{month:02d}-{day:02d} 10:00",
            pit_used="Y" if rng.random() < 0.05 else "N",
            pit_technique="WRIST_FLEXION", pit_justification="Risk to life",
            primary_reason="PASSIVE" if rng.random() < 0.3 else "FIGHT",
            body_worn_camera="Y" if filmed else "N", camera_ids="BWC1" if filmed else "",
            sound_captured="Y" if filmed and rng.random() < 0.9 else "N",
            positions="PRONE" if rng.random() < 0.1 else "STANDING",
            assault_on_staff="Y" if rng.random() < 0.2 else "N",
            child_injured="Y" if rng.random() < 0.15 else "N",
            healthcare_attended="Y" if rng.random() < 0.9 else "N",
            ethnicity=rng.choice(["WBRI", "WBRI", "WBRI", "MWBC", "BCRB", "AIND"]),
            date_of_birth=f"{2004 + rng.randrange(4)}-03-01",
            la_child_id=f"S{rng.randrange(40):09d}"))
    for r in rows:
        if r["pit_used"] == "N":
            r["pit_technique"] = r["pit_justification"] = ""
        if r["healthcare_attended"] == "N":
            r["healthcare_at"] = ""
    services.incidents_import(actor=None, establishment=yoi, file_name="year.csv",
                              content=csv_bytes(*rows))


@pytest.mark.parametrize("seed,count", [(1, 60), (2, 140), (3, 420)])
def test_no_small_number_can_be_worked_out_by_subtraction(yoi, client_for, seed, count):
    _incidents(yoi, seed, count)
    fy, periods = _periods()
    board = shown(client_for("board.police"), periods, "restraint")
    truth = shown(client_for("business.staffs"), periods, "restraint")
    assert any(v is None for v in board.values())  # something is hidden
    assert any(v is not None and v >= disclosure.THRESHOLD for v in board.values())
    # What is shown is true, and none of it is small (a rate's numerator or denominator
    # counts as shown).
    assert not [k for k, v in board.items() if disclosure.is_small(v)]
    assert all(board[k] == truth[k] for k in board if board[k] is not None)
    measure_ids = sorted({m for m, _ in truth})
    learnt = work_out(board, equations(fy, measure_ids, "restraint"))
    for key, value in learnt.items():
        if board.get(key) is None:
            assert not disclosure.is_small(value), (key, value)


def test_a_wrong_group_in_a_catalogue_is_refused(tmp_path):
    from safeguarding.measures.catalogue import CatalogueError, load_disclosure_groups

    (tmp_path / "x.yaml").write_text(
        "indicators: []\ndisclosure_groups:\n  - {total: restraints, parts: [restraint_bwc_rate]}\n")
    defs = catalogue()
    with pytest.raises(CatalogueError, match="restraint_bwc_rate.*not a count"):
        load_disclosure_groups(tmp_path, defs)
