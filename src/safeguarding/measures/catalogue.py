"""The indicator catalogue: one definition per measure, loaded from catalogue/*.yaml."""

from __future__ import annotations

from dataclasses import dataclass, field
from functools import cache
from pathlib import Path

from safeguarding.core import modules
from safeguarding.core.yaml_data import load_yaml

_FOLDER = Path(__file__).with_name("catalogue")
UNITS = {"count", "percent"}
POLARITIES = {"higher_is_better", "lower_is_better", "neutral"}


@dataclass(frozen=True)
class Indicator:
    id: str
    title: str
    description: str
    numerator: str
    denominator: str | None
    unit: str
    polarity: str
    period_types: tuple[str, ...]
    breakdowns: tuple[str, ...]
    source: str
    data: str
    themes: tuple[str, ...]
    benchmark: dict | None = None
    category: str | None = None
    extra: dict = field(default_factory=dict)

    @property
    def is_rate(self) -> bool:
        return self.unit == "percent"


def catalogue_files() -> list[Path]:
    """The measures' own catalogue files, then those the apps' contracts contribute."""
    return [*sorted(_FOLDER.glob("*.yaml")), *modules.catalogue_files()]


@cache
def catalogue() -> dict[str, Indicator]:
    found: dict[str, Indicator] = {}
    for path in catalogue_files():
        for raw in load_yaml(path.read_text())["indicators"]:
            raw = dict(raw)
            known = {k: raw.pop(k) for k in list(raw) if k in Indicator.__dataclass_fields__}
            indicator = Indicator(
                **{**known,
                   "period_types": tuple(known.get("period_types", ())),
                   "breakdowns": tuple(known.get("breakdowns", ())),
                   "themes": tuple(known.get("themes", ()))},
                extra=raw,
            )
            if indicator.id in found:
                raise ValueError(f"{path.name}: indicator '{indicator.id}' is defined twice")
            if indicator.unit not in UNITS or indicator.polarity not in POLARITIES:
                raise ValueError(f"{path.name}: indicator '{indicator.id}' has a bad unit or polarity")
            found[indicator.id] = indicator
    return found


def indicator(indicator_id: str) -> Indicator:
    try:
        return catalogue()[indicator_id]
    except KeyError:
        raise KeyError(f"No indicator '{indicator_id}' in the catalogue") from None


def by_theme(theme: str) -> list[Indicator]:
    return [i for i in catalogue().values() if theme in i.themes]
