"""Aggregate figures for a partnership or a joint panel and a financial year.

Every figure is a catalogue measure (child_deaths/catalogue.yaml, declared in the
app's contract) computed once by the measure engine (measures/case_measures.py) for
each partnership and read from its stored results (``measures.selectors.case_figures``).
A joint panel's figure adds up its partnerships' numerators and denominators (each
death belongs to one partnership). Only the count of deaths reviewed by theme is
read here, from the managed theme list, which the catalogue cannot hold.

Where there is nothing to count the value is None with a reason, never a silent zero,
unless the module covers the year (the catalogue's coverage rule: from the
partnership's go-live date or the year of its first death), when a count is a true 0.
For analysts (who see aggregates only) small numbers are hidden by the one disclosure
rule (core/disclosure.py): counts from 1 to 4, further cells where a hidden one could
be worked out from a total, and, for a joint panel, whatever would let one
partnership's figures be worked out as the panel's minus the others'.
"""

from __future__ import annotations

from django.core.exceptions import PermissionDenied

from safeguarding.child_deaths import code_lists
from safeguarding.child_deaths.ages import NEONATAL_DAYS
from safeguarding.child_deaths.rules import Scope, scope_access, scopes
from safeguarding.child_deaths.selectors import themes_reviewed
from safeguarding.core import disclosure
from safeguarding.core.models import Partnership
from safeguarding.measures.figures import Figure, percent
from safeguarding.measures.periods import Period, parse_financial_year, years_ending_with
from safeguarding.measures.selectors import case_figures

DEFINITIONS = {
    "notified": "Child deaths notified to the panel with a notification date in the financial "
    "year (1 April to 31 March). Counts children who were born alive and died "
    "before their 18th birthday; stillbirths and terminations are excluded.",
    "neonatal": f"Deaths notified in the year where the child died within {NEONATAL_DAYS} days "
    f"of birth (aged 0 to {NEONATAL_DAYS - 1} days, the day of birth being day 0), as a "
    "percentage of all "
    "deaths notified in the year. Age is derived from the dates of birth and death.",
    "unexpected_jar": "Deaths notified in the year as unexpected with one or more Joint Agency "
    "Response triggers, as a percentage of all deaths notified in the year.",
    "reviewed": "Deaths whose Child Death Overview Panel review date falls in the year, "
    "whenever the death was notified.",
    "modifiable": "Deaths reviewed in the year where the panel identified modifiable factors "
    "(answer Yes), as a percentage of all deaths reviewed in the year. Reviews "
    "answered 'insufficient information' count in the denominator only.",
    "category": "Deaths reviewed in the year that the panel placed in this category (the "
    "highest-ranked category that applies), out of all deaths reviewed in the year.",
    "theme": "Deaths reviewed in the year tagged with this theme, out of all deaths reviewed "
    "in the year. A review can carry several themes, so these do not add up.",
    "trend": "Deaths reviewed in each financial year in this category, out of all deaths "
    "reviewed that year.",
}


# The catalogue measure (child_deaths/catalogue.yaml) behind each headline figure, and
# behind each category's count.
CATALOGUE_IDS = {
    "notified": "child_deaths_notified",
    "neonatal": "child_deaths_neonatal_rate",
    "unexpected_jar": "child_deaths_unexpected_jar_rate",
    "reviewed": "child_deaths_reviewed",
    "modifiable": "child_deaths_reviewed_modifiable_rate",
}
CATEGORY_FAMILY = "child_deaths_reviewed_category_"


def _category_id(category: code_lists.Category) -> str:
    return f"{CATEGORY_FAMILY}{category.key}"


def _measure_ids() -> list[str]:
    return [*CATALOGUE_IDS.values(), *(_category_id(c) for c in code_lists.categories())]


def _engine(partnership_ids, years: list[Period]) -> dict[str, dict[str, Figure]]:
    """The engine's figures for each year, each added up over the partnerships:
    numerators and denominators summed over those whose module covers the year."""
    ids = _measure_ids()
    each = [case_figures(partnership=p, periods=years, ids=ids)
            for p in Partnership.objects.filter(pk__in=partnership_ids).order_by("pk")]
    combined: dict[str, dict[str, Figure]] = {}
    for year in years:
        combined[year.label] = {}
        for i in ids:
            parts = [found[year.label][i] for found in each]
            counted = [f for f in parts if f.numerator is not None]
            numerator = sum(f.numerator or 0 for f in counted) if counted else None
            denominator = (sum(f.denominator or 0 for f in counted)
                           if counted and parts[0].unit == "percent" else None)
            combined[year.label][i] = Figure(
                id=i, title=parts[0].title if parts else i, definition="",
                unit=parts[0].unit if parts else "count", numerator=numerator,
                denominator=denominator, value=numerator)
    return combined


def _count(key, label, definition, found: Figure, denominator: int | None,
           empty_reason: str) -> Figure:
    """A count from the engine; None (the module does not cover the year) is "no data"."""
    if found.numerator is None:
        return Figure(id=key, title=label, definition=definition, unit="count",
                      reason=empty_reason)
    return Figure(id=key, title=label, definition=definition, unit="count",
                  value=found.numerator, numerator=found.numerator, denominator=denominator)


def _percent(key, label, definition, found: Figure, empty_reason: str) -> Figure:
    if not found.denominator:
        return Figure(id=key, title=label, definition=definition, unit="percent",
                      denominator=found.denominator, reason=empty_reason)
    return Figure(id=key, title=label, definition=definition, unit="percent",
                  value=percent(found.numerator or 0, found.denominator),
                  numerator=found.numerator, denominator=found.denominator)


def _keys(result: dict) -> dict:
    """Every figure of a result by (section, id): the cells disclosure control works on."""
    found = {}
    for section in ("headline", "by_category", "by_theme"):
        for f in result[section]:
            found[(section, f.id)] = f
    return found


def _cells(figures: dict) -> tuple[dict, dict, dict]:
    counts = {k: f.value for k, f in figures.items() if f.unit == "count"}
    nums = {k: f.numerator if f.value is not None else None
            for k, f in figures.items() if f.unit != "count"}
    dens = {k: f.denominator if f.value is not None else None
            for k, f in figures.items() if f.unit != "count"}
    return counts, nums, dens


def _groups(figures: dict) -> list:
    """Each death reviewed has one category: the categories add up to the deaths reviewed."""
    return [disclosure.group(("headline", "reviewed"),
                             [k for k in figures if k[0] == "by_category"])]


def _hidden(result: dict, parts: list[dict]) -> dict:
    """The cells to hide: small numbers and their complements, then whatever more stops a
    part of the scope the person may not open being worked out as the whole minus the rest
    (``parts``: the results for the rest, once per partnership that could be worked out)."""
    figures = _keys(result)
    groups = _groups(figures)
    counts, nums, dens = _cells(figures)
    hidden = disclosure.suppress(counts, groups)
    hidden = disclosure.suppress_rates(nums, dens, hidden=hidden)
    for part in parts:
        rest = _keys(part)
        part_counts, part_nums, part_dens = _cells(rest)
        for whole, other in ((counts, part_counts), (nums, part_nums), (dens, part_dens)):
            # The rest is taken as shown in full: other outputs may show more of it.
            hidden = disclosure.protect_difference(whole, other, hidden, {}, groups)
        hidden = disclosure.suppress_rates(nums, dens, hidden=hidden)
    return hidden


# Figures whose denominator is a headline count: hidden with it.
_DENOMINATOR_OF = {("headline", "notified"): ("neonatal", "unexpected_jar"),
                   ("headline", "reviewed"): ("modifiable", "category_", "theme_")}


def _apply(figures: dict, hidden: dict) -> None:
    for key, reason in hidden.items():
        f = figures.get(key)
        if f is None:
            continue
        f.suppressed = True
        f.value = None
        f.numerator = None
        if disclosure.is_small(f.denominator):
            f.denominator = None
        f.reason = reason
    for total, ids in _DENOMINATOR_OF.items():
        if total in hidden:
            for (_, fid), f in figures.items():
                if fid.startswith(ids):
                    f.denominator = None


def compute(
    *,
    partnership_ids,
    scope_label: str,
    year: Period,
    suppress: bool = False,
    trend_category: int | None = None,
    trend_years: int = 5,
    complements: tuple[frozenset[int], ...] = (),
) -> dict:
    """The figures for a set of partnerships and a year; ``suppress`` for analysts.

    ``complements`` are sets of the scope's partnerships whose own figures the person can
    also reach: the whole minus any of them must give nothing small away either.
    """
    category = None
    if trend_category is not None:
        category = code_lists.category(int(trend_category))
        if category is None:
            raise ValueError(f"No category {trend_category}")
    years = years_ending_with(year, trend_years) if category else [year]
    engine = _engine(partnership_ids, years)
    found = engine[year.label]
    where = f"{scope_label}, {year.label}"
    none_notified = f"No child deaths are recorded as notified for {where}: there is no data"
    none_reviewed = f"No panel reviews are recorded for {where}: there is no data"
    ids = CATALOGUE_IDS
    reviewed = found[ids["reviewed"]].numerator

    headline = [
        _count("notified", "Child deaths notified", DEFINITIONS["notified"],
               found[ids["notified"]], None, none_notified),
        _percent("neonatal", f"Neonatal deaths (died within {NEONATAL_DAYS} days of birth)",
                 DEFINITIONS["neonatal"], found[ids["neonatal"]], none_notified),
        _percent("unexpected_jar", "Unexpected deaths needing a Joint Agency Response",
                 DEFINITIONS["unexpected_jar"], found[ids["unexpected_jar"]], none_notified),
        _count("reviewed", "Deaths reviewed by the panel", DEFINITIONS["reviewed"],
               found[ids["reviewed"]], None, none_reviewed),
        _percent("modifiable", "Deaths reviewed with modifiable factors",
                 DEFINITIONS["modifiable"], found[ids["modifiable"]], none_reviewed),
    ]
    by_category = [
        _count(f"category_{c.code}", f"{c.code}. {c.name}", DEFINITIONS["category"],
               found[_category_id(c)], reviewed, none_reviewed)
        for c in code_lists.categories()
    ]
    # Themes are the panel's managed list, not catalogue data: counted here, shown only
    # where the engine's count of deaths reviewed says the module covers the year.
    by_theme = sorted(
        (_count(f"theme_{key}", name, DEFINITIONS["theme"],
                Figure(id=key, title=name, definition="", unit="count",
                       numerator=None if reviewed is None else n),
                reviewed, none_reviewed)
         for key, name, n in themes_reviewed(partnership_ids=partnership_ids, year=year)),
        key=lambda f: (-(f.value or 0), f.title),
    )

    trend: dict | None = None
    if category is not None:
        points = []
        for fy in years:
            each = engine[fy.label]
            points.append(_count(
                f"trend_{fy.label}", fy.label, DEFINITIONS["trend"], each[_category_id(category)],
                each[ids["reviewed"]].numerator,
                f"No panel reviews are recorded for {scope_label}, {fy.label}: there is no data"))
        trend = {"category": {"code": category.code, "name": category.name}, "years": points}

    result = {"headline": headline, "by_category": by_category, "by_theme": by_theme}
    if suppress:
        parts = [compute(partnership_ids=p, scope_label=scope_label, year=year)
                 for p in complements]
        _apply(_keys(result), _hidden(result, parts))
        if trend:
            # Each year's point is that year's category cell, hidden as its own table hides it.
            for point, fy in zip(trend["years"], years, strict=True):
                other = compute(partnership_ids=partnership_ids, scope_label=scope_label,
                                year=fy, suppress=True, complements=complements)
                cell = next(f for f in other["by_category"]
                            if f.id == f"category_{trend['category']['code']}")
                if cell.suppressed:
                    point.suppressed, point.value, point.numerator = True, None, None
                    point.reason = cell.reason
                if disclosure.is_small(point.denominator):
                    point.denominator = None

    return {
        "scope": scope_label,
        "year": year.label,
        "period": {"starts": year.start.isoformat(), "ends": year.end.isoformat()},
        "small_numbers_suppressed": suppress,
        "headline": headline,
        "by_category": by_category,
        "by_theme": by_theme,
        "trend": trend,
        "sources": {
            "categories": code_lists.categories_source(),
            "themes": code_lists.themes_source(),
        },
    }


def as_json(result: dict) -> dict:
    """The same result with figures as plain dicts (for the API and downloads)."""
    out = dict(result)
    for key in ("headline", "by_category", "by_theme"):
        out[key] = [f.as_dict() for f in result[key]]
    if result["trend"]:
        out["trend"] = {**result["trend"], "years": [f.as_dict() for f in result["trend"]["years"]]}
    return out


def find_scope(key: str) -> Scope | None:
    return next((s for s in scopes() if s.key.upper() == (key or "").upper()), None)


def child_death_statistics(
    *, actor, scope_key: str, year: str, trend_category: int | None = None, trend_years: int = 5
) -> dict:
    """Figures for the actor: full for the panel and business unit, suppressed for analysts."""
    scope = find_scope(scope_key)
    if scope is None:
        raise PermissionDenied
    access = scope_access(actor, scope)
    if access is None:
        raise PermissionDenied
    return compute(
        partnership_ids=scope.partnership_ids,
        scope_label=scope.label,
        year=parse_financial_year(year),
        suppress=access == "suppressed",
        trend_category=trend_category,
        trend_years=trend_years,
        complements=complements_of(scope),
    )


def joint_panel_of(partnership_id: int) -> Scope | None:
    """The joint panel (a scope of several partnerships) that reviews this partnership's
    child deaths, or None where its panel is its own (the yearly report's child death
    section gives the joint panel's figures, as the statistics page does)."""
    return next((s for s in scopes() if len(s.partnership_ids) > 1
                 and partnership_id in s.partnership_ids), None)


def complements_of(scope: Scope) -> tuple[frozenset[int], ...]:
    """For a scope of several partnerships, each set of all but one of them: with the whole,
    its figures give the one left out. Taken whoever asks, since the figures of any
    single partnership reach someone (its analysts, its yearly report)."""
    members = scope.partnership_ids
    if len(members) < 2:
        return ()
    return tuple(members - {m} for m in sorted(members))
