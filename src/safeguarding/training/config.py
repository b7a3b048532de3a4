"""The training programme's rules per partnership as data (data/policies.yaml): fee bands,
levels, waiver reasons, and each partnership's policy (manager approval, the self-cancel
cut-off, the time a freed place is held, reminders, charges and fees), each with its source."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass
from functools import cache
from pathlib import Path
from typing import Any

from safeguarding.core.calendar import is_working_day
from safeguarding.core.yaml_data import DataFile

PATH = Path(__file__).with_name("data") / "policies.yaml"
CUTOFF_UNITS = {"working_days", "calendar_days"}
CHARGE_REASONS = ("late_cancellation", "no_show")


config = DataFile(PATH)
codes = config.codes
choices = config.choices


def default_band(agency_kind: str) -> str:
    return codes("default_band_by_agency_kind").get(agency_kind, "private")


@dataclass(frozen=True)
class Reminder:
    days_before: int
    kind: str
    title: str


@dataclass(frozen=True)
class Policy:
    """One partnership's training rules; ``key`` names the preset, ``source`` where it is from."""

    key: str
    title: str
    source: str
    verified: bool
    manager_approval: bool
    cutoff_amount: int
    cutoff_unit: str
    offer_hold_hours: int
    reminders: tuple[Reminder, ...]
    charges: dict[str, dict[str, Any]]
    fees: dict[str, dict[str, int]]
    substitution_allowed: bool
    follow_up_from_weeks: int
    follow_up_to_weeks: int

    def cutoff_day(self, session_day: dt.date) -> dt.date:
        """The last day a learner may cancel without a charge."""
        if self.cutoff_unit == "calendar_days":
            return session_day - dt.timedelta(days=self.cutoff_amount)
        day, counted = session_day, 0
        while counted < self.cutoff_amount:
            day -= dt.timedelta(days=1)
            if is_working_day(day):
                counted += 1
        return day

    def cutoff_text(self) -> str:
        unit = "working days" if self.cutoff_unit == "working_days" else "days"
        return f"{self.cutoff_amount} {unit} before the session"

    def charge_for(self, reason: str, band: str, length: str) -> int:
        """The charge in pence for a late cancellation or no-show, 0 where none applies."""
        rule = self.charges.get(reason) or {}
        if band not in rule.get("bands", []):
            return 0
        return int(round(float(rule.get(length, 0)) * 100))

    def fee_for(self, band: str, length: str) -> int:
        return int(round(float(self.fees.get(band, {}).get(length, 0)) * 100))


def _policy(key: str, raw: dict[str, Any], *, source: str | None = None,
            verified: bool | None = None) -> Policy:
    cutoff = raw["cancellation_cutoff"]
    if cutoff["unit"] not in CUTOFF_UNITS:
        raise ValueError(f"{PATH.name}: preset '{key}' cut-off unit must be one of "
                         f"{', '.join(sorted(CUTOFF_UNITS))}")
    bands = set(codes("fee_bands"))
    for reason in CHARGE_REASONS:
        unknown = set(raw["charges"].get(reason, {}).get("bands", [])) - bands
        if unknown:
            raise ValueError(f"{PATH.name}: preset '{key}' charges {reason} to unknown fee "
                             f"bands {', '.join(sorted(unknown))}")
    follow = raw["follow_up_weeks"]
    return Policy(
        key=key, title=raw["title"], source=source or raw["source"],
        verified=bool(raw.get("verified", False) if verified is None else verified),
        manager_approval=bool(raw["manager_approval"]), cutoff_amount=int(cutoff["amount"]),
        cutoff_unit=cutoff["unit"], offer_hold_hours=int(raw["offer_hold_hours"]),
        reminders=tuple(Reminder(int(r["days_before"]), r["kind"], r["title"])
                        for r in raw["reminders"]),
        charges=dict(raw["charges"]), fees=dict(raw["fees"]),
        substitution_allowed=bool(raw["substitution_allowed"]),
        follow_up_from_weeks=int(follow["from"]), follow_up_to_weeks=int(follow["to"]))


@cache
def policy_for_code(code: str) -> Policy:
    data = config()
    entry = data.get("partnerships", {}).get(code)
    if entry is None:
        key = data["default"]
        return _policy(key, data["presets"][key])
    key = entry["preset"]
    raw = {**data["presets"][key], **(entry.get("overrides") or {})}
    return _policy(key, raw, source=entry.get("source"), verified=entry.get("verified"))


def policy(partnership) -> Policy:
    """The rules of a partnership's programme."""
    return policy_for_code(partnership.code)


def refresher_window_days() -> int:
    """Days before a refresher falls due that the learner record shows it as due."""
    return int((config().get("refreshers") or {}).get("window_days", 60))
