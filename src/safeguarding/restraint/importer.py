"""Read and check the establishment's CSV of restraint incidents (data/incident_template.yaml).

Every row is checked before anything is written; each problem names the file, the
row (the header is row 1), the column and the rule broken. ``services.incidents_import``
writes the rows in one transaction, only when there is no problem at all.
"""

from __future__ import annotations

import datetime as dt
import re
from pathlib import Path
from typing import Any

from django.utils import timezone

from safeguarding.children import code_lists as child_code_lists
from safeguarding.core.csv_template import (  # noqa: F401 (the app's names for them)
    CsvTemplate,
    ImportRefused,
    Problem,
    Row,
)
from safeguarding.restraint import config

SPEC_PATH = Path(__file__).with_name("data") / "incident_template.yaml"


def code_list(name: str) -> dict[str, str]:
    if name == "camera":
        return {"Y": "Yes", "N": "No", "NK": "Not known"}
    if name == "ethnicity":
        return dict(child_code_lists.plain_choices("ethnicity"))
    return config.codes(name)


def parse_staff(column: dict, text: str) -> tuple[Any, str | None, str]:
    """Staff numbers, each with its refresher date: "S123:2020-01-31; S456"."""
    staff = []
    for part in [p.strip() for p in text.split(";") if p.strip()]:
        ref, _, day = part.partition(":")
        if not re.fullmatch(r"[A-Za-z0-9-]{1,30}", ref.strip()):
            return None, "staff", f"'{part}' is not a staff number (letters and digits)"
        try:
            refresher = dt.date.fromisoformat(day.strip()) if day.strip() else None
        except ValueError:
            return None, "staff", f"'{part}': the refresher date is not YYYY-MM-DD"
        staff.append((ref.strip(), refresher))
    return staff, None, ""


TEMPLATE = CsvTemplate(SPEC_PATH, code_list=code_list, parsers={"staff": parse_staff},
                       list_types=("staff",))


def spec() -> dict[str, Any]:
    return TEMPLATE.spec


def columns() -> list[dict[str, Any]]:
    return TEMPLATE.columns()


def _cross_checks(values: dict[str, Any], *, today: dt.date) -> list[tuple[str, str, str]]:
    """Rules across columns: (column, rule, message)."""
    found = []

    def needs(column: str, when: str, equals: Any = True) -> None:
        if values.get(when) == equals and values.get(column) in (None, "", []):
            found.append((column, "required_if",
                          f"is required when {when} is {'Y' if equals is True else equals}"))

    needs("authorised_by", "planned")
    needs("pit_technique", "pit_used")
    needs("pit_justification", "pit_used")
    needs("camera_ids", "body_worn_camera", "Y")
    needs("healthcare_at", "healthcare_attended")
    if values.get("pit_used") is False and values.get("pit_technique"):
        found.append(("pit_technique", "blank_unless", "must be blank when pit_used is N"))
    if values.get("sound_captured") and values.get("body_worn_camera") not in (None, "Y"):
        found.append(("sound_captured", "sound_needs_camera",
                      "can be Y only when body_worn_camera is Y"))
    occurred = values.get("occurred_at")
    if occurred is not None:
        if timezone.localtime(occurred).date() > today:
            found.append(("occurred_at", "not_future", "is in the future"))
        seen = values.get("healthcare_at")
        if seen is not None and seen < occurred:
            found.append(("healthcare_at", "date_order", "is before occurred_at"))
        born = values.get("date_of_birth")
        if born is not None:
            age = age_on(born, timezone.localtime(occurred).date())
            if not 10 <= age <= 17:
                found.append(("date_of_birth", "child_age",
                              f"makes the child {age} on the day; a child here is 10 to 17"))
    return found


def age_on(born: dt.date, day: dt.date) -> int:
    return day.year - born.year - ((day.month, day.day) < (born.month, born.day))


def read(content: bytes, *, file_name: str, today: dt.date) -> list[Row]:
    """Every row parsed and checked, or ImportRefused with every problem found."""
    return TEMPLATE.read(content, file_name=file_name, unique="incident_ref", noun="incidents",
                         cross_checks=lambda values: _cross_checks(values, today=today))


def template_csv_header() -> str:
    return TEMPLATE.header()
