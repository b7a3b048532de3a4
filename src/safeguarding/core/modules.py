"""The module contract: what each app gives the rest of the house, declared in one registry.

An app declares its contribution in its own ``contract.py`` (a ``ModuleContract``)
and registers it from its ``AppConfig.ready()``. ``measures`` loads data only
through ``frames()``; the dashboard, the API and the yearly report find the
catalogue files, themes and report sections here. This module imports no app,
so any app may register and ``measures``, ``reports`` and ``core`` import none of
them (docs/architecture.md, "The module contract"; ADR 0013).

A frame is pseudonymous: dates, codes, LA codes, LA child IDs and pseudonyms, never
a name, an NHS number, a UPN or an address. ``register`` refuses a frame that
says otherwise or names an identifying column.
"""

from __future__ import annotations

import datetime as dt
import functools
from collections.abc import Callable, Iterable, Sequence
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any, Literal, TypeVar

# Column types by simple name, so a contract need not import Polars.
COLUMN_TYPES = ("str", "int", "int32", "bool", "date", "datetime", "list[str]")
# Columns no frame may carry: they name a person or lead straight to one.
IDENTIFYING = frozenset({"name", "first_name", "last_name", "full_name", "nhs_number", "upn",
                         "address", "postcode", "email", "phone", "birth_name"})

# (la, first day, last day) spans an import covers, by coverage kind ("cin", "missing"...).
Coverage = dict[str, list[tuple[str, dt.date, dt.date]]]


@dataclass(frozen=True)
class FrameSpec:
    """One frame an app supplies to the measure engine.

    ``scope`` says what ``load`` is given: "la" frames get the LA old codes and
    carry ``la`` and ``child`` columns; "partnership" frames (case work recorded
    for the partnership as a whole) get the partnership. ``load`` returns rows
    in the order of ``columns`` (tuples), or a Polars DataFrame.
    """

    name: str
    columns: dict[str, str]
    load: Callable[[Any], Iterable[Sequence[Any]] | Any]
    scope: Literal["la", "partnership"] = "la"
    pseudonymous: bool = True


@dataclass(frozen=True)
class Theme:
    """A dashboard theme: its address, the catalogue theme it shows, its title and intro."""

    slug: str
    key: str
    title: str
    intro: str = ""


@dataclass(frozen=True)
class ReportSection:
    """A section of the yearly report under "The work of our sub-groups": its catalogue
    measures, each told as a numbered figure, and a sentence to open it."""

    key: str
    title: str
    measures: tuple[str, ...] = ()
    intro: str = ""


@dataclass(frozen=True)
class HomeItem:
    """One piece of work on a person's home page (issue 18), linking to where it is done.

    ``kind`` groups the queue: "clock" (a statutory clock due or overdue), "action" (an
    action the person owns), "linkage", "import", "acknowledge" (awaiting their
    acknowledgement), "return" (a return or form they owe), "review" (a record due review).
    ``title`` never names a child: use a reference (a review's reference, an episode's
    number), since the home page is not a read through the door.
    """

    kind: str
    title: str
    url: str
    due: dt.date | None = None
    overdue: bool = False
    detail: str = ""


@dataclass(frozen=True)
class HomeFact:
    """One line of a partnership's picture on the business unit's home page (issue 18):
    when the figures were last recomputed, how fresh each return is, the next statutory
    deadlines. ``group`` is "figures", "freshness" or "deadline"; never names a child."""

    group: str
    label: str
    value: str
    url: str = ""
    due: dt.date | None = None


@dataclass(frozen=True)
class ModuleContract:
    """Everything one app contributes; every field but ``app_label`` is optional."""

    app_label: str
    frames: tuple[FrameSpec, ...] = ()
    # Which spans of time the app's imported data cover, for the LAs asked for.
    coverage: Callable[[list[str]], Coverage] | None = None
    # Case-work modules the app records: module kind -> the day of its first case.
    first_case_day: dict[str, Callable[[Any], dt.date | None]] = field(default_factory=dict)
    catalogue: Path | None = None
    themes: tuple[Theme, ...] = ()
    report_sections: tuple[ReportSection, ...] = ()
    # The work this person has in the app: ``home_items(user)`` -> HomeItem list, only of
    # records the person's seats may act on (core.roles), never naming a child.
    home_items: Callable[[Any], list[HomeItem]] | None = None
    # The partnership's picture for its business unit: ``home_picture(user)`` -> HomeFact
    # list, only of the partnerships where the user sits in the business unit.
    home_picture: Callable[[Any], list[HomeFact]] | None = None
    # Whether a change to the app's records makes cached figures stale.
    records_feed_figures: bool = False
    # What cached figures were computed from, beyond records: parts of the data version
    # and words for the dashboard (imports loaded, the latest one).
    data_version: Callable[[Any], dict] | None = None
    data_summary: Callable[[Any], dict] | None = None
    # The day case-work clocks run against (Europe/London), if the app keeps clocks.
    today: Callable[[], dt.date] | None = None
    # Benchmarks for a measure, and the child index records behind listed figures.
    benchmarks: Callable[..., dict] | None = None
    # DfE's population of children aged 0 to 17 by geography and year (rates per 10,000).
    population: Callable[..., dict] | None = None
    children_for: Callable[..., list] | None = None
    # Data kinds (a catalogue measure's ``data``) whose true numbers the app shows only
    # to some people: kind -> whether this user sees them in full for this partnership.
    # Everyone else sees those figures through disclosure control (core/disclosure.py).
    sees_in_full: dict[str, Callable[[Any, Any], bool]] = field(default_factory=dict)


T = TypeVar("T")

_REGISTRY: dict[str, ModuleContract] = {}
# Counts changes to the registry, so what is worked out from it is worked out again.
_generation = 0


class ContractError(ValueError):
    """A contract that breaks the rules, named with the app and the frame."""


def _check(contract: ModuleContract) -> None:
    for spec in contract.frames:
        where = f"{contract.app_label}: frame '{spec.name}'"
        if not spec.pseudonymous:
            raise ContractError(f"{where} is not pseudonymous; only pseudonymous frames are "
                                f"supplied to the measures")
        if bad := sorted(IDENTIFYING & set(spec.columns)):
            raise ContractError(f"{where} names identifying columns: {', '.join(bad)}")
        if bad := sorted(c for c, t in spec.columns.items() if t not in COLUMN_TYPES):
            raise ContractError(f"{where} has columns of an unknown type: {', '.join(bad)} "
                                f"(use one of {', '.join(COLUMN_TYPES)})")
        if spec.scope == "la" and not {"la", "child"} <= set(spec.columns):
            raise ContractError(f"{where} is by LA but has no 'la' and 'child' columns")
        taken = next((c.app_label for c in _REGISTRY.values() if c.app_label != contract.app_label
                      and any(f.name == spec.name for f in c.frames)), None)
        if taken:
            raise ContractError(f"{where} is already supplied by {taken}")


def register(contract: ModuleContract) -> ModuleContract:
    """Add (or replace) an app's contract; called from the app's ``AppConfig.ready()``."""
    global _generation
    _check(contract)
    _REGISTRY[contract.app_label] = contract
    _generation += 1
    return contract


def unregister(app_label: str) -> None:
    global _generation
    if _REGISTRY.pop(app_label, None) is not None:
        _generation += 1


def cached_per_registry(func: Callable[[], T]) -> Callable[[], T]:
    """Keep a function's result (the catalogue, the digest of what defines the figures)
    until a contract is registered or removed; ``cache_clear()`` forgets it at once."""
    kept: dict[int, T] = {}

    @functools.wraps(func)
    def wrapper() -> T:
        generation = _generation
        if generation not in kept:
            value = func()
            kept.clear()
            kept[generation] = value
        return kept[generation]

    wrapper.cache_clear = kept.clear  # type: ignore[attr-defined]
    return wrapper


def contracts() -> list[ModuleContract]:
    """The registered contracts, in registration (INSTALLED_APPS) order."""
    return list(_REGISTRY.values())


def contract(app_label: str) -> ModuleContract | None:
    return _REGISTRY.get(app_label)


def frames() -> dict[str, FrameSpec]:
    """Every frame supplied, by name."""
    return {spec.name: spec for c in contracts() for spec in c.frames}


def provider(name: str) -> Callable | None:
    """The first registered contract's callable of that name (``benchmarks``, ``today``...)."""
    return next((getattr(c, name) for c in contracts() if getattr(c, name) is not None), None)


def today() -> dt.date:
    """The day case-work clocks run against: the registered clock's, else the local date."""
    clock = provider("today")
    if clock is not None:
        return clock()
    from django.utils import timezone

    return timezone.localdate()


def catalogue_files() -> list[Path]:
    """The catalogue files the apps contribute, besides the measures' own."""
    return [c.catalogue for c in contracts() if c.catalogue is not None]


def themes() -> list[Theme]:
    return [theme for c in contracts() for theme in c.themes]


def report_sections() -> list[ReportSection]:
    return [section for c in contracts() for section in c.report_sections]


def full_view_rules() -> dict[str, Callable[[Any, Any], bool]]:
    """Per data kind, the owning app's rule for who sees its figures in full."""
    return {kind: rule for c in contracts() for kind, rule in c.sees_in_full.items()}
