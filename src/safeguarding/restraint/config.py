"""The module's configuration as data (data/config.yaml): lists, the review deadline,
the sampling rule and the footage checklist, each with its source."""

from __future__ import annotations

import datetime as dt
from pathlib import Path
from typing import Any

from safeguarding.core.calendar import add_working_days
from safeguarding.core.yaml_data import DataFile

PATH = Path(__file__).with_name("data") / "config.yaml"
REVIEW_RULE = "restraint_review_next_working_day"


config = DataFile(PATH)
codes = config.codes
choices = config.choices


def checklist() -> dict[str, str]:
    return dict(config()["footage_checklist"]["points"])


def review_due(day: dt.date) -> dt.date:
    """The day a restraint on ``day`` must be reviewed by (the configured rule)."""
    rule = config()["review_deadline"]
    if rule["unit"] != "working_days":
        raise ValueError(f"{PATH.name}: review_deadline unit must be working_days")
    return add_working_days(day, int(rule["amount"]))


def sample_rule() -> dict[str, Any]:
    return dict(config()["sample"])


def refresher_months() -> int:
    return int(config()["mmpr_refresher_months"]["value"])
