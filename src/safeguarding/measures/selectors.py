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
                        with_benchmarks: bool = False, viewer=None) -> dict:
    """The document the CLI prints and the API serves (to ``viewer``, when a person asks)."""
    las = partnership_las(partnership, la)
    results = compute(partnership=partnership, period=period, la=la)
    if viewer is not None:
        hidden = aggregate_only_kinds(viewer, partnership)
        results = [for_viewer(r, hidden) for r in results]
    defs = catalogue()
    targets = current_targets(partnership)
    rows = []
    for res in results:
        ind = defs[res.id]
        row = res.as_dict()
        row.update({"description": ind.description, "source": ind.source,
                    "polarity": ind.polarity})
        target = targets.get(res.id)
        row["target"] = float(target.target) if target else None
        row["rag"] = rag(ind, res.value, target)
        if with_benchmarks:
            row["benchmarks"] = benchmarks_for(ind, partnership=partnership, period=period,
                                               las=las)
        rows.append(row)
    return {
        "partnership": partnership.code,
        "local_authorities": las,
        "period": {"label": period.label, "start": period.start.isoformat(),
                   "end": period.end.isoformat()},
        "indicators": rows,
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
