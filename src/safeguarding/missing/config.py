"""The module's configuration as data (data/config.yaml): the return home interview clock
(in hours), the repeat-missing rule and the lists, each with its source."""

from __future__ import annotations

import datetime as dt
from pathlib import Path
from typing import Any

from safeguarding.core.yaml_data import DataFile

PATH = Path(__file__).with_name("data") / "config.yaml"


config = DataFile(PATH)
codes = config.codes
choices = config.choices


def rhi_rule() -> dict[str, Any]:
    return dict(config()["rhi_deadline"])


def rhi_applies(category: str) -> bool:
    return category in rhi_rule()["applies_to"]


def rhi_due(returned_at: dt.datetime) -> dt.datetime:
    """When the return home interview must be offered by: clock hours after the return
    (not working days), so a weekend counts in full."""
    rule = rhi_rule()
    if rule["unit"] != "hours":
        raise ValueError(f"{PATH.name}: rhi_deadline unit must be hours")
    return returned_at + dt.timedelta(hours=int(rule["amount"]))


def repeat_rule() -> tuple[int, int]:
    """(episodes, within days) that make a child repeat-missing."""
    rule = config()["repeat_missing"]
    return int(rule["episodes"]), int(rule["within_days"])


def sub_group_names() -> frozenset[str]:
    return frozenset(n.strip().lower() for n in config()["sub_groups"]["names"])


def worker_agency_kinds() -> frozenset[str]:
    return frozenset(config()["worker_agency_kinds"]["kinds"])
