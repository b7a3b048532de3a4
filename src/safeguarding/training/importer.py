"""Read and check the e-learning platform's CSV of completions (data/elearning_template.yaml).

Every row is checked before anything is written; each problem names the file, the row (the
header is row 1), the column and the rule broken. ``services.completions_import`` writes the
rows in one transaction, only when there is no problem at all (the pattern of the missing
and Encompass importers).
"""

from __future__ import annotations

import csv
import datetime as dt
import io
from dataclasses import dataclass, field
from functools import cache
from pathlib import Path
from typing import Any

from safeguarding.core.yaml_data import load_yaml

SPEC_PATH = Path(__file__).with_name("data") / "elearning_template.yaml"
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


def _parse(column: dict, text: str, today: dt.date) -> tuple[Any, str | None, str | None]:
    limit = column.get("max_length")
    if column["type"] == "text":
        if limit and len(text) > limit:
            return None, "max_length", f"is {len(text)} characters; at most {limit}"
        return text, None, None
    if column["type"] == "date":
        try:
            value = dt.date.fromisoformat(text)
        except ValueError:
            return None, "date", f"'{text}' is not a date YYYY-MM-DD"
        if value > today:
            return None, "not_future", "is in the future"
        return value, None, None
    raise ValueError(f"{SPEC_PATH.name}: unknown column type '{column['type']}'")


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
    absent = [c for c in expected if c not in header]
    unknown = [h for h in header if h not in expected]
    if absent or unknown:
        words = ([f"missing {', '.join(absent)}"] if absent else []) + \
            ([f"unknown {', '.join(unknown)}"] if unknown else [])
        raise ImportRefused([Problem(file_name, 1, "(header)", "header", "; ".join(words))])
    rows: list[Row] = []
    seen: dict[tuple, int] = {}
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
            value, rule, message = _parse(column, value_text, today)
            if rule:
                problems.append(Problem(file_name, number, name, rule, message or ""))
            row.values[name] = value
        key = (str(row.values.get("learner") or "").lower(), row.values.get("course_code"),
               row.values.get("completed_on"))
        if all(key):
            if key in seen:
                problems.append(Problem(file_name, number, "learner", "unique",
                                        f"the same completion is also on row {seen[key]}"))
            seen.setdefault(key, number)
        rows.append(row)
        if len(problems) >= MAX_PROBLEMS:
            break
    if not rows and not problems:
        problems.append(Problem(file_name, 2, "(file)", "rows", "has no completions"))
    if problems:
        raise ImportRefused(problems)
    return rows


def template_csv() -> str:
    return ",".join(c["name"] for c in columns()) + "\n"
