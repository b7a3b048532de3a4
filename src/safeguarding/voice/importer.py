"""Answers checked against their questions, and the CSV template of responses.

A survey's template has the columns ``received_on`` (YYYY-MM-DD), ``respondent`` (blank for
an anonymous survey) and one column per question, named by its key: an option's value (or
its label) for one answer, values separated by ";" for several, a whole number for a scale,
any text for free text. Every row is checked before anything is written; each problem names
the file, the row (the header is row 1), the column and the rule broken.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass, field
from typing import Any

from safeguarding.core.csv_template import (  # noqa: F401 (the app's names for them)
    MAX_PROBLEMS,
    CsvTemplate,
    ImportRefused,
    Parsed,
    Problem,
)


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


def _answer(column: dict, text: str) -> Parsed:
    value, rule, message = check_answer(column["question"], text)
    return value, rule, message or ""


def template(questions: list) -> CsvTemplate:
    """The survey's template: the fixed columns, then one column per question."""
    return CsvTemplate.of([{"name": "received_on", "type": "date", "required": True},
                           {"name": "respondent", "type": "text"},
                           *({"name": q.key, "type": "answer", "question": q}
                             for q in questions)],
                          name="survey template", parsers={"answer": _answer})


def read(content: bytes, *, file_name: str, survey, questions: list,
         today: dt.date) -> list[Row]:
    """Every row parsed and checked, or ImportRefused with every problem found."""

    def cross_checks(values: dict[str, Any]) -> list[tuple[str, str, str]]:
        found = []
        day = values.get("received_on")
        if day and day > today:
            found.append(("received_on", "not_future", "is in the future"))
        elif day and survey.opened_on and day < survey.opened_on:
            found.append(("received_on", "while_open", "is before the survey opened"))
        if values.get("respondent") and survey.anonymous:
            found.append(("respondent", "anonymous", "must be blank: the survey is anonymous"))
        return found

    def answered(row) -> list[tuple[str, str, str]]:
        """A row must answer a question (a row whose date is wrong says so first)."""
        if row.values["received_on"] is None or any(row.raw.get(q.key) for q in questions):
            return []
        return [("(row)", "answers", "answers no question")]

    rows = template(questions).read(content, file_name=file_name, cross_checks=cross_checks,
                                    row_checks=answered, noun="responses")
    return [Row(r.number, r.values["received_on"], r.values["respondent"] or "",
                {q.key: r.values[q.key] for q in questions if r.values[q.key] is not None})
            for r in rows]


def template_header(questions) -> str:
    return template(list(questions)).header()
