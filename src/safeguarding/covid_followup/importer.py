"""Read and check the weekly school-attendance extract (CSV): ``school_urn``, ``child_id``
(the LA child ID), ``status`` (CIN, CP or CLA), ``week`` (the Monday, YYYY-MM-DD) and
``attended`` (Y or N). Every row is checked before anything is written; each problem names
the file, the row (the header is row 1), the column and the rule broken."""

from __future__ import annotations

import csv
import datetime as dt
import io
import re
from dataclasses import dataclass

COLUMNS = ("school_urn", "child_id", "status", "week", "attended")
STATUSES = ("CIN", "CP", "CLA")
MAX_PROBLEMS = 200


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
    def __init__(self, problems: list[Problem]):
        self.problems = problems
        super().__init__("; ".join(str(p) for p in problems[:5]))


@dataclass(frozen=True)
class Row:
    number: int
    urn: str
    child_id: str
    status: str
    week: dt.date
    attended: bool


def read(content: bytes, *, file_name: str, urns: set[str], today: dt.date) -> list[Row]:
    """Every row parsed and checked against the partnership's schools (``urns``), or
    ImportRefused with every problem found."""
    problems: list[Problem] = []
    try:
        text = content.decode("utf-8-sig")
    except UnicodeDecodeError:
        raise ImportRefused([Problem(file_name, 1, "(file)", "encoding",
                                     "is not UTF-8 text")]) from None
    reader = csv.DictReader(io.StringIO(text))
    header = [h.strip() for h in (reader.fieldnames or [])]
    absent = [c for c in COLUMNS if c not in header]
    unknown = [h for h in header if h not in COLUMNS]
    if absent or unknown:
        words = ([f"missing {', '.join(absent)}"] if absent else []) + \
            ([f"unknown {', '.join(unknown)}"] if unknown else [])
        raise ImportRefused([Problem(file_name, 1, "(header)", "header", "; ".join(words))])
    rows: list[Row] = []
    seen: dict[tuple, int] = {}
    for number, raw in enumerate(reader, start=2):
        raw = {(k or "").strip(): (v or "").strip() for k, v in raw.items()}
        bad = len(problems)

        def problem(column: str, rule: str, message: str, number=number) -> None:
            problems.append(Problem(file_name, number, column, rule, message))

        for column in COLUMNS:
            if not raw.get(column):
                problem(column, "required", "is blank")
        urn, child, status = raw["school_urn"], raw["child_id"].upper(), raw["status"].upper()
        if urn and urn not in urns:
            problem("school_urn", "school", f"'{urn}' is not a school of the partnership")
        if child and not re.fullmatch(r"[A-Z0-9]{1,20}", child):
            problem("child_id", "identifier", f"'{raw['child_id']}' is not an LA child ID")
        if status and status not in STATUSES:
            problem("status", "code", f"'{raw['status']}' is not one of {', '.join(STATUSES)}")
        week = None
        if raw["week"]:
            try:
                week = dt.date.fromisoformat(raw["week"])
            except ValueError:
                problem("week", "date", f"'{raw['week']}' is not a date YYYY-MM-DD")
            else:
                if week.weekday() != 0:
                    problem("week", "monday", "is not a Monday (the week is named by its Monday)")
                elif week > today:
                    problem("week", "not_future", "is in the future")
        attended = raw["attended"].upper()
        if attended and attended not in ("Y", "N"):
            problem("attended", "code", f"'{raw['attended']}' is not Y or N")
        key = (urn, child, week)
        if len(problems) == bad:
            if key in seen:
                problem("child_id", "unique", f"the child is also on row {seen[key]} for "
                                              "that school and week")
            else:
                seen[key] = number
                rows.append(Row(number, urn, child, status, week, attended == "Y"))  # type: ignore[arg-type]
        if len(problems) >= MAX_PROBLEMS:
            break
    if not rows and not problems:
        problems.append(Problem(file_name, 2, "(file)", "rows", "has no rows"))
    if problems:
        raise ImportRefused(problems)
    return rows


def template_header() -> str:
    return ",".join(COLUMNS)
