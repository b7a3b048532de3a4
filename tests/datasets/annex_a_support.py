"""Small hand-made Annex A workbooks for the tests: one row per list with its required columns."""

from __future__ import annotations

import datetime as dt
from pathlib import Path
from typing import Any

from openpyxl import Workbook

from safeguarding.datasets.validation.annex_a_spec import annex_a_spec

# One valid value per column key, for lists whose rows need it.
VALUES: dict[str, Any] = {
    "child_id": "T000001", "adopter_id": "ADOP0001", "gender": "b) Female",
    "ethnicity": "a) WBRI", "birth_date": dt.datetime(2015, 6, 1), "age": 6,
    "contact_date": dt.datetime(2022, 1, 10), "contact_source": "6",
    "eh_start": dt.datetime(2022, 1, 10), "eh_end": dt.datetime(2022, 2, 1),
    "organisation": "Family Hub", "referral_date": dt.datetime(2022, 1, 10),
    "referral_source": "2A: Schools", "referral_nfa": "No", "referrals_12m": 1,
    "assessment_start": dt.datetime(2022, 1, 11), "assessment_authorised": dt.datetime(2022, 2, 20),
    "child_seen": "Yes", "requires_support": "Y", "s47_start": dt.datetime(2022, 1, 12),
    "icpc_date": dt.datetime(2022, 1, 30), "icpc_plan": "Y", "cin_start": dt.datetime(2022, 1, 10),
    "primary_need": "N1 - Abuse or neglect", "case_status": "b) Child protection plan",
    "cpp_start": dt.datetime(2022, 1, 30), "initial_category": "Neglect",
    "latest_category": "NEG", "cla_start": dt.datetime(2021, 6, 1), "legal_status": "C2: FCO",
    "placement_type": "U4", "eligibility": "b) Former relevant child", "in_touch": "Y",
    "adoption_decision": dt.datetime(2021, 11, 1), "entered_care": dt.datetime(2021, 6, 1),
    "enquiry": dt.datetime(2021, 9, 1), "stage1_start": dt.datetime(2021, 9, 20),
}


def list_columns(number: int, *, every: bool = False) -> list[str]:
    """Column keys for a list: required ones and those with a value above (or every one)."""
    lst = annex_a_spec().lists[number]
    return [key for key, column in lst.columns.items()
            if every or column.required or (key in VALUES and column.type != "name")]


def list_row(number: int, columns: list[str], **overrides) -> list[Any]:
    return [overrides.get(key, VALUES.get(key)) for key in columns]


def write_workbook(path: Path, sheets: dict[str, tuple[list[str], list[list[Any]]]]) -> Path:
    """Write sheets of (headings, rows) as given; the first row is the headings."""
    book = Workbook()
    book.remove(book.active)
    for name, (headings, rows) in sheets.items():
        sheet = book.create_sheet(name)
        sheet.append(headings)
        for row in rows:
            sheet.append(row)
    book.save(path)
    return path


def headings(number: int, columns: list[str]) -> list[str]:
    lst = annex_a_spec().lists[number]
    return [lst.columns[key].header for key in columns]


def one_list_workbook(path: Path, number: int, *, sheet: str | None = None,
                      rows: list[dict] | None = None) -> Path:
    columns = list_columns(number)
    body = [list_row(number, columns, **overrides) for overrides in (rows or [{}])]
    return write_workbook(path, {sheet or f"List {number}": (headings(number, columns), body)})
