"""The module's configuration as data (data/config.yaml): papers lead time, frequencies,
risk scoring and RAG thresholds, the default quorum, each with its source."""

from __future__ import annotations

import datetime as dt
from pathlib import Path

from safeguarding.core.calendar import is_working_day, non_working_days
from safeguarding.core.yaml_data import DataFile

PATH = Path(__file__).with_name("data") / "config.yaml"


config = DataFile(PATH)


def frequencies() -> list[tuple[str, str]]:
    return list(config()["frequencies"]["codes"].items())


def default_papers_days() -> int:
    return int(config()["papers_due"]["default_working_days"])


def default_required_kinds() -> list[str]:
    return list(config()["quorum"]["required_kinds"])


def working_days_before(day: dt.date, n: int) -> dt.date:
    """The n-th working day before ``day`` (core's calendar: bank holidays, added days)."""
    closed = non_working_days(range(day.year - 1 - n // 200, day.year + 1))
    counted = 0
    while counted < n:
        day -= dt.timedelta(days=1)
        if is_working_day(day, closed):
            counted += 1
    return day


def rag(score: int) -> str:
    """Red, amber or green for a score, by the configured thresholds."""
    bands = config()["rag"]
    if score >= int(bands["red"]):
        return "red"
    if score >= int(bands["amber"]):
        return "amber"
    return "green"


def scale(name: str) -> list[tuple[int, str]]:
    return [(int(k), v) for k, v in config()["risk_scores"][name].items()]


def report_section_for(name: str) -> str:
    """The yearly report's section for a body, by a word in its name; "" if none."""
    lowered = name.lower()
    for word, section in config()["report_sections"]["words"].items():
        if word in lowered:
            return str(section)
    return ""


def is_scrutiny_body(name: str) -> bool:
    lowered = name.lower()
    return any(w in lowered for w in config()["independent_scrutiny"]["words"])


def commitments_due_soon_days() -> int:
    return int(config()["commitments_due_soon"]["days"])
