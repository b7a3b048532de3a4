"""Build the engine's frames from what the apps supply through the module contract.

``measures`` reads no other app's tables: each app declares its frames in its
``contract.py`` (core/modules.py, ADR 0013) and this module asks the registry
for them. Only pseudonymous, non-identifying columns arrive here: LA code, LA
child ID (the key DfE itself uses within an LA), pseudonyms, dates and codes.
"""

from __future__ import annotations

import dataclasses
import datetime as dt
from collections.abc import Iterator
from contextlib import contextmanager
from contextvars import ContextVar
from typing import Any

import polars as pl

from safeguarding.core import modules
from safeguarding.core.calendar import non_working_days
from safeguarding.core.frames import KINDS
from safeguarding.core.models import LocalAuthority, Partnership
from safeguarding.measures.case_measures import (
    CASE_SCHEMAS,
    CHILD_DEATHS,
    LEARNING_REVIEWS,
    ModuleFrames,
)
from safeguarding.measures.engine import SCHEMAS, MeasureData, empty_frame
from safeguarding.measures.models import ModuleGoLive
from safeguarding.measures.periods import financial_year_of

ENGINE_FRAMES = {field.name for field in dataclasses.fields(MeasureData)} & set(SCHEMAS)
CASE_FRAMES = {field.name for field in dataclasses.fields(ModuleFrames)} & set(CASE_SCHEMAS)


def schema(spec: modules.FrameSpec) -> dict[str, Any]:
    """The frame's Polars schema; the engine's own frames must match what it computes on."""
    found = {column: KINDS[kind] for column, kind in spec.columns.items()}
    expected = SCHEMAS.get(spec.name) or CASE_SCHEMAS.get(spec.name)
    if expected is not None and found != expected:
        raise modules.ContractError(
            f"Frame '{spec.name}' is declared with columns {found}, but the measures read "
            f"{expected}")
    return found


def load_frame(spec: modules.FrameSpec, scope) -> pl.DataFrame:
    """One supplied frame, loaded for the LAs (or the partnership) given."""
    columns = schema(spec)
    rows = spec.load(scope)
    if isinstance(rows, pl.DataFrame):
        return rows.select(list(columns)).cast(dict(columns.items()))  # type: ignore[arg-type]
    rows = list(rows)
    if not rows:
        return pl.DataFrame(schema=columns)
    return pl.DataFrame(rows, schema=list(columns.items()), orient="row")


def supplied(las: list[str]) -> bool:
    """Whether any app supplies data by LA (the imports are installed)."""
    return any(spec.scope == "la" for spec in modules.frames().values())


# Inside a read (a page's GET, a yearly report's build) the frames of a set of LAs are
# loaded once: a report asks the cache for several sets of periods, and each set missing from
# it was computed from a fresh load of every frame (8 loads for one build of the demo's report).
_reads: ContextVar[dict[tuple[str, ...], MeasureData] | None] = ContextVar(
    "measure_data_reads", default=None)


@contextmanager
def one_read() -> Iterator[None]:
    """Load each set of LAs' data at most once in this block, and let it go at the end.

    Only for a block that reads the records the frames come from and changes none of them:
    a change inside it would not be seen by a later load. Blocks nest (the outer one holds).
    """
    if _reads.get() is not None:
        yield
        return
    token = _reads.set({})
    try:
        yield
    finally:
        _reads.reset(token)


def measure_data(las: list[str]) -> MeasureData:
    """Every frame the engine reads, for these LAs (loaded once per ``one_read`` block)."""
    reads = _reads.get()
    if reads is None:
        return _load_measure_data(las)
    key = tuple(las)
    if key not in reads:
        reads[key] = _load_measure_data(las)
    return reads[key]


def _load_measure_data(las: list[str]) -> MeasureData:
    holidays = tuple(sorted(non_working_days(range(2010, dt.date.today().year + 3))))
    frames: dict[str, pl.DataFrame] = {kind: empty_frame(kind) for kind in ENGINE_FRAMES}
    extra: dict[str, pl.DataFrame] = {}
    coverage: modules.Coverage = {}
    for contract in modules.contracts():
        if contract.coverage is not None:
            coverage.update(contract.coverage(las))
        for spec in contract.frames:
            if spec.scope != "la":
                continue
            frame = load_frame(spec, las)
            if spec.name in ENGINE_FRAMES:
                frames[spec.name] = frame
            else:
                extra[spec.name] = frame
    return MeasureData(**frames, coverage=coverage, holidays=holidays,
                       modules=module_frames(las), extra=extra, population=population_reader())


def population_reader():
    """DfE's population of children aged 0 to 17 for some LAs and a year, read once a year."""
    from safeguarding.measures.comparisons import la_population, populations

    years: dict[int, dict] = {}

    def read(las: list[str], year_ending: int):
        if year_ending not in years:
            years[year_ending] = populations(year_ending=year_ending)
        return la_population(years[year_ending], las, year_ending)

    return read


def children_for(pairs, *, partnership) -> list:
    """The child index records behind (la, LA child ID) pairs, where a return linked one."""
    children = modules.provider("children_for")
    return [] if children is None else children(pairs, partnership=partnership)


# Case work: learning reviews, child deaths and any module recorded for the partnership.

def _first_year_start(day: dt.date | None) -> dt.date | None:
    if day is None:
        return None
    return financial_year_of(day).start


def module_frames(las: list[str], *, as_of: dt.date | None = None) -> ModuleFrames:
    """The case frames of the one partnership whose LAs these are (all of them)."""
    partnership_ids = set(LocalAuthority.objects.filter(old_code__in=las)
                          .values_list("partnership_id", flat=True))
    if len(partnership_ids) != 1:
        return ModuleFrames(unavailable="Learning reviews and child deaths are counted for one "
                                        "partnership at a time")
    partnership = Partnership.objects.get(pk=partnership_ids.pop())
    every_la = set(partnership.local_authorities.values_list("old_code", flat=True))
    if set(las) != every_la:
        return ModuleFrames(unavailable=(
            "Learning reviews and child deaths are recorded for the partnership as a whole, "
            "not by local authority: choose all its local authorities"))
    return partnership_module_frames(partnership, as_of=as_of)


def _first_case_day(kind: str):
    return next((c.first_case_day[kind] for c in modules.contracts()
                 if kind in c.first_case_day), None)


def module_live_from(partnership, kind: str) -> dt.date | None:
    """The day the partnership went live with a module: the date set for it, else 1 April of
    the financial year of its first recorded case; None with no case and no date."""
    configured = (ModuleGoLive.objects.filter(partnership=partnership, module=kind)
                  .values_list("live_from", flat=True).first())
    if configured:
        return configured
    first = _first_case_day(kind)
    return None if first is None else _first_year_start(first(partnership))


def partnership_module_frames(partnership, *, as_of: dt.date | None = None) -> ModuleFrames:
    frames: dict = {}
    extra: dict = {}
    for spec in modules.frames().values():
        if spec.scope == "partnership":
            (frames if spec.name in CASE_FRAMES else extra)[spec.name] = load_frame(
                spec, partnership)
    live_from: dict[str, dt.date | None] = {LEARNING_REVIEWS: None, CHILD_DEATHS: None}
    for kind in list(live_from) + [k for c in modules.contracts() for k in c.first_case_day]:
        if _first_case_day(kind) is not None:
            live_from[kind] = module_live_from(partnership, kind)
    if as_of is None:
        # The case-work clocks' own "today" (Europe/London), so running clocks are judged alike.
        as_of = modules.today()
    return ModuleFrames(**frames, live_from=live_from, as_of=as_of, extra=extra)


def latest_data_day(las: list[str]) -> dt.date | None:
    """The last day any current return or agency extract for these LAs covers, from the
    coverage the apps' contracts declare."""
    ends = [end for c in modules.contracts() if c.coverage is not None
            for spans in c.coverage(las).values() for _, _, end in spans]
    return max(ends, default=None)
