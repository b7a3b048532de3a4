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
    # The report section it is a part of, where not "The work of our sub-groups" (for
    # example "critical-moments": Operation Encompass, exclusions, persistent absence).
    part_of: str = ""
    # How each measure is said, by measure id: a template ({value}, {out_of}, {year}; no
    # full stop), or (for exactly one, for any other number) so that "1 child was" and
    # "2 children were" both read right. A measure not here is said as "title: value".
    sentences: dict[str, str | tuple[str, str]] = field(default_factory=dict)
    # Nouns for the year-on-year phrase, by measure id: (any other number, exactly one).
    nouns: dict[str, tuple[str, str]] = field(default_factory=dict)


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
class EvidenceItem:
    """What an app holds for one statutory item of the yearly report's compliance annex
    (Working Together 2018): whether the records show it for the year, a line saying what
    they show, and where to see it. ``present`` False with a ``detail`` says what is missing."""

    title: str
    present: bool
    detail: str = ""
    url: str = ""


@dataclass(frozen=True)
class TriangulationItem:
    """One thing beside a dashboard theme's measures: an audit finding, a survey result, a
    review's theme or an open action. ``grade`` is the finding's grade or a RAG, if any;
    ``previous_grade`` the same thing's grade a year earlier, for comparison."""

    kind: Literal["audit", "survey", "review", "action"]
    title: str
    summary: str = ""
    url: str = ""
    grade: str = ""
    previous_grade: str = ""


@dataclass(frozen=True)
class CommitmentOutcome:
    """A commitment a yearly report made ("focus for next year") and what became of it:
    ``outcome`` is "kept", "missed" or "in_progress"; ``section`` the report section whose
    focus block made it."""

    text: str
    outcome: str
    section: str = ""
    owner: str = ""
    due: dt.date | None = None
    evidence: str = ""
    url: str = ""


@dataclass(frozen=True)
class PriorityView:
    """One of the partnership's priorities for the report's year, with its objectives."""

    key: str
    title: str
    summary: str = ""
    objectives: tuple[str, ...] = ()
    url: str = ""


@dataclass(frozen=True)
class BodySummary:
    """A board, sub-group or task group's year for the report's sub-group sections:
    meetings held and quorate, attendance by agency (agency, meetings attended, meetings
    expected), decisions, and the commitments it led kept, missed and still open.
    ``section`` is the report's sub-group section it belongs under, if one matches."""

    name: str
    section: str = ""
    meetings_held: int = 0
    meetings_quorate: int = 0
    attendance: tuple[tuple[str, int, int], ...] = ()
    decisions: tuple[str, ...] = ()
    commitments_kept: int = 0
    commitments_missed: int = 0
    commitments_open: int = 0
    url: str = ""


# The engine's result for a measure id as the published report shows it (report_text).
PublishedFigure = Callable[[str], Any]


@dataclass(frozen=True)
class ReportText:
    """Sentences an app says from its records in a section of the yearly report, beside the
    section's measures: audits completed and their findings, survey results and what
    changed. ``section`` is the report section's key (a ``ReportSection``'s, or one of the
    report's own sub-group sections: "scrutiny", "practice-reviews", "child-deaths",
    "learning"). Plain text, each sentence right for 0, 1 and many (core/grammar.py); never
    names a child, and a count of people from 1 to 4 is withheld.

    A number the measure engine computes is not counted again from the records: the
    contract's ``report_text`` is given ``figure``, which returns the engine's result for a
    measure id as the published report shows it (``value`` None when disclosure control
    hides it or nothing is recorded), or None when the partnership has no data at all."""

    section: str
    sentences: tuple[str, ...]


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
    # Data kinds whose figures count no person: audits, meetings, briefings, policies. They
    # are shown in full to everyone who sees the dashboard, and in published documents:
    # disclosure control protects people, and none is behind these (ADR 0039). A kind
    # counting children, families or staff answering (voice) is never declared here.
    counts_no_person: frozenset[str] = frozenset()
    # The yearly report's compliance annex: ``report_evidence(partnership, year)`` -> the
    # statutory items this app can answer, by item key (reports lists the keys), with a
    # period (measures.periods.Period) for the year.
    report_evidence: Callable[[Any, Any], dict[str, EvidenceItem]] | None = None
    # Beside a dashboard theme's measures: ``triangulation(partnership, theme_key, period)``.
    triangulation: Callable[[Any, str, Any], list[TriangulationItem]] | None = None
    # Commitments a published yearly report made, and their outcome: ``commitments(
    # partnership, year_made)`` -> CommitmentOutcome list, or None if the app keeps none.
    # The app keeping them connects to core.signals.report_published to create them.
    report_commitments: Callable[[Any, str], list[CommitmentOutcome] | None] | None = None
    # The partnership's priorities for a report year (label like "2020-21"), and its
    # bodies' year (meetings, attendance, decisions, commitments) for a Period.
    report_priorities: Callable[[Any, str], list[PriorityView]] | None = None
    report_bodies: Callable[[Any, Any], list[BodySummary]] | None = None
    # Sentences from the app's records for sections of the yearly report: ``report_text(
    # partnership, period, figure)`` -> ReportText list (a Period for the report's year;
    # ``figure(measure_id)`` the engine's published result, see ReportText).
    report_text: Callable[[Any, Any, PublishedFigure], list[ReportText]] | None = None


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


def no_person_kinds() -> frozenset[str]:
    """The data kinds whose figures count no person, so no disclosure control applies."""
    return frozenset(kind for c in contracts() for kind in c.counts_no_person)


def report_evidence(partnership: Any, period: Any) -> dict[str, EvidenceItem]:
    """Every contract's answers for the compliance annex; a later app's answer for the same
    item is kept only if the earlier ones found nothing present."""
    found: dict[str, EvidenceItem] = {}
    for c in contracts():
        if c.report_evidence is None:
            continue
        for key, item in c.report_evidence(partnership, period).items():
            if key not in found or (item.present and not found[key].present):
                found[key] = item
    return found


def triangulation(partnership: Any, theme_key: str, period: Any) -> list[TriangulationItem]:
    """What the contracts put beside a theme's measures, in registration order."""
    return [item for c in contracts() if c.triangulation is not None
            for item in c.triangulation(partnership, theme_key, period)]


def report_commitments(partnership: Any, year_made: str) -> list[CommitmentOutcome] | None:
    """The first app that keeps the report's commitments answers; None if none does."""
    for c in contracts():
        if c.report_commitments is not None:
            found = c.report_commitments(partnership, year_made)
            if found is not None:
                return found
    return None


def report_priorities(partnership: Any, year: str) -> list[PriorityView]:
    return [p for c in contracts() if c.report_priorities is not None
            for p in c.report_priorities(partnership, year)]


def report_bodies(partnership: Any, period: Any) -> list[BodySummary]:
    return [b for c in contracts() if c.report_bodies is not None
            for b in c.report_bodies(partnership, period)]


def report_text(partnership: Any, period: Any,
                figure: PublishedFigure) -> dict[str, list[str]]:
    """The sentences the contracts say in each report section, by section key, in
    registration order."""
    found: dict[str, list[str]] = {}
    for c in contracts():
        if c.report_text is None:
            continue
        for text in c.report_text(partnership, period, figure):
            found.setdefault(text.section, []).extend(text.sentences)
    return found
