"""Read and check the e-learning platform's CSV of completions (data/elearning_template.yaml).

Every row is checked before anything is written; each problem names the file, the row (the
header is row 1), the column and the rule broken. ``services.completions_import`` writes the
rows in one transaction, only when there is no problem at all (the pattern of the missing
and Encompass importers).
"""

from __future__ import annotations

import datetime as dt
from pathlib import Path
from typing import Any

from safeguarding.core.csv_template import (  # noqa: F401 (the app's names for them)
    MAX_PROBLEMS,
    CsvTemplate,
    ImportRefused,
    Problem,
    Row,
)

SPEC_PATH = Path(__file__).with_name("data") / "elearning_template.yaml"
TEMPLATE = CsvTemplate(SPEC_PATH)


def spec() -> dict[str, Any]:
    return TEMPLATE.spec


def columns() -> list[dict[str, Any]]:
    return TEMPLATE.columns()


def _completion(values: dict[str, Any]) -> tuple | None:
    """A completion is one learner's course on one day, however the learner is written."""
    key = (str(values.get("learner") or "").lower(), values.get("course_code"),
           values.get("completed_on"))
    return key if all(key) else None


def read(content: bytes, *, file_name: str, today: dt.date) -> list[Row]:
    """Every row parsed and checked, or ImportRefused with every problem found."""

    def not_future(values: dict[str, Any]) -> list[tuple[str, str, str]]:
        done = values.get("completed_on")
        return [("completed_on", "not_future", "is in the future")] \
            if done is not None and done > today else []

    return TEMPLATE.read(content, file_name=file_name, cross_checks=not_future,
                         unique="learner", key=_completion, noun="completions")


def template_csv() -> str:
    return TEMPLATE.header() + "\n"
