"""The outputs an aggregate-only viewer reaches, as fetchers for the disclosure test.

A fetcher takes a signed-in client and returns the counts it shows as ``{key: value}``
(None where the output hides or has no figure). Keys are tuples naming the same number
the same way in every output, so that two outputs can be differenced:

    ("measure", scope, period label, indicator id, part)   part: "value", "numerator",
                                                           "denominator" or "rest"
    ("child_deaths", scope key, year, figure id, part)
    ("reviews", partnership, year, figure id, part)

Percentages give their numerator, denominator and ``rest`` (denominator minus
numerator): each is a count of children. A new module adds its fetchers to
``FETCHERS`` and the groups whose cells add up to a total to ``relations``.
"""

from __future__ import annotations

import csv
import io
from collections.abc import Callable, Iterable

from safeguarding.measures.catalogue import catalogue
from safeguarding.measures.periods import parse

YEAR = parse("2020-21")
Shown = dict[tuple, float | int | None]


def _parts(prefix: tuple, unit: str, value, numerator, denominator) -> Shown:
    if unit == "count":
        return {(*prefix, "value"): value}
    rest = None if numerator is None or denominator is None else denominator - numerator
    return {(*prefix, "numerator"): numerator, (*prefix, "denominator"): denominator,
            (*prefix, "rest"): rest}


def _number(text):
    if text in ("", None):
        return None
    number = float(text)
    return int(number) if number.is_integer() else number


def api_indicators(client) -> Shown:
    """/api/indicators for the year, its quarters and its months."""
    out: Shown = {}
    for period in (YEAR, *YEAR.quarters(), *YEAR.months()):
        response = client.get("/api/indicators", {"partnership": "STAFFS", "period": period.label})
        if response.status_code != 200:
            continue
        for row in response.json()["indicators"]:
            out |= _parts(("measure", "STAFFS", period.label, row["id"]), row["unit"],
                          row["value"], row["numerator"], row["denominator"])
    return out


def theme_csv(client) -> Shown:
    out: Shown = {}
    for theme in ("core-pathway", "child-deaths", "learning-reviews"):
        response = client.get(f"/dashboard/STAFFS/{theme}.csv", {"period": YEAR.label})
        if response.status_code != 200:
            continue
        for row in csv.DictReader(io.StringIO(response.content.decode())):
            out |= _parts(("measure", "STAFFS", row["period"], row["measure"]), row["unit"],
                          _number(row["value"]), _number(row["numerator"]),
                          _number(row["denominator"]))
    return out


def theme_pages(client) -> Shown:
    """The theme pages: each figure, last year's and the quarterly trend (chart and table)."""
    out: Shown = {}
    for theme in ("core-pathway", "child-deaths", "learning-reviews"):
        response = client.get(f"/dashboard/STAFFS/{theme}/", {"period": YEAR.label})
        if response.status_code != 200:
            continue
        for row in response.context["rows"]:
            ind = row["indicator"]
            for res, label in ((row["result"], YEAR.label),
                               (row["previous"], YEAR.previous().label)):
                out |= _parts(("measure", "STAFFS", label, ind.id), ind.unit, res.value,
                              res.numerator, res.denominator)
            if ind.unit == "count":
                for label, value in row["trend"]:
                    out[("measure", "STAFFS", label, ind.id, "value")] = value
    return out


def measure_pages(client) -> Shown:
    """Each count measure's page: the figure, the monthly trend and the breakdowns."""
    out: Shown = {}
    for ind in catalogue().values():
        if ind.unit != "count":
            continue
        response = client.get(f"/dashboard/STAFFS/measures/{ind.id}/", {"period": YEAR.label})
        if response.status_code != 200:
            continue
        res = response.context["result"]
        out[("measure", "STAFFS", YEAR.label, ind.id, "value")] = res.value
        for label, value in response.context["trend"]:
            out[("measure", "STAFFS", label, ind.id, "value")] = value
        for title, rows in response.context["tables"]:
            for row in rows:
                out[("breakdown", title, row["group"], ind.id, "value")] = row["value"]
    return out


def child_death_statistics(client) -> Shown:
    """The child-death statistics API for every scope, each year: refused scopes give nothing."""
    out: Shown = {}
    for scope in ("STAFFS", "STOKE", "panel-STAFFS"):
        response = client.get("/api/child-deaths/statistics",
                              {"scope": scope, "year": YEAR.label, "trend_category": 8})
        if response.status_code != 200:
            continue
        body = response.json()
        figures = body["headline"] + body["by_category"] + body["by_theme"]
        for f in figures:
            out |= _parts(("child_deaths", scope, YEAR.label, f["id"]), f["unit"], f["value"],
                          f["numerator"], f["denominator"])
        for f in (body["trend"] or {}).get("years", []):
            out[("child_deaths", scope, f["title"], "trend", "value")] = f["value"]
    return out


def child_death_pages(client) -> Shown:
    out: Shown = {}
    for scope in ("STAFFS", "STOKE", "panel-STAFFS"):
        response = client.get("/child-deaths/statistics/", {"scope": scope, "year": YEAR.label})
        if response.status_code != 200 or not response.context.get("result"):
            continue
        result = response.context["result"]
        for f in result["headline"] + result["by_category"] + result["by_theme"]:
            out |= _parts(("child_deaths", scope, YEAR.label, f.id), f.unit, f.value,
                          f.numerator, f.denominator)
    return out


def review_statistics(client) -> Shown:
    out: Shown = {}
    for code in ("STAFFS", "STOKE"):
        response = client.get("/api/reviews/statistics", {"partnership": code,
                                                          "period": YEAR.label})
        if response.status_code != 200:
            continue
        for f in response.json()["figures"]:
            out |= _parts(("reviews", code, YEAR.label, f["id"]), f["unit"], f["value"],
                          f["numerator"], f["denominator"])
    return out


FETCHERS: list[Callable] = [api_indicators, theme_csv, theme_pages, measure_pages,
                            child_death_statistics, child_death_pages, review_statistics]


def relations(keys: Iterable[tuple]) -> list[tuple[tuple, list[tuple]]]:
    """(total, cells) pairs whose cells add up to the total in the true numbers, among keys
    some output gives: a year and its months or quarters, a quarter and its months, the
    panel's figures and those of one partnership inside it (the rest is the other's)."""
    keys = set(keys)
    found = []
    for key in keys:
        if key[0] == "measure" and key[2] == YEAR.label:
            _, scope, _, ind, part = key
            for parts in (YEAR.months(), YEAR.quarters()):
                found.append((key, [("measure", scope, p.label, ind, part) for p in parts]))
            for quarter in YEAR.quarters():
                found.append((("measure", scope, quarter.label, ind, part),
                              [("measure", scope, m.label, ind, part) for m in quarter.months()]))
    return [(total, cells) for total, cells in found if total in keys]


def scope_complements(keys: Iterable[tuple]) -> list[tuple[tuple, tuple]]:
    """(whole, part) pairs: the joint panel's figure and the same figure for STAFFS alone."""
    keys = set(keys)
    return [(k, ("child_deaths", "STAFFS", *k[2:])) for k in keys
            if k[0] == "child_deaths" and k[1] == "panel-STAFFS"
            and ("child_deaths", "STAFFS", *k[2:]) in keys]
