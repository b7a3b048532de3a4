"""Help in place (issue 18): the guidance a statutory judgement follows, kept as data
(data/guidance.yaml) and shown on the page that asks for the judgement
(templates/includes/guidance.html, a GOV.UK details component)."""

from __future__ import annotations

from functools import cache
from pathlib import Path

from safeguarding.core.yaml_data import load_yaml

_PATH = Path(__file__).with_name("data") / "guidance.yaml"


@cache
def entries() -> dict[str, dict]:
    found = load_yaml(_PATH.read_text())
    for key, entry in found.items():
        if not entry.get("summary") or not entry.get("links"):
            raise ValueError(f"{_PATH.name}: '{key}' needs a summary and at least one link")
    return found


def guidance(key: str) -> dict:
    """One entry by key, with its key; a KeyError names the file for a missing key."""
    try:
        return {"key": key, **entries()[key]}
    except KeyError:
        raise KeyError(f"No guidance '{key}' in {_PATH.name}") from None
