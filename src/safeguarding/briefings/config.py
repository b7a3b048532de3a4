"""The module's configuration as data (data/config.yaml): the files a briefing may carry
and the themes offered, each with its source."""

from __future__ import annotations

from pathlib import Path

from safeguarding.core.yaml_data import DataFile

PATH = Path(__file__).with_name("data") / "config.yaml"


config = DataFile(PATH)


def file_types() -> dict[str, str]:
    return dict(config()["file"]["types"])


def max_bytes() -> int:
    return int(config()["file"]["max_bytes"])


def themes() -> list[str]:
    return list(config()["themes"]["codes"])
