"""The indicator catalogue: one definition per measure, loaded from catalogue/*.yaml.

Every threshold and code a measure's computation uses (45 working days, RNE ``S``,
the EET activity codes, ...) is a parameter of its definition, each with its source
and whether that source has been checked (``verified: false`` marks an inferred rule:
configuration to confirm locally). The engine reads them with ``Indicator.param`` and
holds no value of its own, so changing the catalogue changes the figure.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from safeguarding.core import modules
from safeguarding.core.yaml_data import load_yaml

_FOLDER = Path(__file__).with_name("catalogue")
UNITS = {"count", "percent"}
PARAMETER_FIELDS = {"value", "source", "verified"}
POLARITIES = {"higher_is_better", "lower_is_better", "neutral"}
LOOKBACK_FIELDS = {"data", "months", "source", "verified"}
LOOKBACK_OPTIONAL = {"unless_recorded"}


class CatalogueError(ValueError):
    pass


@dataclass(frozen=True)
class Parameter:
    """A threshold or code set a measure uses, with where it comes from."""

    name: str
    value: Any
    source: str
    verified: bool

    @property
    def label(self) -> str:
        return self.name.replace("_", " ").capitalize()

    @property
    def shown(self) -> str:
        """The value as a reader sees it: codes listed with commas."""
        if isinstance(self.value, tuple):
            return ", ".join(str(v) for v in self.value)
        return str(self.value)


@dataclass(frozen=True)
class Lookback:
    """Records from before the period that a measure needs: ``months`` before its start, of
    the data kind ``data`` (a coverage kind: "cin", "cla", ...). Where the loaded returns do
    not cover them the engine gives a reason, not a figure. ``unless_recorded`` names a
    column of the counted records (for example a plan's NumberOfPreviousCPP) that answers
    the question on its own: records that carry it need no look-back."""

    data: str
    months: int
    source: str
    verified: bool
    unless_recorded: str | None = None


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
    parameters: dict[str, Parameter] = field(default_factory=dict)
    lookback: Lookback | None = None
    extra: dict = field(default_factory=dict)

    @property
    def is_rate(self) -> bool:
        return self.unit == "percent"

    def param(self, name: str) -> Any:
        """The value of one of the measure's parameters; there is no default in code."""
        try:
            return self.parameters[name].value
        except KeyError:
            raise KeyError(f"Indicator '{self.id}' has no parameter '{name}' in the "
                           "catalogue") from None


def _parameters(file: str, indicator_id: str, raw: dict | None) -> dict[str, Parameter]:
    found = {}
    for name, spec in (raw or {}).items():
        where = f"{file}: indicator '{indicator_id}', parameter '{name}'"
        if not isinstance(spec, dict) or set(spec) != PARAMETER_FIELDS:
            raise CatalogueError(f"{where} must have exactly value, source and verified")
        if not isinstance(spec["source"], str) or not spec["source"].strip():
            raise CatalogueError(f"{where} needs a source")
        if not isinstance(spec["verified"], bool):
            raise CatalogueError(f"{where}: verified must be true or false")
        value = spec["value"]
        if value is None or value == "" or value == []:
            raise CatalogueError(f"{where} needs a value")
        found[name] = Parameter(name, tuple(value) if isinstance(value, list) else value,
                                spec["source"], spec["verified"])
    return found


def _lookback(file: str, indicator_id: str, raw: dict | None) -> Lookback | None:
    if raw is None:
        return None
    where = f"{file}: indicator '{indicator_id}', lookback"
    if not isinstance(raw, dict) or not set(raw) >= LOOKBACK_FIELDS \
            or set(raw) - LOOKBACK_FIELDS - LOOKBACK_OPTIONAL:
        raise CatalogueError(f"{where} must have data, months, source and verified "
                             "(and may have unless_recorded)")
    if not isinstance(raw["months"], int) or isinstance(raw["months"], bool) \
            or raw["months"] < 1:
        raise CatalogueError(f"{where}: months must be a whole number of 1 or more")
    if not isinstance(raw["source"], str) or not raw["source"].strip():
        raise CatalogueError(f"{where} needs a source")
    if not isinstance(raw["verified"], bool):
        raise CatalogueError(f"{where}: verified must be true or false")
    return Lookback(data=str(raw["data"]), months=raw["months"], source=raw["source"],
                    verified=raw["verified"], unless_recorded=raw.get("unless_recorded"))


def catalogue_files(folder: Path = _FOLDER) -> list[Path]:
    """The measures' own catalogue files, then those the apps' contracts contribute."""
    return [*sorted(folder.glob("*.yaml")), *modules.catalogue_files()]


@modules.cached_per_registry
def catalogue() -> dict[str, Indicator]:
    return load_catalogue(_FOLDER)


def load_catalogue(folder: Path) -> dict[str, Indicator]:
    """The definitions in a folder of catalogue files (a test may load an edited copy)."""
    found: dict[str, Indicator] = {}
    for path in catalogue_files(folder):
        for raw in load_yaml(path.read_text())["indicators"]:
            raw = dict(raw)
            known = {k: raw.pop(k) for k in list(raw) if k in Indicator.__dataclass_fields__}
            indicator = Indicator(
                **{**known,
                   "period_types": tuple(known.get("period_types", ())),
                   "breakdowns": tuple(known.get("breakdowns", ())),
                   "themes": tuple(known.get("themes", ())),
                   "parameters": _parameters(path.name, known.get("id", "?"),
                                             known.get("parameters")),
                   "lookback": _lookback(path.name, known.get("id", "?"),
                                         known.get("lookback"))},
                extra=raw,
            )
            if indicator.id in found:
                raise CatalogueError(f"{path.name}: indicator '{indicator.id}' is defined twice")
            if indicator.unit not in UNITS or indicator.polarity not in POLARITIES:
                raise CatalogueError(f"{path.name}: indicator '{indicator.id}' has a bad unit or polarity")
            found[indicator.id] = indicator
    return found


@dataclass(frozen=True)
class SubCounts:
    """Count measures that are parts of another count measure, declared in a catalogue
    file's ``disclosure_groups`` block: the parts are disjoint subsets of the total (one
    part alone is a subset). Disclosure control hides enough of them that the total less
    the parts (the records in none of them) never gives a small number away."""

    total: str
    parts: tuple[str, ...]
    file: str


@modules.cached_per_registry
def disclosure_groups() -> list[SubCounts]:
    return load_disclosure_groups(_FOLDER, catalogue())


def load_disclosure_groups(folder: Path, defs: dict[str, Indicator]) -> list[SubCounts]:
    """The sub-count groups of a folder's catalogue files, each checked: its measures exist,
    are counts of the same data kind, and no part is the total or named twice."""
    found = []
    for path in catalogue_files(folder):
        for raw in load_yaml(path.read_text()).get("disclosure_groups") or []:
            total, parts = raw.get("total"), tuple(raw.get("parts") or ())
            where = f"{path.name}: disclosure group of '{total}'"
            if not parts or len(set(parts)) != len(parts) or total in parts:
                raise CatalogueError(f"{where} needs distinct parts other than its total")
            for measure_id in (total, *parts):
                ind = defs.get(measure_id)
                if ind is None:
                    raise CatalogueError(f"{where} names '{measure_id}', which is not a measure")
                if ind.unit != "count" or ind.data != defs[total].data:
                    raise CatalogueError(f"{where}: '{measure_id}' is not a count of the "
                                         f"same data ({defs[total].data}) as its total")
            found.append(SubCounts(total, parts, path.name))
    return found


def indicator(indicator_id: str) -> Indicator:
    try:
        return catalogue()[indicator_id]
    except KeyError:
        raise KeyError(f"No indicator '{indicator_id}' in the catalogue") from None


def by_theme(theme: str) -> list[Indicator]:
    return [i for i in catalogue().values() if theme in i.themes]
