"""Deadlines computed from rules held as data (data/deadlines.yaml).

Every stored due date keeps the id of the rule that made it, so a change of
guidance changes the data file and leaves the history explainable.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass
from functools import cache
from pathlib import Path

from safeguarding.core.calendar import add_months, add_working_days, is_working_day
from safeguarding.core.yaml_data import load_yaml

_PATH = Path(__file__).with_name("data") / "deadlines.yaml"


@dataclass(frozen=True)
class DeadlineRule:
    id: str
    title: str
    amount: int
    unit: str
    starts_from: str
    source: str
    verified: bool

    def span(self) -> str:
        """How long the rule allows, in words: "15 working days"."""
        return f"{self.amount} {self.unit.replace('_', ' ')}"

    def describe(self) -> str:
        return f"{self.span()} after {self.starts_from} ({self.source})"


@cache
def rules() -> dict[str, DeadlineRule]:
    data = load_yaml(_PATH.read_text())["rules"]
    return {key: DeadlineRule(id=key, **value) for key, value in data.items()}


def rule(rule_id: str) -> DeadlineRule:
    try:
        return rules()[rule_id]
    except KeyError:
        raise KeyError(f"No deadline rule '{rule_id}' in {_PATH.name}") from None


def due_date(rule_id: str, start: dt.date) -> dt.date:
    """Return the date a step governed by ``rule_id`` is due, counted from ``start``."""
    r = rule(rule_id)
    if r.unit == "working_days":
        return add_working_days(start, r.amount)
    if r.unit == "calendar_days":
        return start + dt.timedelta(days=r.amount)
    if r.unit == "calendar_months":
        return add_months(start, r.amount)
    if r.unit == "working_days_before":
        day, counted = start, 0
        while counted < r.amount:
            day -= dt.timedelta(days=1)
            if is_working_day(day):
                counted += 1
        return day
    raise ValueError(f"Rule '{rule_id}' has unknown unit '{r.unit}'")
