"""Errors and queries found in a file, and the CSV a data officer works through."""

from __future__ import annotations

import csv
from collections.abc import Callable, Iterable
from dataclasses import dataclass
from typing import IO

CSV_COLUMNS = ("file", "row", "child", "field", "rule", "message")
QUERY_PREFIX = "Query (does not stop the load): "
# A spreadsheet treats a cell starting with one of these as a formula.
_FORMULA_START = ("=", "+", "-", "@", "\t", "\r")


@dataclass(frozen=True, slots=True)
class Problem:
    rule: str
    message: str
    file: str = ""
    row: int | None = None
    child: str = ""
    field: str = ""
    severity: str = "error"

    @property
    def is_error(self) -> bool:
        return self.severity == "error"


class TooManyErrors(Exception):
    """Raised once the error limit is reached, to stop reading the file."""


class ProblemLog:
    """Collects problems for one file: counts all, keeps the first ``keep``, streams all to ``sink``."""

    def __init__(self, file_name: str, *, max_errors: int, keep: int | None = None,
                 sink: Callable[[Problem], None] | None = None):
        self.file_name = file_name
        self.max_errors = max_errors
        self.keep = max_errors + 1 if keep is None else keep
        self.sink = sink
        self.kept: list[Problem] = []
        self.errors = 0
        self.queries = 0

    def add(self, rule: str, message: str, *, row: int | None = None, child: str = "",
            field: str = "", severity: str = "error", file: str | None = None) -> None:
        """Record a problem; ``file`` names the file within a return of several files."""
        problem = Problem(rule=rule, message=message, file=file or self.file_name, row=row,
                          child=child, field=field, severity=severity)
        if problem.is_error:
            self.errors += 1
        else:
            self.queries += 1
        if len(self.kept) < self.keep:
            self.kept.append(problem)
        if self.sink is not None:
            self.sink(problem)
        if problem.is_error and self.errors >= self.max_errors:
            raise TooManyErrors

    def stop(self, message: str) -> None:
        """Record that checking stopped early; never raises."""
        problem = Problem(rule="SCP-FILE-TOO-MANY-ERRORS", message=message, file=self.file_name)
        self.kept.append(problem)
        if self.sink is not None:
            self.sink(problem)

    @property
    def has_errors(self) -> bool:
        return self.errors > 0


def _safe_cell(value) -> str:
    text = "" if value is None else str(value)
    return "'" + text if text.startswith(_FORMULA_START) else text


def csv_row(problem) -> list[str]:
    """One CSV row for a Problem or a stored DatasetProblem."""
    message = problem.message
    if getattr(problem, "severity", "error") != "error":
        message = QUERY_PREFIX + message
    file_name = getattr(problem, "file", None) or getattr(problem, "file_name", "")
    return [_safe_cell(v) for v in (file_name, problem.row, problem.child, problem.field,
                                    problem.rule, message)]


def write_csv(out: IO[str], problems: Iterable, *, header: bool = True) -> int:
    writer = csv.writer(out)
    if header:
        writer.writerow(CSV_COLUMNS)
    count = 0
    for problem in problems:
        writer.writerow(csv_row(problem))
        count += 1
    return count
