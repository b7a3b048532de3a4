"""Read and check the police's CSV of incidents (data/incident_template.yaml).

Every row is checked before anything is written; each problem names the file, the row
(the header is row 1), the column and the rule. ``services.incidents_import`` writes the
incidents in one transaction, only when there is no problem at all.
"""

from __future__ import annotations

import csv
import datetime as dt
import io
from dataclasses import dataclass
from functools import cache
from pathlib import Path
from typing import Any

from django.utils import timezone

from safeguarding.core.yaml_data import load_yaml

SPEC_PATH = Path(__file__).with_name("data") / "incident_template.yaml"
MAX_PROBLEMS = 200
YES_NO = {"Y": True, "N": False}
AGES = (4, 17)  # reception to 17 (Operation Encompass, OE-PPP)


@cache
def spec() -> dict[str, Any]:
    return load_yaml(SPEC_PATH.read_text())


def columns() -> list[dict[str, Any]]:
    return list(spec()["columns"])


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
    """Nothing was loaded; ``problems`` says why."""

    def __init__(self, problems: list[Problem]):
        self.problems = problems
        super().__init__("; ".join(str(p) for p in problems[:5]))


def _parse(column: dict, text: str) -> tuple[Any, str | None, str]:
    kind = column["type"]
    if kind == "text":
        limit = column.get("max_length")
        if limit and len(text) > limit:
            return None, "max_length", f"is {len(text)} characters; at most {limit}"
        return text, None, ""
    if kind == "yes_no":
        if text.upper() not in YES_NO:
            return None, "yes_no", f"'{text}' is not Y or N"
        return YES_NO[text.upper()], None, ""
    if kind == "date":
        try:
            return dt.date.fromisoformat(text), None, ""
        except ValueError:
            return None, "date", f"'{text}' is not a date YYYY-MM-DD"
    if kind == "datetime":
        try:
            return (timezone.make_aware(dt.datetime.strptime(text, "%Y-%m-%d %H:%M")), None, "")
        except ValueError:
            return None, "datetime", f"'{text}' is not a date and time YYYY-MM-DD HH:MM"
    raise ValueError(f"{SPEC_PATH.name}: unknown column type '{kind}'")


def age_on(born: dt.date, day: dt.date) -> int:
    return day.year - born.year - ((day.month, day.day) < (born.month, born.day))


def _row_values(file_name: str, number: int, raw: dict[str, str],
                problems: list[Problem]) -> dict[str, Any]:
    values: dict[str, Any] = {}
    for column in columns():
        name, text = column["name"], raw.get(column["name"], "")
        if not text:
            if column.get("required"):
                problems.append(Problem(file_name, number, name, "required", "is blank"))
            values[name] = None
            continue
        value, rule, message = _parse(column, text)
        if rule:
            problems.append(Problem(file_name, number, name, rule, message))
        values[name] = value
    born, occurred = values.get("child_date_of_birth"), values.get("occurred_at")
    if born and occurred:
        age = age_on(born, timezone.localtime(occurred).date())
        if not AGES[0] <= age <= AGES[1]:
            problems.append(Problem(file_name, number, "child_date_of_birth", "child_age",
                                    f"makes the child {age} on the day; {AGES[0]} to {AGES[1]}"))
    return values


def read(content: bytes, *, file_name: str) -> list[tuple[list[int], dict[str, Any]]]:
    """The file's incidents, each with its row numbers, or ImportRefused with every problem."""
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
        words = ([f"missing {', '.join(missing)}"] if missing else []) + (
            [f"unknown {', '.join(unknown)}"] if unknown else [])
        raise ImportRefused([Problem(file_name, 1, "(header)", "header", "; ".join(words))])
    problems: list[Problem] = []
    incidents: dict[str, tuple[list[int], dict[str, Any]]] = {}
    for number, raw in enumerate(reader, start=2):
        raw = {(k or "").strip(): (v or "").strip() for k, v in raw.items()}
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
    return ",".join(c["name"] for c in columns())
