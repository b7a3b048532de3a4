"""Read and check the weekly school-attendance extract (CSV, data/attendance_template.yaml):
``school_urn``, ``child_id`` (the LA child ID), ``status`` (CIN, CP or CLA), ``week`` (the
Monday, YYYY-MM-DD) and ``attended`` (Y or N). Every row is checked before anything is written; each problem names
the file, the row (the header is row 1), the column and the rule broken."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from safeguarding.core.csv_template import (  # noqa: F401 (the app's names for them)
    MAX_PROBLEMS,
    CsvTemplate,
    ImportRefused,
    Parsed,
    Problem,
)

SPEC_PATH = Path(__file__).with_name("data") / "attendance_template.yaml"
STATUSES = ("CIN", "CP", "CLA")
TEMPLATE = CsvTemplate(SPEC_PATH, code_list=lambda name: {s: s for s in STATUSES})
COLUMNS = tuple(c["name"] for c in TEMPLATE.columns())


@dataclass(frozen=True)
class Row:
    number: int
    urn: str
    child_id: str
    status: str
    week: dt.date
    attended: bool


def _week_checks(values: dict[str, Any], *, today: dt.date) -> list[tuple[str, str, str]]:
    week = values.get("week")
    if week is None:
        return []
    if week.weekday() != 0:
        return [("week", "monday", "is not a Monday (the week is named by its Monday)")]
    return [("week", "not_future", "is in the future")] if week > today else []


def _one_row(values: dict[str, Any]) -> tuple | None:
    """A row is one child at one school in one week."""
    key = (values.get("school_urn"), values.get("child_id"), values.get("week"))
    return key if all(key) else None


def read(content: bytes, *, file_name: str, urns: set[str], today: dt.date) -> list[Row]:
    """Every row parsed and checked against the partnership's schools (``urns``), or
    ImportRefused with every problem found."""

    def school(column: dict, text: str) -> Parsed:
        if text not in urns:
            return None, "school", f"'{text}' is not a school of the partnership"
        return text, None, ""

    rows = TEMPLATE.with_parsers({"school": school}).read(
        content, file_name=file_name, cross_checks=lambda v: _week_checks(v, today=today),
        unique="child_id", key=_one_row)
    return [Row(r.number, r.values["school_urn"], r.values["child_id"], r.values["status"],
                r.values["week"], r.values["attended"]) for r in rows]


def template_header() -> str:
    return TEMPLATE.header()


def columns() -> list[dict[str, Any]]:
    return TEMPLATE.columns()
