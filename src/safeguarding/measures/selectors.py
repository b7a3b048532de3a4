"""Reads: the indicator document for a partnership and period, targets and RAG status."""

from __future__ import annotations

from decimal import Decimal

from safeguarding.core.models import Partnership
from safeguarding.measures import sources
from safeguarding.measures.case_measures import CHILD_DEATHS, suppress_small
from safeguarding.measures.catalogue import Indicator, catalogue
from safeguarding.measures.engine import Engine, Result
from safeguarding.measures.models import StatisticalNeighbour, Target
from safeguarding.measures.periods import Period


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


def compute(*, partnership: Partnership, period: Period, la: str | None = None,
            indicators: list[Indicator] | None = None) -> list[Result]:
    las = partnership_las(partnership, la)
    return Engine(sources.measure_data(las)).compute(period, las, indicators)


def benchmarks_for(indicator: Indicator, *, partnership: Partnership, period: Period,
                   las: list[str]) -> dict | None:
    """England, region and statistical-neighbour values from the imported DfE tables."""
    if not indicator.benchmark or period.kind != "year":
        return None
    neighbours = list(StatisticalNeighbour.objects.filter(partnership=partnership)
                      .values_list("old_la_code", flat=True))
    return sources.benchmark_values(indicator.benchmark, year_ending=period.end.year,
                                    las=las, neighbours=neighbours)


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
            marks = {r["id"]: benchmarks_for(catalogue()[r["id"]], partnership=partnership,
                                             period=period, las=las) for r in rows}
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
        hidden = aggregate_only_kinds(viewer, partnership)
        rows = [for_viewer(Result(**row), hidden).as_dict() for row in rows]
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

def aggregate_only_kinds(user, partnership: Partnership) -> frozenset[str]:
    """The data kinds this person sees with small numbers suppressed.

    Child death records go to the panel and its business unit only
    (child_deaths/rules.py); everyone else who sees the dashboard gets the
    aggregates with counts of 1 to 4 hidden, as the module's own statistics do.
    """
    from safeguarding.child_deaths.rules import Scope, scope_access

    scope = Scope(partnership.code, partnership.name, frozenset({partnership.pk}))
    return frozenset() if scope_access(user, scope) == "full" else frozenset({CHILD_DEATHS})


def for_viewer(result: Result, aggregate_only: frozenset[str]) -> Result:
    """The result with small numbers suppressed if its kind is aggregate-only for the viewer."""
    indicator = catalogue().get(result.id)
    if indicator is None or indicator.data not in aggregate_only:
        return result
    return suppress_small(result)
