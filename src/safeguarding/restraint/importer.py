"""Read and check the establishment's CSV of restraint incidents (data/incident_template.yaml).

Every row is checked before anything is written; each problem names the file, the
row (the header is row 1), the column and the rule broken. ``services.incidents_import``
writes the rows in one transaction, only when there is no problem at all.
"""

from __future__ import annotations

import csv
import datetime as dt
import io
import re
from dataclasses import dataclass, field
from functools import cache
from pathlib import Path
from typing import Any

from django.utils import timezone

from safeguarding.children import code_lists as child_code_lists
from safeguarding.core.yaml_data import load_yaml
from safeguarding.restraint import config

SPEC_PATH = Path(__file__).with_name("data") / "incident_template.yaml"
MAX_PROBLEMS = 200
YES_NO = {"Y": True, "N": False}


@cache
def spec() -> dict[str, Any]:
    return load_yaml(SPEC_PATH.read_text())


def columns() -> list[dict[str, Any]]:
    return list(spec()["columns"])


def code_list(name: str) -> dict[str, str]:
    if name == "camera":
        return {"Y": "Yes", "N": "No", "NK": "Not known"}
    if name == "ethnicity":
        return dict(child_code_lists.plain_choices("ethnicity"))
    return config.codes(name)


@dataclass(frozen=True)
class Problem:
    file: str
    row: int
    column: str
    rule: str
    message: str

    def __str__(self) -> str:
        return f"{self.file}, row {self.row}, {self.column}: {self.message} (rule {self.rule})"


class ImportRefused(Exception):
    """Nothing was loaded; ``problems`` says why, each with file, row, column and rule."""

    def __init__(self, problems: list[Problem]):
        self.problems = problems
        super().__init__("; ".join(str(p) for p in problems[:5]))


@dataclass
class Row:
    number: int
    values: dict[str, Any] = field(default_factory=dict)
    raw: dict[str, str] = field(default_factory=dict)


def _parse(column: dict, text: str) -> tuple[Any, str | None, str | None]:
    """(value, rule, message): the value or the rule it breaks."""
    kind = column["type"]
    if kind == "text":
        limit = column.get("max_length")
        if limit and len(text) > limit:
            return None, "max_length", f"is {len(text)} characters; at most {limit}"
        return text, None, None
    if kind == "yes_no":
        if text.upper() not in YES_NO:
            return None, "yes_no", f"'{text}' is not Y or N"
        return YES_NO[text.upper()], None, None
    if kind == "int":
        if not re.fullmatch(r"\d+", text):
            return None, "int", f"'{text}' is not a whole number"
        value = int(text)
        if not column.get("min", 0) <= value <= column.get("max", 10**9):
            return None, "range", f"{value} is outside {column.get('min', 0)} to {column.get('max')}"
        return value, None, None
    if kind == "date":
        try:
            return dt.date.fromisoformat(text), None, None
        except ValueError:
            return None, "date", f"'{text}' is not a date YYYY-MM-DD"
    if kind == "datetime":
        try:
            naive = dt.datetime.strptime(text, "%Y-%m-%d %H:%M")
        except ValueError:
            return None, "datetime", f"'{text}' is not a date and time YYYY-MM-DD HH:MM"
        return timezone.make_aware(naive), None, None
    if kind == "code":
        codes = code_list(column["code_list"])
        if text not in codes:
            return None, "code", (f"'{text}' is not in the {column['code_list']} list "
                                  f"({', '.join(codes)})")
        return text, None, None
    if kind == "codes":
        codes = code_list(column["code_list"])
        values = [v.strip() for v in text.split(";") if v.strip()]
        bad = [v for v in values if v not in codes]
        if bad:
            return None, "code", (f"{', '.join(bad)} not in the {column['code_list']} list "
                                  f"({', '.join(codes)})")
        return values, None, None
    if kind == "la_code":
        if not re.fullmatch(r"\d{3}", text):
            return None, "la_code", f"'{text}' is not a three-digit LA old code"
        return text, None, None
    if kind == "staff":
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
        return staff, None, None
    raise ValueError(f"{SPEC_PATH.name}: unknown column type '{kind}'")


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
    problems: list[Problem] = []
    try:
        text = content.decode("utf-8-sig")
    except UnicodeDecodeError:
        raise ImportRefused([Problem(file_name, 1, "(file)", "encoding",
                                     "is not UTF-8 text")]) from None
    reader = csv.DictReader(io.StringIO(text))
    header = [h.strip() for h in (reader.fieldnames or [])]
    expected = [c["name"] for c in columns()]
    missing = [c for c in expected if c not in header]
    unknown = [h for h in header if h not in expected]
    if missing or unknown:
        words = []
        if missing:
            words.append(f"missing {', '.join(missing)}")
        if unknown:
            words.append(f"unknown {', '.join(unknown)}")
        raise ImportRefused([Problem(file_name, 1, "(header)", "header",
                                     "; ".join(words))])
    rows: list[Row] = []
    seen: dict[str, int] = {}
    for number, raw in enumerate(reader, start=2):
        raw = {(k or "").strip(): (v or "").strip() for k, v in raw.items()}
        row = Row(number, raw=raw)
        for column in columns():
            name, text = column["name"], raw.get(column["name"], "")
            if not text:
                if column.get("required"):
                    problems.append(Problem(file_name, number, name, "required", "is blank"))
                row.values[name] = [] if column["type"] in ("codes", "staff") else None
                continue
            value, rule, message = _parse(column, text)
            if rule:
                problems.append(Problem(file_name, number, name, rule, message or ""))
            row.values[name] = value
        for name, rule, message in _cross_checks(row.values, today=today):
            problems.append(Problem(file_name, number, name, rule, message))
        ref = row.values.get("incident_ref")
        if ref:
            if ref in seen:
                problems.append(Problem(file_name, number, "incident_ref", "unique",
                                        f"'{ref}' is also on row {seen[ref]}"))
            seen.setdefault(ref, number)
        rows.append(row)
        if len(problems) >= MAX_PROBLEMS:
            break
    if not rows and not problems:
        problems.append(Problem(file_name, 2, "(file)", "rows", "has no incidents"))
    if problems:
        raise ImportRefused(problems)
    return rows


def template_csv_header() -> str:
    return ",".join(c["name"] for c in columns())
