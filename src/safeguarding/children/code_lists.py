"""DfE code lists for the child index, loaded from data/code_lists.yaml."""

from functools import cache
from pathlib import Path

from safeguarding.core.yaml_data import load_yaml

_PATH = Path(__file__).with_name("data") / "code_lists.yaml"


@cache
def _lists() -> dict:
    return load_yaml(_PATH.read_text())


def choices(name: str) -> list[tuple[str, str]]:
    return [(code, f"{label} ({code})") for code, label in _lists()[name]["codes"].items()]


def plain_choices(name: str) -> list[tuple[str, str]]:
    """Choices without the code, for forms where the code means nothing to the reader."""
    return list(_lists()[name]["codes"].items())


def label(name: str, code: str) -> str:
    return _lists()[name]["codes"].get(code, code)


def source(name: str) -> str:
    return _lists()[name]["source"]


def ethnicity_group(code: str) -> str:
    for group, codes in _lists()["ethnicity"]["groups"].items():
        if code in codes:
            return group
    return "Not known"
