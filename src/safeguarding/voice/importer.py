"""Answers checked against their questions, and the CSV template of responses.

A survey's template has the columns ``received_on`` (YYYY-MM-DD), ``respondent`` (blank for
an anonymous survey) and one column per question, named by its key: an option's value (or
its label) for one answer, values separated by ";" for several, a whole number for a scale,
any text for free text. Every row is checked before anything is written; each problem names
the file, the row (the header is row 1), the column and the rule broken.
"""

from __future__ import annotations

import csv
import datetime as dt
import io
from dataclasses import dataclass, field
from typing import Any

MAX_PROBLEMS = 200
FIXED = ("received_on", "respondent")


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
    received_on: dt.date
    respondent: str
    answers: dict[str, Any] = field(default_factory=dict)


def check_answer(question, raw) -> tuple[Any, str | None, str | None]:
    """(value, rule, message) for one answer: ``value`` is a list of option values for a
    closed question, the text for free text; blank answers are None (questions are
    optional)."""
    kind = question.kind
    if kind == "free_text":
        text = (raw or "").strip() if isinstance(raw, str) else ""
        return (text or None), None, None
    given = raw if isinstance(raw, list) else [p for p in str(raw or "").split(";")]
    given = [str(g).strip() for g in given if str(g).strip()]
    if not given:
        return None, None, None
    by_label = {label.lower(): value for value, label in question.choices()}
    values = {value for value, _ in question.choices()}
    chosen = []
    for item in given:
        value = item if item in values else by_label.get(item.lower())
        if value is None:
            if kind == "scale":
                return None, "scale", (f"'{item}' is not a whole number from "
                                       f"{question.scale_min} to {question.scale_max}")
            return None, "option", (f"'{item}' is not one of the options "
                                    f"({', '.join(sorted(values))})")
        if value not in chosen:
            chosen.append(value)
    if kind in ("single", "scale") and len(chosen) > 1:
        return None, "one_answer", "gives more than one answer to a one-answer question"
    return chosen, None, None


def read(content: bytes, *, file_name: str, survey, questions: list,
         today: dt.date) -> list[Row]:
    """Every row parsed and checked, or ImportRefused with every problem found."""
    problems: list[Problem] = []
    try:
        text = content.decode("utf-8-sig")
    except UnicodeDecodeError:
        raise ImportRefused([Problem(file_name, 1, "(file)", "encoding",
                                     "is not UTF-8 text")]) from None
    reader = csv.DictReader(io.StringIO(text))
    header = [h.strip() for h in (reader.fieldnames or [])]
    expected = [*FIXED, *(q.key for q in questions)]
    absent = [c for c in expected if c not in header]
    unknown = [h for h in header if h not in expected]
    if absent or unknown:
        words = ([f"missing {', '.join(absent)}"] if absent else []) + \
            ([f"unknown {', '.join(unknown)}"] if unknown else [])
        raise ImportRefused([Problem(file_name, 1, "(header)", "header", "; ".join(words))])
    rows: list[Row] = []
    for number, raw in enumerate(reader, start=2):
        raw = {(k or "").strip(): (v or "").strip() for k, v in raw.items()}
        day = None
        if not raw.get("received_on"):
            problems.append(Problem(file_name, number, "received_on", "required", "is blank"))
        else:
            try:
                day = dt.date.fromisoformat(raw["received_on"])
            except ValueError:
                problems.append(Problem(file_name, number, "received_on", "date",
                                        f"'{raw['received_on']}' is not a date YYYY-MM-DD"))
            else:
                if day > today:
                    problems.append(Problem(file_name, number, "received_on", "not_future",
                                            "is in the future"))
                elif survey.opened_on and day < survey.opened_on:
                    problems.append(Problem(file_name, number, "received_on", "while_open",
                                            "is before the survey opened"))
        respondent = raw.get("respondent", "")
        if respondent and survey.anonymous:
            problems.append(Problem(file_name, number, "respondent", "anonymous",
                                    "must be blank: the survey is anonymous"))
        row = Row(number, day or today, respondent)
        for question in questions:
            value, rule, message = check_answer(question, raw.get(question.key, ""))
            if rule:
                problems.append(Problem(file_name, number, question.key, rule, message or ""))
            elif value is not None:
                row.answers[question.key] = value
        if not row.answers and not any(p.row == number for p in problems):
            problems.append(Problem(file_name, number, "(row)", "answers",
                                    "answers no question"))
        rows.append(row)
        if len(problems) >= MAX_PROBLEMS:
            break
    if not rows and not problems:
        problems.append(Problem(file_name, 2, "(file)", "rows", "has no responses"))
    if problems:
        raise ImportRefused(problems)
    return rows


def template_header(questions) -> str:
    return ",".join([*FIXED, *(q.key for q in questions)])
