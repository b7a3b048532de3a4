"""Reads: the indicator document for a partnership and period, targets and RAG status."""

from __future__ import annotations

import datetime as dt
import threading
from collections import OrderedDict
from collections.abc import Iterable
from dataclasses import replace
from decimal import Decimal

from safeguarding.core import disclosure, modules
from safeguarding.core.models import Partnership
from safeguarding.measures import comparisons, sources
from safeguarding.measures.catalogue import Indicator, catalogue, disclosure_groups
from safeguarding.measures.comparisons import Neighbours
from safeguarding.measures.engine import Engine, Result
from safeguarding.measures.figures import Figure
from safeguarding.measures.models import StatisticalNeighbour, Target
from safeguarding.measures.periods import Period, financial_year_of


class UnknownLocalAuthority(ValueError):
    pass


def partnership_las(partnership: Partnership, la: str | None = None) -> list[str]:
    codes = list(partnership.local_authorities.values_list("old_code", flat=True))
    if la is None:
        return codes
    if la not in codes:
        raise UnknownLocalAuthority(
            f"LA {la} is not covered by {partnership.code} (it covers {', '.join(codes)})")
    return [la]


def default_period(partnership: Partnership, *, today: dt.date | None = None) -> Period:
    """The period a page or command shows when none is asked for: the latest financial year
    the partnership's loaded data cover, or, with none loaded, the current financial year."""
    return period_for_latest(sources.latest_data_day(partnership_las(partnership)), today=today)


def period_for_latest(latest: dt.date | None, *, today: dt.date | None = None) -> Period:
    """The financial year of the latest day the data cover, never after the current one."""
    current = financial_year_of(today or dt.date.today())
    if latest is None:
        return current
    year = financial_year_of(latest)
    return year if year.start <= current.start else current


def data_spans(partnership: Partnership) -> list[tuple[dt.date, dt.date]]:
    """The spans of days the partnership's loaded data cover (every contract's coverage):
    what the dashboard's period list is built from."""
    las = partnership_las(partnership)
    return [(start, end) for c in modules.contracts() if c.coverage is not None
            for spans in c.coverage(las).values() for _, start, end in spans]


def compute(*, partnership: Partnership, period: Period, la: str | None = None,
            indicators: list[Indicator] | None = None) -> list[Result]:
    las = partnership_las(partnership, la)
    return Engine(sources.measure_data(las)).compute(period, las, indicators)


def neighbours_for(partnership: Partnership, las: list[str]) -> Neighbours:
    """The statistical neighbours of these LAs (the union of their lists, less the LAs
    themselves), or which of them have no list on the platform."""
    rows = list(StatisticalNeighbour.objects.filter(
        partnership=partnership, local_authority__old_code__in=las)
        .values_list("local_authority__old_code", "old_la_code", "source"))
    listed = {own for own, _, _ in rows}
    codes = sorted({code for _, code, _ in rows} - set(las))
    return Neighbours(codes=tuple(codes),
                      missing_for=tuple(la for la in las if la not in listed),
                      sources=tuple(sorted({source for _, _, source in rows})))


def neighbour_lists(partnership: Partnership) -> dict[str, list[StatisticalNeighbour]]:
    """Each of the partnership's LAs with its neighbours, closest first (empty: none set)."""
    found: dict[str, list[StatisticalNeighbour]] = {
        la: [] for la in partnership_las(partnership)}
    for row in StatisticalNeighbour.objects.filter(partnership=partnership).select_related(
            "local_authority"):
        found.setdefault(row.local_authority.old_code, []).append(row)
    return found


def benchmarks_for(indicator: Indicator, *, partnership: Partnership, period: Period,
                   las: list[str]) -> dict | None:
    """England, region and statistical-neighbour figures from the imported DfE tables:
    rates per 10,000 children for counts DfE publishes as rates (measures/comparisons.py)."""
    if not indicator.benchmark or period.kind != "year":
        return None
    return comparisons.benchmarks(indicator, year_ending=period.end.year, las=las,
                                  neighbours=neighbours_for(partnership, las))


def benchmarks_of(indicators: Iterable[Indicator], *, partnership: Partnership,
                  period: Period, las: list[str]) -> dict[str, dict]:
    """``benchmarks_for`` of each measure of a year that has them, by measure id, reading
    the neighbours and each of DfE's tables once."""
    if period.kind != "year":
        return {}
    neighbours = neighbours_for(partnership, las)
    tables = comparisons.Tables(period.end.year)
    found = {}
    for indicator in indicators:
        if indicator.benchmark:
            figures = comparisons.benchmarks(indicator, year_ending=period.end.year, las=las,
                                             neighbours=neighbours, tables=tables)
            if figures is not None:
                found[indicator.id] = figures
    return found


def current_targets(partnership: Partnership) -> dict[str, Target]:
    found: dict[str, Target] = {}
    for target in Target.objects.filter(partnership=partnership).select_related("set_by"):
        found.setdefault(target.indicator_id, target)
    return found


def rag(indicator: Indicator, value, target: Target | None) -> str | None:
    """Red, amber or green against the target, in the direction the measure improves."""
    if target is None or value is None or indicator.polarity == "neutral":
        return None
    value, goal, tolerance = Decimal(str(value)), target.target, target.amber_tolerance
    gap = (value - goal) if indicator.polarity == "higher_is_better" else (goal - value)
    if gap >= 0:
        return "green"
    return "amber" if -gap <= tolerance else "red"


def indicators_document(*, partnership: Partnership, period: Period, la: str | None = None,
                        with_benchmarks: bool = False, fresh: bool = False,
                        viewer=None) -> dict:
    """The document the CLI prints and the API serves (to ``viewer``, when a person asks).

    Results come from the cache (``measures.cache``) when it holds them for the
    current data version, and are computed and stored when it does not;
    ``fresh`` computes them now and stores nothing. Targets and RAG are applied
    here, on every read.
    """
    from safeguarding.measures import cache

    las = partnership_las(partnership, la)
    if fresh:
        rows = [r.as_dict() for r in compute(partnership=partnership, period=period, la=la)]
        marks = {}
        if with_benchmarks:
            marks = benchmarks_of([catalogue()[r["id"]] for r in rows],
                                  partnership=partnership, period=period, las=las)
        computed = {"at": None, "data_version": cache.data_version(partnership),
                    "data": cache.data_summary(partnership)}
    else:
        found = cache.results_for(partnership=partnership, periods=[period], la=la)
        document = found.document(period)
        rows = [dict(r) for r in document.results]
        marks = document.benchmarks
        computed = {"at": document.computed_at.isoformat(), "data_version": document.data_version,
                    "data": document.data_summary}
    if viewer is not None:
        view = disclosed(viewer, partnership, la)
        if view.aggregate_only:
            source = found if not fresh else cache.results_for(
                partnership=partnership, periods=[period], la=la)
            rows = [view.result(source, period, row["id"]).as_dict() for row in rows]
    defs = catalogue()
    targets = current_targets(partnership)
    indicators = []
    for row in rows:
        ind = defs[row["id"]]
        row.update({"description": ind.description, "source": ind.source,
                    "polarity": ind.polarity})
        target = targets.get(ind.id)
        row["target"] = float(target.target) if target else None
        row["rag"] = rag(ind, row["value"], target)
        if with_benchmarks:
            row["benchmarks"] = marks.get(ind.id)
        indicators.append(row)
    return {
        "partnership": partnership.code,
        "local_authorities": las,
        "period": {"label": period.label, "start": period.start.isoformat(),
                   "end": period.end.isoformat()},
        "indicators": indicators,
        "computed": computed,
    }


# Learning reviews and child deaths ----------------------------------------------

def case_figures(*, partnership: Partnership, periods: list[Period],
                 ids: list[str]) -> dict[str, dict[str, Figure]]:
    """The engine's stored results for the partnership as a whole, as figures with their
    catalogue definitions: {period label: {measure id: Figure}}. The modules' statistics
    pages, their API and the yearly report read their figures here (computed once, by the
    engine; computed and stored now if the cache does not hold them for today's data)."""
    from safeguarding.measures import cache

    found = cache.results_for(partnership=partnership, periods=periods)
    defs = catalogue()
    return {p.label: {i: Figure.of(found.result(p, i), defs[i]) for i in ids} for p in periods}


ALL_KINDS = "*"


def aggregate_only_kinds(user, partnership: Partnership) -> frozenset[str]:
    """The data kinds this person sees only through disclosure control (core/disclosure.py).

    Whoever may list the children behind a figure (``measures.drill_to_children``: the
    business unit) sees the true numbers, except a kind whose app says who sees it in
    full (its contract's ``sees_in_full``: child deaths go to the panel and its business
    unit only). Everyone else (analysts, board and sub-group members) sees every kind
    with small numbers hidden.
    """
    if user is None:
        return frozenset()
    kinds = set()
    if not user.has_perm("measures.drill_to_children", partnership):
        kinds.add(ALL_KINDS)
    for kind, sees_in_full in modules.full_view_rules().items():
        if not sees_in_full(user, partnership):
            kinds.add(kind)
    return frozenset(kinds)


def _hides(indicator: Indicator | None, aggregate_only: frozenset[str]) -> bool:
    """A kind counting no person (audits, meetings) is never hidden; a kind with its own
    rule (child deaths) follows it; every other the drill-down's."""
    if indicator is None or indicator.data in modules.no_person_kinds():
        return False
    if indicator.data in modules.full_view_rules():
        return indicator.data in aggregate_only
    return ALL_KINDS in aggregate_only


def disclosure_periods(periods) -> list[Period]:
    """The periods suppression reads for these: each one's financial year, its quarters
    and its months (so a page can fetch them all in one read of the cache)."""
    wanted: dict[str, Period] = {}
    for period in periods:
        fy = financial_year_of(period.start)
        wanted.update({p.label: p for p in (fy, *fy.quarters(), *fy.months())})
    return list(wanted.values())


class Disclosed:
    """Cached results as a person who sees aggregates only may see them.

    Suppression is worked out for a whole financial year at a time (the year, its quarters
    and its months, and, for a partnership of several LAs, the partnership and each LA), so
    every page, chart, table, download and API answer hides the same cells and none can be
    worked out from another by subtraction.
    """

    def __init__(self, *, partnership: Partnership, la: str | None,
                 aggregate_only: frozenset[str]):
        self.partnership, self.la, self.aggregate_only = partnership, la, aggregate_only
        self._years: dict[str, dict] = {}

    def hides(self, indicator_id: str) -> bool:
        return _hides(catalogue().get(indicator_id), self.aggregate_only)

    def result(self, found, period: Period, indicator_id: str) -> Result:
        res = found.result(period, indicator_id)
        if not self.hides(indicator_id):
            return res
        hidden = self._year(period, found).get(indicator_id, {}).get((self.la, period.label))
        if hidden is None:
            return res
        return replace(res, value=None, numerator=None, denominator=None, reason=hidden,
                       rate_per_10000=None, population=None, rate_reason=None)

    def _year(self, period: Period, found) -> dict:
        from safeguarding.measures import cache

        fy = financial_year_of(period.start)
        if fy.label in self._years:
            return self._years[fy.label]
        periods = [fy, *fy.quarters(), *fy.months()]
        codes = partnership_las(self.partnership)
        scopes: list[str | None] = [None, *codes] if len(codes) > 1 else [None]
        sets = {}
        for scope in scopes:
            if scope == self.la and all(p.label in found.documents for p in periods):
                sets[scope] = found  # the page read them already
            else:
                sets[scope] = cache.results_for(partnership=self.partnership, periods=periods,
                                                la=scope)
        # The hidden cells follow from the stored results and who is asking: the key names
        # the results by data version (which digests the data, the definitions and the
        # disclosure rules) and by when each document was computed.
        key = (self.partnership.pk, self.la, self.aggregate_only, fy.label,
               tuple((scope, sets[scope].version,
                      tuple(sets[scope].document(p).computed_at for p in periods))
                     for scope in scopes))
        hidden = _SUPPRESSED.get(key)
        if hidden is None:
            hidden = _SUPPRESSED.put(key, self._hidden(fy, periods, codes, scopes, sets))
        self._years[fy.label] = hidden
        return hidden

    def _hidden(self, fy: Period, periods: list[Period], codes: list[str],
                scopes: list[str | None], sets: dict) -> dict:
        groups = []
        for scope in scopes:
            groups.append(disclosure.group((scope, fy.label), [(scope, q.label)
                                                                 for q in fy.quarters()]))
            groups.append(disclosure.group((scope, fy.label), [(scope, m.label)
                                                                 for m in fy.months()]))
            groups += [disclosure.group((scope, q.label), [(scope, m.label) for m in q.months()])
                       for q in fy.quarters()]
        if len(scopes) > 1:
            groups += [disclosure.group((None, p.label), [(la, p.label) for la in codes])
                       for p in periods]
        defs = catalogue()
        results = {ind.id: {(scope, p.label): sets[scope].result(p, ind.id)
                            for scope in scopes for p in periods}
                   for ind in defs.values() if _hides(ind, self.aggregate_only)}
        counts = {i: {k: r.value for k, r in rows.items()}
                  for i, rows in results.items() if defs[i].unit == "count"}
        hidden: dict[str, dict] = _suppress_counts(counts, groups)
        for ind_id, rows in results.items():
            if ind_id in counts:
                continue
            hidden[ind_id] = disclosure.suppress_rates(
                {k: r.numerator if r.value is not None else None for k, r in rows.items()},
                {k: r.denominator if r.value is not None else None for k, r in rows.items()},
                groups, hidden=_hidden_by_parts(defs[ind_id], hidden))
        return hidden


class _Recent:
    """The last few years' hidden cells, shared by the requests of one process: every board
    member reading the same data gets the same cells, worked out once (about 0.1 s a year)."""

    def __init__(self, size: int = 32):
        self.size = size
        self._items: OrderedDict = OrderedDict()
        self._lock = threading.Lock()

    def get(self, key):
        with self._lock:
            if key in self._items:
                self._items.move_to_end(key)
                return self._items[key]
        return None

    def put(self, key, value):
        with self._lock:
            self._items[key] = value
            self._items.move_to_end(key)
            while len(self._items) > self.size:
                self._items.popitem(last=False)
        return value


_SUPPRESSED = _Recent()


def _suppress_counts(counts: dict[str, dict], groups: list) -> dict[str, dict]:
    """Hidden cells of each count measure: alone, or, for measures in a sub-count group
    (catalogue ``disclosure_groups``), together with the others of the group.

    A group's remainder (the total less its parts: records in no part) is a count a reader
    could work out by subtraction, so it joins the suppression as a cell of its own: where
    it is small it is hidden, and hiding it hides a part (or the total) so that it cannot be
    worked out. The remainder's cells are dropped from the answer, since no page shows them.
    """
    families = [g for g in disclosure_groups()
                if g.total in counts and all(part in counts for part in g.parts)]
    joint = {m for g in families for m in (g.total, *g.parts)}
    hidden = {i: disclosure.suppress(values, groups)
              for i, values in counts.items() if i not in joint}
    if not families:
        return hidden
    values: dict = {(i, *k): v for i in joint for k, v in counts[i].items()}
    keyed = [disclosure.group((i, *g.total), [(i, *c) for c in g.cells])
             for i in joint for g in groups]
    for n, family in enumerate(families):
        rest = ("rest", n)
        for k, whole in counts[family.total].items():
            parts = [counts[part][k] for part in family.parts]
            left = None if whole is None or None in parts else whole - sum(parts)
            values[(rest, *k)] = left if left is not None and left >= 0 else None
            keyed.append(disclosure.group((family.total, *k),
                                          [*((part, *k) for part in family.parts), (rest, *k)]))
        keyed += [disclosure.group((rest, *g.total), [(rest, *c) for c in g.cells])
                  for g in groups]
    out = disclosure.suppress(values, keyed)
    for i in joint:
        hidden[i] = {key[1:]: reason for key, reason in out.items() if key[0] == i}
    return hidden


def _hidden_by_parts(indicator: Indicator, hidden: dict[str, dict]) -> dict:
    """A percentage's cells hidden because its numerator or denominator, shown as a count
    measure of its own (the same frame, dated the same way), is hidden there."""
    frames = {"frame": indicator.extra.get("frame"), "of_frame": indicator.extra.get("of_frame")}
    if not all(frames.values()):
        return {}
    out: dict = {}
    for ind in catalogue().values():
        if (ind.unit == "count" and ind.id in hidden
                and ind.extra.get("frame") in frames.values()
                and ind.extra.get("counts_dated") == indicator.extra.get("counts_dated")):
            out |= {k: r for k, r in hidden[ind.id].items() if k not in out}
    return out


def published_view(partnership: Partnership) -> Disclosed:
    """Results as a published document (the yearly report) shows them: every kind through
    disclosure control, hiding the same cells as the dashboard hides from the board."""
    return Disclosed(partnership=partnership, la=None,
                     aggregate_only=frozenset({ALL_KINDS, *modules.full_view_rules()}))


def published_figures(partnership: Partnership, period: Period):
    """``figure(measure_id)``: the engine's stored result for the partnership and period as
    the published report shows it (``published_view``), for a module's report sentences
    outside the report (core.modules ``ReportText``), such as its command line."""
    from safeguarding.measures import cache

    view = published_view(partnership)
    found = cache.results_for(partnership=partnership, periods=disclosure_periods([period]))
    return lambda measure_id: view.result(found, period, measure_id)


def disclosed(user, partnership: Partnership, la: str | None) -> Disclosed:
    return Disclosed(partnership=partnership, la=la,
                     aggregate_only=aggregate_only_kinds(user, partnership))
