"""CSV templates: one reader for every app's spreadsheet import (missing episodes, restraint
incidents, Operation Encompass incidents...).

An app keeps its template as data (``data/<name>_template.yaml``: a list of columns, each
with a name, a type, whether it is required, and the type's settings) and builds a
``CsvTemplate`` from it. The reader checks the file's encoding and header, parses every cell
by its column's type and keeps going after a problem, so the person importing sees every
problem at once, each naming the file, the row (the header is row 1), the column and the
rule broken. Nothing is written here: an app's service writes the rows in one transaction,
and only when there is no problem at all.

Column types: ``text`` (``max_length``), ``identifier`` (an LA child ID or NHS number,
spaces dropped, upper case), ``la_code`` (three digits), ``int`` (``min``, ``max``),
``yes_no`` (Y/N -> bool), ``date`` (YYYY-MM-DD), ``datetime`` (YYYY-MM-DD HH:MM, local
time), ``code`` and ``codes`` (one, or several separated by ``;``, from the app's
``code_list``; with ``upper: true`` the text is read in capitals). An app adds its own types
with ``parsers``; a type whose check needs the import's context (the partnership's agencies
or schools) is added for one read with ``with_parsers``. A template whose columns are not a
file (a survey's questions) is built with ``CsvTemplate.of``.
"""

from __future__ import annotations

import copy
import csv
import datetime as dt
import io
import re
from collections.abc import Callable, Iterable, Iterator
from dataclasses import dataclass, field
from functools import cached_property
from pathlib import Path
from typing import Any

from django.utils import timezone

from safeguarding.core.yaml_data import load_yaml

MAX_PROBLEMS = 200
YES_NO = {"Y": True, "N": False}

# (value, rule, message): the parsed value, or the rule the text breaks and why.
Parsed = tuple[Any, str | None, str]
Parser = Callable[[dict, str], Parsed]
# Rules across a row's columns: (column, rule, message) for each broken.
CrossChecks = Callable[[dict[str, Any]], Iterable[tuple[str, str, str]]]
# The same, given the whole row (its cells as written too).
RowChecks = Callable[["Row"], Iterable[tuple[str, str, str]]]


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


def parse_datetime(text: str) -> dt.datetime | None:
    """A local date and time written YYYY-MM-DD HH:MM, or None."""
    try:
        return timezone.make_aware(dt.datetime.strptime(text, "%Y-%m-%d %H:%M"))
    except ValueError:
        return None


class CsvTemplate:
    """One app's CSV template: its columns (from the YAML file) and how to read a file."""

    def __init__(self, spec_path: Path, *, code_list: Callable[[str], Any] | None = None,
                 parsers: dict[str, Parser] | None = None,
                 list_types: Iterable[str] = ()):
        self.spec_path = spec_path
        self.code_list = code_list
        self.parsers = dict(parsers or {})
        self.list_types = {"codes", *list_types}

    @classmethod
    def of(cls, columns: Iterable[dict[str, Any]], *, name: str, **options: Any) -> CsvTemplate:
        """A template whose columns are given rather than read from a file (``name`` stands
        for the file in messages about the template itself)."""
        template = cls(Path(name), **options)
        template.__dict__["spec"] = {"columns": list(columns)}
        return template

    def with_parsers(self, parsers: dict[str, Parser]) -> CsvTemplate:
        """The same template with more column types, for one import's context."""
        template = copy.copy(self)
        template.parsers = {**self.parsers, **parsers}
        template.__dict__["spec"] = self.spec
        return template

    @cached_property
    def spec(self) -> dict[str, Any]:
        return load_yaml(self.spec_path.read_text())

    def columns(self) -> list[dict[str, Any]]:
        return list(self.spec["columns"])

    def header(self) -> str:
        """The template's header row, as the blank template's download gives it."""
        return ",".join(c["name"] for c in self.columns())

    # --- one cell ------------------------------------------------------------------------------

    def _codes(self, column: dict) -> Any:
        if self.code_list is None:
            raise ValueError(f"{self.spec_path.name}: column '{column['name']}' needs a code list")
        return self.code_list(column["code_list"])

    def parse(self, column: dict, text: str) -> Parsed:
        """The cell's value, or the rule it breaks."""
        kind = column["type"]
        if column.get("upper"):
            text = text.upper()
        if kind in self.parsers:
            return self.parsers[kind](column, text)
        limit = column.get("max_length")
        if kind in ("text", "identifier") and limit and len(text) > limit:
            return None, "max_length", f"is {len(text)} characters; at most {limit}"
        if kind == "text":
            return text, None, ""
        if kind == "identifier":
            if not re.fullmatch(r"[A-Za-z0-9]+", text.replace(" ", "")):
                return None, "identifier", f"'{text}' is not an LA child ID or NHS number"
            return text.replace(" ", "").upper(), None, ""
        if kind == "la_code":
            if not re.fullmatch(r"\d{3}", text):
                return None, "la_code", f"'{text}' is not a three-digit LA old code"
            return text, None, ""
        if kind == "int":
            if not re.fullmatch(r"\d+", text):
                return None, "int", f"'{text}' is not a whole number"
            value = int(text)
            low, high = column.get("min", 0), column.get("max", 10**9)
            if not low <= value <= high:
                return None, "range", f"{value} is outside {low} to {column.get('max')}"
            return value, None, ""
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
            moment = parse_datetime(text)
            if moment is None:
                return None, "datetime", f"'{text}' is not a date and time YYYY-MM-DD HH:MM"
            return moment, None, ""
        if kind == "code":
            codes = self._codes(column)
            if text not in codes:
                return None, "code", (f"'{text}' is not in the {column['code_list']} list "
                                      f"({', '.join(codes)})")
            return text, None, ""
        if kind == "codes":
            codes = self._codes(column)
            values = [v.strip() for v in text.split(";") if v.strip()]
            bad = [v for v in values if v not in codes]
            if bad:
                return None, "code", (f"{', '.join(bad)} not in the {column['code_list']} list "
                                      f"({', '.join(codes)})")
            return values, None, ""
        raise ValueError(f"{self.spec_path.name}: unknown column type '{kind}'")

    def column_checks(self, values: dict[str, Any]) -> list[tuple[str, str, str]]:
        """The template's one-column rules for values entered by form or API: (column, rule,
        message). Dates and times arrive parsed; text, codes and identifiers are checked."""
        found = []
        for column in self.columns():
            name, value = column["name"], values.get(column["name"])
            if value in (None, "", []):
                if column.get("required"):
                    found.append((name, "required", "is blank"))
                continue
            if column["type"] not in ("date", "datetime") and isinstance(value, str):
                _value, rule, message = self.parse(column, value)
                if rule:
                    found.append((name, rule, message))
        return found

    # --- a file --------------------------------------------------------------------------------

    def raw_rows(self, content: bytes, *, file_name: str) -> Iterator[tuple[int, dict[str, str]]]:
        """Each row's number and its cells, stripped; ImportRefused if the file is not UTF-8
        text or its header is not the template's."""
        try:
            text = content.decode("utf-8-sig")
        except UnicodeDecodeError:
            raise ImportRefused([Problem(file_name, 1, "(file)", "encoding",
                                         "is not UTF-8 text")]) from None
        reader = csv.DictReader(io.StringIO(text))
        header = [h.strip() for h in (reader.fieldnames or [])]
        expected = [c["name"] for c in self.columns()]
        absent = [c for c in expected if c not in header]
        unknown = [h for h in header if h not in expected]
        if absent or unknown:
            words = ([f"missing {', '.join(absent)}"] if absent else []) + \
                ([f"unknown {', '.join(unknown)}"] if unknown else [])
            raise ImportRefused([Problem(file_name, 1, "(header)", "header", "; ".join(words))])
        for number, raw in enumerate(reader, start=2):
            yield number, {(k or "").strip(): (v or "").strip() for k, v in raw.items()}

    def row_values(self, raw: dict[str, str], *, file_name: str, number: int,
                   problems: list[Problem]) -> dict[str, Any]:
        """One row's values by column; each cell's problem is added to ``problems``."""
        values: dict[str, Any] = {}
        for column in self.columns():
            name, text = column["name"], raw.get(column["name"], "")
            if not text:
                if column.get("required"):
                    problems.append(Problem(file_name, number, name, "required", "is blank"))
                values[name] = [] if column["type"] in self.list_types else None
                continue
            value, rule, message = self.parse(column, text)
            if rule:
                problems.append(Problem(file_name, number, name, rule, message))
            values[name] = value
        return values

    def read(self, content: bytes, *, file_name: str, cross_checks: CrossChecks | None = None,
             unique: str | None = None, key: Callable[[dict[str, Any]], Any] | None = None,
             noun: str = "rows", row_checks: RowChecks | None = None) -> list[Row]:
        """Every row parsed and checked, or ImportRefused with every problem found (up to
        ``MAX_PROBLEMS``). ``cross_checks`` are rules across a row's values, ``row_checks``
        rules that need the cells as written too. ``unique`` names a column no two rows may
        share (with ``key``, the column a shared ``key(values)`` is reported on); a file with
        no rows is refused, saying it "has no <noun>"."""
        problems: list[Problem] = []
        rows: list[Row] = []
        seen: dict[Any, int] = {}
        for number, raw in self.raw_rows(content, file_name=file_name):
            row = Row(number, self.row_values(raw, file_name=file_name, number=number,
                                              problems=problems), raw)
            for checks in (cross_checks(row.values) if cross_checks else (),
                           row_checks(row) if row_checks else ()):
                for name, rule, message in checks:
                    problems.append(Problem(file_name, number, name, rule, message))
            found = (key(row.values) if key else row.values.get(unique)) if unique else None
            if found:
                if found in seen:
                    said = "the same row" if key else f"'{found}'"
                    problems.append(Problem(file_name, number, unique or "", "unique",
                                            f"{said} is also on row {seen[found]}"))
                seen.setdefault(found, number)
            rows.append(row)
            if len(problems) >= MAX_PROBLEMS:
                break
        if not rows and not problems:
            problems.append(Problem(file_name, 2, "(file)", "rows", f"has no {noun}"))
        if problems:
            raise ImportRefused(problems)
        return rows
