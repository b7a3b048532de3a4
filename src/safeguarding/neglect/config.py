"""The module's configuration as data (data/config.yaml): the licence term, the reminders
before expiry, when agencies' assessment summaries are due and the outcome codes, each with
its source."""

from __future__ import annotations

import datetime as dt
from pathlib import Path

from safeguarding.core.calendar import add_months
from safeguarding.core.yaml_data import DataFile

PATH = Path(__file__).with_name("data") / "config.yaml"


config = DataFile(PATH)


def licence_expiry(issued_on: dt.date) -> dt.date:
    """The last day a licence issued that day is valid."""
    return add_months(issued_on, int(config()["licence"]["valid_months"])) - dt.timedelta(days=1)


def reminder_leads() -> list[int]:
    """Ascending: the nearest lead first, so a licence first seen inside it gets one e-mail."""
    return sorted(int(d) for d in config()["reminders"]["lead_days"])


def expiring_soon_days() -> int:
    return int(config()["reminders"]["expiring_soon_days"])


def summary_due(period_end: dt.date) -> dt.date:
    return period_end + dt.timedelta(days=int(config()["summaries"]["due_days_after_period"]))


def concern_from() -> int:
    return int(config()["grades"]["concern_from"])


def outcomes() -> list[tuple[str, str]]:
    return list(config()["outcomes"]["codes"].items())
