"""Cached indicator results: the data version, read-through, rebuild and background recompute.

A document (``IndicatorResults``) holds every catalogue measure for one
partnership, period and LA scope, tagged with the data version it was computed
from. The data version digests everything the figures depend on:

- the measures' definitions (catalogue YAML and this package's code), so a new
  or changed measure makes every document stale;
- what each app's contract adds (core/modules.py): for the imports, the loaded
  imports that can feed the partnership (its own, any for its LAs, and DfE's
  tables, which are shared);
- the records of the apps whose contract says they feed the figures (reviews and
  child deaths; ``MEASURES_SOURCE_APPS`` names others) and the statistical
  neighbours: count, highest id and last change of each table, and how many times
  a record of theirs was saved or deleted (``RecordsChanged``, counted on each save).

Readers (dashboard, CLI, API) ask for the periods they show; documents whose
version is current are used as they are, the others are computed and stored
then. After every loaded import ``recompute_request`` queues a background
recompute of the standard periods, so the next reader finds them ready.
Targets and RAG are never stored: they are applied when a document is read.
"""

from __future__ import annotations

import dataclasses
import datetime as dt
import hashlib
import json
import logging
import time
from collections import Counter
from collections.abc import Iterable, Iterator
from contextlib import contextmanager, suppress
from contextvars import ContextVar
from dataclasses import dataclass, field, fields
from pathlib import Path

from django.apps import apps
from django.conf import settings
from django.db import DatabaseError, connection, models
from django.db.models import F, Q
from django.db.transaction import TransactionManagementError
from django.utils import timezone

from safeguarding.core import modules
from safeguarding.core.models import Partnership, User
from safeguarding.measures import charts, selectors, sources
from safeguarding.measures.catalogue import catalogue
from safeguarding.measures.engine import Engine, MeasureData, Result
from safeguarding.measures.models import (
    IndicatorRecompute,
    IndicatorResults,
    RecomputeStatus,
    RecordsChanged,
    StatisticalNeighbour,
)
from safeguarding.measures.periods import Period, financial_year, financial_year_of

logger = logging.getLogger(__name__)

# The most recent financial years with data get their quarters and months; the two
# years before each get the year and quarters the dashboard's trend charts show, and
# their months, which disclosure control reads with them (core/disclosure.py).
RECENT_YEARS = 3
TREND_YEARS = 2
STUCK_AFTER = dt.timedelta(hours=1)


# Data version ----------------------------------------------------------------

# Modules that present figures without changing them: editing them keeps the cache.
PRESENTATION = frozenset({"views.py", "forms.py", "urls.py", "api.py", "rules.py", "apps.py",
                          "admin.py", "tasks.py", "charts.py", "phrasing.py", "home.py",
                          "overview.py", "board_pack.py"})


@modules.cached_per_registry
def definitions_digest() -> str:
    """A digest of what defines the figures: the catalogue YAML and the measures code."""
    folder = Path(__file__).parent
    digest = hashlib.sha256()
    for path in sorted([*folder.rglob("*.py"), *folder.rglob("*.yaml")]):
        if {"migrations", "management", "templates"} & set(path.parts) \
                or path.name in PRESENTATION:
            continue
        digest.update(str(path.relative_to(folder)).encode())
        digest.update(path.read_bytes())
    for path in modules.catalogue_files():  # the apps' own measures, by contract
        digest.update(path.name.encode())
        digest.update(path.read_bytes())
    return digest.hexdigest()[:16]


@modules.cached_per_registry
def source_models() -> tuple[type[models.Model], ...]:
    """The tables, besides imports, whose changes make cached figures stale: those of the
    apps whose contract says their records feed the figures, unless settings name them."""
    labels = getattr(settings, "MEASURES_SOURCE_APPS", None)
    if labels is None:
        labels = [c.app_label for c in modules.contracts() if c.records_feed_figures]
    found: list[type[models.Model]] = [StatisticalNeighbour]
    for label in labels:
        if label in apps.app_configs:
            found += [m for m in apps.get_app_config(label).get_models()
                      if not m._meta.proxy and not m._meta.auto_created]
    return tuple(found)


def _changed_column(model) -> str | None:
    stamps = [f for f in model._meta.concrete_fields
              if getattr(f, "auto_now", False) or getattr(f, "auto_now_add", False)]
    stamps.sort(key=lambda f: not f.auto_now)  # a last-changed stamp beats a created one
    return stamps[0].column if stamps else None


def _records_fingerprint(partnership: Partnership) -> list:
    """Count, highest id and last change of each source table, in one query.

    Tables with a partnership column are read for this partnership only (and the
    rows that belong to no partnership, such as national themes); the
    others (findings...) as a whole, which can only make a document
    stale too early, never too late.
    """
    quote = connection.ops.quote_name
    parts, params = [], []
    for n, model in enumerate(source_models()):
        pk = model._meta.pk
        top = (f"MAX({quote(pk.column)})"
               if isinstance(pk, models.AutoField | models.BigAutoField | models.IntegerField)
               else "NULL")
        changed = _changed_column(model)
        last = f"CAST(MAX({quote(changed)}) AS VARCHAR(40))" if changed else "NULL"
        where = ""
        owner = _owner_field(model)
        if owner is not None:
            # A record with no partnership (a national theme) is every partnership's.
            where = f" WHERE {quote(owner.column)} = %s"
            if owner.null:
                where = f" WHERE ({quote(owner.column)} = %s OR {quote(owner.column)} IS NULL)"
            params.append(partnership.pk)
        # Identifiers come from model metadata, quoted; the one value is a parameter.
        parts.append(f"SELECT {n}, COUNT(*), {top}, {last} "  # noqa: S608
                     f"FROM {quote(model._meta.db_table)}{where}")
    with connection.cursor() as cursor:
        cursor.execute(" UNION ALL ".join(parts), params)
        rows = sorted(cursor.fetchall())
    return [[source_models()[n]._meta.label, count, top, str(last) if last else None]
            for n, count, top, last in rows]


def _owner_field(model):
    """The model's own ``partnership`` column, or None for a record of no one partnership."""
    return next((f for f in model._meta.concrete_fields if f.name == "partnership"), None)


def record_changed(sender, instance, raw: bool = False, **_) -> None:
    """A source record was saved or deleted (post_save, post_delete): count the change for
    its partnership, or for every partnership when it has none of its own (``*``).

    A table's count, highest id and last time stamp (``_records_fingerprint``) miss a
    record changed in place in a table with no time stamp; this count does not. Saves
    made by a fixture load (``raw``) and rows written in bulk (an import, which sends
    ``data_loaded``) send no signal and are left to the fingerprint."""
    if raw or sender not in _source_set():
        return
    field = _owner_field(sender)
    owner = getattr(instance, field.attname, None) if field is not None else None
    key = str(owner) if owner is not None else "*"
    held = _held_changes.get()
    if held is not None:
        held[key] += 1
    else:
        _count_changes(key, 1)


def _count_changes(key: str, changes: int) -> None:
    if not RecordsChanged.objects.filter(key=key).update(changes=F("changes") + changes):
        _found, created = RecordsChanged.objects.get_or_create(key=key,
                                                               defaults={"changes": changes})
        if not created:  # made by another request since the update above
            RecordsChanged.objects.filter(key=key).update(changes=F("changes") + changes)


# Changes counted in memory inside ``changes_counted_in_memory`` (key: count).
_held_changes: ContextVar[Counter | None] = ContextVar("measures_held_changes", default=None)


def _write_held_changes() -> None:
    held = _held_changes.get()
    while held:
        key, changes = held.popitem()
        _count_changes(key, changes)


@contextmanager
def changes_counted_in_memory() -> Iterator[None]:
    """Count the source records saved in the block in memory, and add each partnership's
    count to ``RecordsChanged`` once: when the figures' data version is read (``_changes``)
    and at the end. One UPDATE per partnership, not one per save: the demo's build saves
    about 16,000 such records through the services, one at a time.

    A figure read inside the block sees every change made before it. After a failure the
    count is still added where the database allows (counting too many only makes cached
    figures stale early); where it does not, the open transaction is being rolled back,
    and the records with it."""
    token = _held_changes.set(Counter())
    try:
        yield
    except BaseException:
        with suppress(DatabaseError, TransactionManagementError):
            _write_held_changes()
        raise
    else:
        _write_held_changes()
    finally:
        _held_changes.reset(token)


@modules.cached_per_registry
def _source_set() -> frozenset:
    return frozenset(source_models())


def _changes(partnership: Partnership) -> dict[str, int]:
    _write_held_changes()
    return dict(RecordsChanged.objects.filter(key__in=[str(partnership.pk), "*"])
                .values_list("key", "changes"))


def data_version(partnership: Partnership) -> str:
    """The version of everything the partnership's figures are computed from."""
    # Case-work clocks run against today (an action becomes overdue, a review late),
    # so figures computed on an earlier day are stale even when no record changed.
    parts: dict = {"definitions": definitions_digest(),
                   "records": _records_fingerprint(partnership),
                   "changes": _changes(partnership),
                   "today": modules.today().isoformat()}
    for contract in modules.contracts():
        if contract.data_version is not None:
            parts.update(contract.data_version(partnership))
    text = json.dumps(parts, sort_keys=True, default=str)
    return hashlib.sha256(text.encode()).hexdigest()[:32]


def data_summary(partnership: Partnership) -> dict:
    """What the figures were computed from, in words the dashboard can show."""
    summary: dict = {"imports": 0, "latest_import": None}
    for contract in modules.contracts():
        if contract.data_summary is not None:
            summary.update(contract.data_summary(partnership))
    changes = [last for _, _, _, last in _records_fingerprint(partnership) if last]
    summary["records_changed_at"] = max(changes) if changes else None
    # The spans of days the data cover, for the dashboard's list of periods.
    summary["data_spans"] = sorted({(start.isoformat(), end.isoformat())
                                    for start, end in selectors.data_spans(partnership)})
    return summary


# Periods ---------------------------------------------------------------------

def standard_periods(coverage: dict[str, list[tuple[str, dt.date, dt.date]]],
                     today: dt.date | None = None) -> list[Period]:
    """The periods a recompute fills: recent years with data, their quarters and months.

    Without any coverage (measures from module records only) the current
    financial year and the ones before it stand in.
    """
    starts: set[int] = set()
    for spans in coverage.values():
        for _la, start, end in spans:
            first, last = financial_year_of(start), financial_year_of(end)
            starts.update(range(first.start.year, last.start.year + 1))
    if not starts:
        current = financial_year_of(today or dt.date.today()).start.year
        starts = set(range(current - RECENT_YEARS + 1, current + 1))
    recent = sorted(starts)[-RECENT_YEARS:]
    wanted: dict[str, Period] = {}
    for year_start in recent:
        year = financial_year(year_start)
        for period in (year, *year.quarters(), *year.months()):
            wanted[period.label] = period
        for back in range(1, TREND_YEARS + 1):
            earlier = financial_year(year_start - back)
            # Months too: disclosure control works on a year with its quarters and months.
            for period in (earlier, *earlier.quarters(), *earlier.months()):
                wanted.setdefault(period.label, period)
    return sorted(wanted.values(), key=lambda p: (p.start, p.kind != "year", p.end))


# Reading ---------------------------------------------------------------------

_RESULT_FIELDS = frozenset(f.name for f in fields(Result))


def _result(row: dict) -> Result:
    return Result(**{k: v for k, v in row.items() if k in _RESULT_FIELDS})


@dataclass
class ResultSet:
    """Cached documents for some periods of one partnership and scope, all of one data version."""

    partnership: Partnership
    scope: str
    version: str
    documents: dict[str, IndicatorResults]
    computed_now: list[str] = field(default_factory=list)
    # Each period's rows by measure id, and each result once made (a board pack reads some
    # 300,000 results from its sets; results are frozen, so one object serves every reader).
    _rows_by_id: dict[str, dict[str, dict]] = field(default_factory=dict, repr=False)
    _results: dict[tuple[str, str], Result] = field(default_factory=dict, repr=False)

    def rows(self, period: Period) -> list[dict]:
        return self.documents[period.label].results

    def result(self, period: Period, indicator_id: str) -> Result:
        key = (period.label, indicator_id)
        found = self._results.get(key)
        if found is None:
            rows = self._rows_by_id.get(period.label)
            if rows is None:
                rows = self._rows_by_id[period.label] = {row["id"]: row
                                                         for row in self.rows(period)}
            if indicator_id not in rows:
                raise KeyError(f"no result for {indicator_id!r} in {period.label}")
            found = self._results[key] = _result(rows[indicator_id])
        return found

    def value(self, period: Period, indicator_id: str):
        return self.result(period, indicator_id).value

    def benchmarks(self, period: Period, indicator_id: str) -> dict | None:
        return self.documents[period.label].benchmarks.get(indicator_id)

    def document(self, period: Period) -> IndicatorResults:
        return self.documents[period.label]


def _scope(partnership: Partnership, la: str | None) -> tuple[str, list[str]]:
    codes = selectors.partnership_las(partnership)
    if la is None:
        return "", codes
    if la not in codes:
        selectors.partnership_las(partnership, la)  # raises UnknownLocalAuthority, naming the LAs
    return ("" if len(codes) == 1 else la), [la]


def results_for(*, partnership: Partnership, periods: Iterable[Period],
                la: str | None = None) -> ResultSet:
    """Current documents for the periods, computing and storing any that are missing or stale."""
    wanted = {p.label: p for p in periods}
    scope, las = _scope(partnership, la)
    version = data_version(partnership)
    found = {doc.period: doc for doc in IndicatorResults.objects.filter(
        partnership=partnership, scope=scope, data_version=version, period__in=list(wanted))}
    missing = [p for label, p in wanted.items() if label not in found]
    if missing:
        data = sources.measure_data(las)
        made = _compute(partnership, scope, las, missing, data, version, data_summary(partnership))
        _store(made)
        found.update({doc.period: doc for doc in made})
    return ResultSet(partnership, scope, version, found, [p.label for p in missing])


def _compute(partnership: Partnership, scope: str, las: list[str], periods: list[Period],
             data: MeasureData, version: str, summary: dict) -> list[IndicatorResults]:
    if scope:
        # The frames are the whole partnership's; the case-work modules are counted for
        # the partnership as a whole, so an LA on its own gets their "not by LA" answer.
        data = dataclasses.replace(data, modules=sources.module_frames(las))
    engine = Engine(data)
    defs = catalogue()
    made = []
    for period in periods:
        started = time.perf_counter()
        results = engine.compute(period, las)
        benchmarks = selectors.benchmarks_of([defs[res.id] for res in results],
                                             partnership=partnership, period=period, las=las)
        made.append(IndicatorResults(
            partnership=partnership, period=period.label, scope=scope, data_version=version,
            data_summary=summary, computed_at=timezone.now(),
            duration_ms=int((time.perf_counter() - started) * 1000),
            results=[r.as_dict() for r in results], benchmarks=benchmarks))
    return made


def _store(documents: list[IndicatorResults]) -> None:
    if documents:
        IndicatorResults.objects.bulk_create(
            documents, update_conflicts=True, unique_fields=["partnership", "period", "scope"],
            update_fields=["data_version", "data_summary", "computed_at", "duration_ms",
                           "results", "benchmarks"], batch_size=200)


def pending_recompute(partnership: Partnership) -> IndicatorRecompute | None:
    """The recompute waiting or running for the partnership, if any.

    One "running" for longer than STUCK_AFTER was left by a worker that died; it
    is not shown as under way.
    """
    live = Q(status=RecomputeStatus.QUEUED) | Q(status=RecomputeStatus.RUNNING,
                                                started_at__gte=timezone.now() - STUCK_AFTER)
    return (IndicatorRecompute.objects.filter(live, partnership=partnership)
            .order_by("requested_at", "pk").first())


# Writing ---------------------------------------------------------------------

def results_rebuild(*, actor: User | None, partnership: Partnership,
                    periods: list[Period] | None = None,
                    warm_charts: bool = True) -> tuple[int, str]:
    """Compute and store the standard periods (or those given) for every scope, now.

    ``warm_charts=False`` leaves the dashboard's charts to be drawn when first shown (the
    demo's build: drawing them all is most of its time).

    Returns the number of documents written and the data version. The version
    is read before the data, so a document can only be tagged older than what
    it holds (and be recomputed once more), never newer.
    """
    del actor  # anyone who may run the command may rebuild; kept for the service signature
    started = timezone.now()
    version = data_version(partnership)
    summary = data_summary(partnership)
    codes = selectors.partnership_las(partnership)
    data = sources.measure_data(codes)
    chosen = periods if periods is not None else standard_periods(data.coverage)
    scopes = [("", codes)] + ([(code, [code]) for code in codes] if len(codes) > 1 else [])
    written = 0
    for scope, las in scopes:
        documents = _compute(partnership, scope, las, chosen, data, version, summary)
        _store(documents)
        written += len(documents)
        if scope == "" and warm_charts and getattr(settings, "MEASURES_WARM_CHARTS", True):
            everything = ResultSet(partnership, scope, version, {d.period: d for d in documents})
            charts.warm(everything, [p for p in chosen if p.kind == "year"])
    # Recomputes asked for before this one started are covered by it: their
    # imports were loaded before the version above was read.
    IndicatorRecompute.objects.filter(partnership=partnership, status=RecomputeStatus.QUEUED,
                                      requested_at__lte=started).update(
        status=RecomputeStatus.COVERED, finished_at=timezone.now(), data_version=version)
    return written, version


def recompute_run(*, recompute_id: int) -> IndicatorRecompute | None:
    """Run a queued recompute (the background task); a recompute already covered does nothing."""
    claimed = IndicatorRecompute.objects.filter(pk=recompute_id, status=RecomputeStatus.QUEUED) \
        .update(status=RecomputeStatus.RUNNING, started_at=timezone.now())
    record = IndicatorRecompute.objects.select_related("partnership").filter(pk=recompute_id).first()
    if not claimed or record is None:
        return record
    started = time.perf_counter()
    try:
        record.periods, record.data_version = results_rebuild(actor=None,
                                                              partnership=record.partnership)
        record.status = RecomputeStatus.DONE
    except Exception as error:
        logger.exception("Indicator recompute %s stopped by a fault", record.pk)
        record.status, record.error = RecomputeStatus.FAILED, str(error)[:500]
    record.finished_at = timezone.now()
    record.duration_ms = int((time.perf_counter() - started) * 1000)
    record.save(update_fields=["status", "error", "periods", "data_version", "finished_at",
                               "duration_ms"])
    return record


def results_rebuild_daily(*, on: dt.date) -> dict:
    """The morning rebuild (core/data/schedules.yaml): every partnership's standard periods.

    Case-work clocks run against the day, so yesterday's documents are stale this
    morning; rebuilding them before people arrive keeps the first page read fast.
    """
    documents = 0
    partnerships = list(Partnership.objects.order_by("code"))
    for partnership in partnerships:
        written, _ = results_rebuild(actor=None, partnership=partnership)
        documents += written
    return {"partnerships": len(partnerships), "documents": documents, "day": on.isoformat()}
