"""Policies rules as data (data/config.yaml): reminders before and after the review date,
the usual review interval, and the files a version may carry, per partnership."""

from __future__ import annotations

from dataclasses import dataclass
from functools import cache
from pathlib import Path

from safeguarding.core.yaml_data import DataFile

PATH = Path(__file__).with_name("data") / "config.yaml"


config = DataFile(PATH)


@dataclass(frozen=True)
class Reminders:
    remind_days_before: int
    remind_when_overdue: bool
    review_every_months: int
    home_days_before: int


@cache
def for_code(code: str) -> Reminders:
    data = config()
    raw = {**data["default"], **((data.get("partnerships") or {}).get(code) or {})}
    return Reminders(remind_days_before=int(raw["remind_days_before"]),
                     remind_when_overdue=bool(raw["remind_when_overdue"]),
                     review_every_months=int(raw["review_every_months"]),
                     home_days_before=int(raw["home_days_before"]))


def for_policy(policy) -> Reminders:
    """A joint policy follows the earliest reminder among its partnerships'."""
    found = [for_code(p.code) for p in policy.partnerships.all()] or [for_code("")]
    return max(found, key=lambda r: r.remind_days_before)


def file_types() -> dict[str, str]:
    return dict(config()["files"]["types"])


def max_file_bytes() -> int:
    return int(config()["files"]["max_bytes"])
