"""Read and check the police CSV of missing episodes (data/episode_template.yaml).

Every row is checked before anything is written; each problem names the file, the row
(the header is row 1), the column and the rule broken. ``services.episodes_import``
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

from safeguarding.core.yaml_data import load_yaml
from safeguarding.missing import config

SPEC_PATH = Path(__file__).with_name("data") / "episode_template.yaml"
MAX_PROBLEMS = 200


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
    """Nothing was loaded; ``problems`` says why, each with file, row, column and rule."""

    def __init__(self, problems: list[Problem]):
        self.problems = problems
        super().__init__("; ".join(str(p) for p in problems[:5]))


@dataclass
class Row:
    number: int
    values: dict[str, Any] = field(default_factory=dict)


def parse_datetime(text: str) -> dt.datetime | None:
    try:
        return timezone.make_aware(dt.datetime.strptime(text, "%Y-%m-%d %H:%M"))
    except ValueError:
        return None


def _parse(column: dict, text: str) -> tuple[Any, str | None, str | None]:
    """(value, rule, message): the value or the rule it breaks."""
    kind = column["type"]
    limit = column.get("max_length")
    if kind in ("text", "identifier") and limit and len(text) > limit:
        return None, "max_length", f"is {len(text)} characters; at most {limit}"
    if kind == "text":
        return text, None, None
    if kind == "identifier":
        if not re.fullmatch(r"[A-Za-z0-9]+", text.replace(" ", "")):
            return None, "identifier", f"'{text}' is not an LA child ID or NHS number"
        return text.replace(" ", "").upper(), None, None
    if kind == "la_code":
        if not re.fullmatch(r"\d{3}", text):
            return None, "la_code", f"'{text}' is not a three-digit LA old code"
        return text, None, None
    if kind == "datetime":
        value = parse_datetime(text)
        if value is None:
            return None, "datetime", f"'{text}' is not a date and time YYYY-MM-DD HH:MM"
        return value, None, None
    if kind == "code":
        codes = config.codes(column["code_list"])
        if text not in codes:
            return None, "code", (f"'{text}' is not in the {column['code_list']} list "
                                  f"({', '.join(codes)})")
        return text, None, None
    raise ValueError(f"{SPEC_PATH.name}: unknown column type '{kind}'")


def column_checks(values: dict[str, Any]) -> list[tuple[str, str, str]]:
    """The template's one-column rules for values entered by form or API: (column, rule,
    message). Dates and times arrive parsed; text, codes and identifiers are checked here."""
    found = []
    for column in columns():
        name, value = column["name"], values.get(column["name"])
        if value in (None, ""):
            if column.get("required"):
                found.append((name, "required", "is blank"))
            continue
        if column["type"] != "datetime" and isinstance(value, str):
            _value, rule, message = _parse(column, value)
            if rule:
                found.append((name, rule, message or ""))
    return found


def cross_checks(values: dict[str, Any], *, now: dt.datetime) -> list[tuple[str, str, str]]:
    """Rules across columns: (column, rule, message)."""
    found = []
    start, back = values.get("missing_from"), values.get("returned_at")
    if start is not None and start > now:
        found.append(("missing_from", "not_future", "is in the future"))
    if back is not None:
        if start is not None and back < start:
            found.append(("returned_at", "date_order", "is before missing_from"))
        if back > now:
            found.append(("returned_at", "not_future", "is in the future"))
        if not values.get("where_found"):
            found.append(("where_found", "required_if", "is required when returned_at is given"))
    elif values.get("where_found"):
        found.append(("where_found", "blank_unless", "must be blank while the child is missing"))
    return found


def read(content: bytes, *, file_name: str, now: dt.datetime) -> list[Row]:
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
    absent = [c for c in expected if c not in header]
    unknown = [h for h in header if h not in expected]
    if absent or unknown:
        words = ([f"missing {', '.join(absent)}"] if absent else []) + \
            ([f"unknown {', '.join(unknown)}"] if unknown else [])
        raise ImportRefused([Problem(file_name, 1, "(header)", "header", "; ".join(words))])
    rows: list[Row] = []
    seen: dict[str, int] = {}
    for number, raw in enumerate(reader, start=2):
        raw = {(k or "").strip(): (v or "").strip() for k, v in raw.items()}
        row = Row(number)
        for column in columns():
            name, value_text = column["name"], raw.get(column["name"], "")
            if not value_text:
                if column.get("required"):
                    problems.append(Problem(file_name, number, name, "required", "is blank"))
                row.values[name] = None
                continue
            value, rule, message = _parse(column, value_text)
            if rule:
                problems.append(Problem(file_name, number, name, rule, message or ""))
            row.values[name] = value
        for name, rule, message in cross_checks(row.values, now=now):
            problems.append(Problem(file_name, number, name, rule, message))
        ref = row.values.get("force_reference")
        if ref:
            if ref in seen:
                problems.append(Problem(file_name, number, "force_reference", "unique",
                                        f"'{ref}' is also on row {seen[ref]}"))
            seen.setdefault(ref, number)
        rows.append(row)
        if len(problems) >= MAX_PROBLEMS:
            break
    if not rows and not problems:
        problems.append(Problem(file_name, 2, "(file)", "rows", "has no episodes"))
    if problems:
        raise ImportRefused(problems)
    return rows


def template_csv_header() -> str:
    return ",".join(c["name"] for c in columns())
