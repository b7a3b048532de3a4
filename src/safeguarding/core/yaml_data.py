"""Reading the project's YAML data files (specs, code lists, catalogues, schedules).

libyaml's C loader when PyYAML was built with it: the pure-Python loader took
a tenth of a second of every command's start-up on the CIN spec alone. Both
are the safe loader: plain data, no Python objects.
"""

from __future__ import annotations

from functools import cached_property
from pathlib import Path
from typing import Any

import yaml

_LOADER = getattr(yaml, "CSafeLoader", yaml.SafeLoader)


def load_yaml(text: str) -> Any:
    return yaml.load(text, Loader=_LOADER)  # noqa: S506 - a safe loader, C or Python


class DataFile:
    """A module's configuration file (``data/config.yaml`` and the like), read once.

    Calling it gives the whole mapping; ``codes(name)`` a code list kept as
    ``name: {codes: {code: label}}``, and ``choices(name)`` the same as form choices.
    """

    def __init__(self, path: Path):
        self.path = path

    @cached_property
    def _data(self) -> dict[str, Any]:
        return load_yaml(self.path.read_text())

    def __call__(self) -> dict[str, Any]:
        return self._data

    def codes(self, name: str) -> dict[str, str]:
        """A configured code list: code -> label."""
        return dict(self._data[name]["codes"])

    def choices(self, name: str) -> list[tuple[str, str]]:
        return list(self.codes(name).items())
