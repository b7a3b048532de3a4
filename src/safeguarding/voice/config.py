"""The module's configuration as data (data/config.yaml): the response link's limit, when a
survey due to close shows as work, and the tracked results that become measures."""

from __future__ import annotations

from pathlib import Path
from typing import Any

from safeguarding.core.yaml_data import DataFile

PATH = Path(__file__).with_name("data") / "config.yaml"


config = DataFile(PATH)


def per_hour() -> int:
    return int(config()["response_link"]["per_hour"])


def close_days_before() -> int:
    return int(config()["close_reminder"]["days_before"])


def results() -> list[dict[str, Any]]:
    return list(config()["results"])


def dashboard_themes() -> list[tuple[str, str]]:
    from safeguarding.core.modules import themes

    found = dict(config()["dashboard_themes"])
    found.update({t.key: t.title for t in themes()})
    return sorted(found.items(), key=lambda kv: kv[1])
