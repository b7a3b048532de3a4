"""Comparisons with England, the region and statistical neighbours, from DfE's tables.

A count measure that DfE publishes as a rate (its catalogue entry says ``per_10000``)
is compared per 10,000 children aged 0 to 17: the partnership's rate (computed in the
engine) beside England's, the region's and the neighbours' rates, each computed here
from DfE's published count and DfE's population of children aged 0 to 17 for the same
geography and year. Counts of other places are not compared with the partnership's.
A percentage measure is compared on DfE's published percentage. A value DfE withheld
(c, x, z, k...) is missing, never 0.

The statistical neighbours' figure is the mean of the neighbours' own figures (as
DfE's children's services benchmarking tool averages them), over those with a figure.
"""

from __future__ import annotations

import json
from dataclasses import dataclass, field
from typing import Any

from safeguarding.core import modules
from safeguarding.measures.catalogue import Indicator
from safeguarding.measures.figures import per_10000

NOT_AVAILABLE = ("DfE's statistical neighbour list for LA {las} is not available on the "
                 "platform, so no neighbour figure is shown. An administrator can enter it "
                 "from DfE's children's services statistical neighbour benchmarking tool "
                 "(safeguarding neighbours set).")


@dataclass(frozen=True)
class Neighbours:
    """The LAs a partnership's LAs are compared with, or why there are none."""

    codes: tuple[str, ...] = ()
    missing_for: tuple[str, ...] = ()  # the partnership's LAs with no list configured
    sources: tuple[str, ...] = field(default_factory=tuple)

    @property
    def reason(self) -> str | None:
        if self.missing_for:
            return NOT_AVAILABLE.format(las=", ".join(self.missing_for))
        return None


def year_label(year_ending: int) -> str:
    return f"{year_ending - 1}-{str(year_ending)[2:]}"


def populations(*, year_ending: int) -> dict:
    provide = modules.provider("population")
    if provide is None:
        return {"rows": [], "source": "", "reason": "DfE tables are not imported"}
    return provide(year_ending=year_ending)


def la_population(found: dict, las: list[str], year_ending: int) -> tuple[int | None, bool, str | None]:
    """The LAs' summed population of children aged 0 to 17, whether any part was derived
    (from a count and a rounded rate), and why there is none."""
    if found["reason"]:
        return None, False, found["reason"]
    by_la = {r["la"]: r for r in found["rows"] if r["level"] == "Local authority"}
    missing = [la for la in las if la not in by_la]
    if missing:
        return None, False, (f"DfE's tables give no population of children aged 0 to 17 for "
                             f"LA {', '.join(missing)} in {year_label(year_ending)}")
    return (sum(by_la[la]["population"] for la in las),
            any(by_la[la]["derived"] for la in las), None)


def _place(rows: list[dict], level: str, *, la: str = "", region: str = "") -> dict | None:
    return next((r for r in rows if r["level"] == level and (not la or r["la"] == la)
                 and (not region or r["region"] == region)), None)


def _mean(values: list[float]) -> float | None:
    return int(sum(values) / len(values) * 10 + 0.5) / 10 if values else None


class Tables:
    """DfE's published tables of one year, each read once however many measures ask."""

    def __init__(self, year_ending: int):
        self.year_ending = year_ending
        self._published: dict[str, dict[str, Any]] = {}
        self._people: dict[str, Any] | None = None

    def published(self, benchmark: dict[str, str]) -> dict[str, Any]:
        """DfE's rows for a measure's ``benchmark`` (its table and column)."""
        key = json.dumps(benchmark, sort_keys=True)
        if key not in self._published:
            provide = modules.provider("benchmarks")
            self._published[key] = (
                {"rows": [], "reason": "DfE tables are not imported"} if provide is None
                else provide(benchmark, year_ending=self.year_ending))
        return self._published[key]

    def people(self) -> dict[str, Any]:
        if self._people is None:
            self._people = populations(year_ending=self.year_ending)
        return self._people


def benchmarks(indicator: Indicator, *, year_ending: int, las: list[str],
               neighbours: Neighbours, tables: Tables | None = None) -> dict | None:
    """England, the region, the statistical neighbours and DfE's own figure for the LA.
    ``tables`` keeps the year's tables read for the next measure."""
    if not indicator.benchmark:
        return None
    tables = tables if tables is not None else Tables(year_ending)
    published = tables.published(indicator.benchmark)
    rated = bool(indicator.extra.get("per_10000"))
    empty = {"basis": "rate_per_10000" if rated else indicator.unit, "england": None,
             "region": None, "statistical_neighbours": None, "la": None,
             "neighbours": list(neighbours.codes), "neighbours_used": [],
             "neighbours_reason": neighbours.reason, "la_count": None,
             "reason": published["reason"]}
    if published["reason"]:
        return empty
    rows: list[dict] = published["rows"]
    people: dict[str, Any] = tables.people() if rated else {"rows": [], "reason": None}
    if rated and people["reason"]:
        return {**empty, "reason": people["reason"]}

    def figure(row: dict | None):
        if row is None or row["value"] is None:
            return None
        if not rated:
            return row["value"]
        pop = _place(people["rows"], row["level"], la=row["la"], region=row["region"])
        return per_10000(int(row["value"]), pop["population"]) if pop else None

    own = [r for r in rows if r["level"] == "Local authority" and r["la"] in las]
    region_code = own[0]["region"] if own else ""
    used = {}
    for code in neighbours.codes:
        value = figure(_place(rows, "Local authority", la=code))
        if value is not None:
            used[code] = value
    return {
        **empty,
        "england": figure(_place(rows, "National")),
        "region": figure(_place(rows, "Regional", region=region_code)) if region_code else None,
        "statistical_neighbours": (None if neighbours.reason else _mean(list(used.values()))),
        "neighbours_used": sorted(used) if not neighbours.reason else [],
        "la": figure(own[0]) if len(own) == 1 else None,
        # DfE's count for the partnership's own LA only, to reconcile with its own count.
        "la_count": own[0]["value"] if rated and len(own) == 1 else None,
    }
