"""Reading the project's YAML data files (specs, code lists, catalogues, schedules).

libyaml's C loader when PyYAML was built with it: the pure-Python loader took
a tenth of a second of every command's start-up on the CIN spec alone. Both
are the safe loader: plain data, no Python objects.
"""

from __future__ import annotations

from typing import Any

import yaml

_LOADER = getattr(yaml, "CSafeLoader", yaml.SafeLoader)


def load_yaml(text: str) -> Any:
    return yaml.load(text, Loader=_LOADER)  # noqa: S506 - a safe loader, C or Python
