"""Read and check the police CSV of missing episodes (data/episode_template.yaml).

Every row is checked before anything is written; each problem names the file, the row
(the header is row 1), the column and the rule broken. ``services.episodes_import``
writes the rows in one transaction, only when there is no problem at all.
"""

from __future__ import annotations

import datetime as dt
from pathlib import Path
from typing import Any

from safeguarding.core.csv_template import (  # noqa: F401 (the app's names for them)
    CsvTemplate,
    ImportRefused,
    Problem,
    Row,
    parse_datetime,
)
from safeguarding.missing import config

SPEC_PATH = Path(__file__).with_name("data") / "episode_template.yaml"
TEMPLATE = CsvTemplate(SPEC_PATH, code_list=config.codes)


def spec() -> dict[str, Any]:
    return TEMPLATE.spec


def columns() -> list[dict[str, Any]]:
    return TEMPLATE.columns()


def column_checks(values: dict[str, Any]) -> list[tuple[str, str, str]]:
    """The template's one-column rules for values entered by form or API: (column, rule,
    message). Dates and times arrive parsed; text, codes and identifiers are checked here."""
    return TEMPLATE.column_checks(values)


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
    return TEMPLATE.read(content, file_name=file_name, unique="force_reference",
                         noun="episodes", cross_checks=lambda values: cross_checks(values, now=now))


def template_csv_header() -> str:
    return TEMPLATE.header()
