"""Read and check the police's CSV of incidents (data/incident_template.yaml).

Every row is checked before anything is written; each problem names the file, the row
(the header is row 1), the column and the rule. ``services.incidents_import`` writes the
incidents in one transaction, only when there is no problem at all.
"""

from __future__ import annotations

import datetime as dt
from pathlib import Path
from typing import Any

from django.utils import timezone

from safeguarding.core.csv_template import (  # noqa: F401 (the app's names for them)
    MAX_PROBLEMS,
    CsvTemplate,
    ImportRefused,
    Problem,
)

SPEC_PATH = Path(__file__).with_name("data") / "incident_template.yaml"
AGES = (4, 17)  # reception to 17 (Operation Encompass, OE-PPP)
TEMPLATE = CsvTemplate(SPEC_PATH)


def spec() -> dict[str, Any]:
    return TEMPLATE.spec


def columns() -> list[dict[str, Any]]:
    return TEMPLATE.columns()


def age_on(born: dt.date, day: dt.date) -> int:
    return day.year - born.year - ((day.month, day.day) < (born.month, born.day))


def _row_values(file_name: str, number: int, raw: dict[str, str],
                problems: list[Problem]) -> dict[str, Any]:
    values = TEMPLATE.row_values(raw, file_name=file_name, number=number, problems=problems)
    born, occurred = values.get("child_date_of_birth"), values.get("occurred_at")
    if born and occurred:
        age = age_on(born, timezone.localtime(occurred).date())
        if not AGES[0] <= age <= AGES[1]:
            problems.append(Problem(file_name, number, "child_date_of_birth", "child_age",
                                    f"makes the child {age} on the day; {AGES[0]} to {AGES[1]}"))
    return values


def read(content: bytes, *, file_name: str) -> list[tuple[list[int], dict[str, Any]]]:
    """The file's incidents, each with its row numbers, or ImportRefused with every problem."""
    problems: list[Problem] = []
    incidents: dict[str, tuple[list[int], dict[str, Any]]] = {}
    for number, raw in TEMPLATE.raw_rows(content, file_name=file_name):
        values = _row_values(file_name, number, raw, problems)
        ref = values.get("police_reference")
        if ref:
            rows, incident = incidents.setdefault(ref, ([], {
                "police_reference": ref, "occurred_at": values["occurred_at"],
                "domestic_abuse": values["domestic_abuse"], "children": []}))
            for key in ("occurred_at", "domestic_abuse"):
                if incident[key] != values[key]:
                    problems.append(Problem(file_name, number, key, "same_incident",
                                            f"differs from row {rows[0]} of {ref}"))
            rows.append(number)
            incident["children"].append({
                "first_name": values["child_first_name"] or "",
                "last_name": values["child_last_name"] or "",
                "date_of_birth": values["child_date_of_birth"],
                "present": values["child_present"], "school_urn": values["school_urn"],
                "nhs_number": values["nhs_number"] or "", "la_child_id": values["la_child_id"] or ""})
        if len(problems) >= MAX_PROBLEMS:
            break
    if not incidents and not problems:
        problems.append(Problem(file_name, 2, "(file)", "rows", "has no incidents"))
    if problems:
        raise ImportRefused(problems)
    return list(incidents.values())


def template_csv_header() -> str:
    return TEMPLATE.header()
