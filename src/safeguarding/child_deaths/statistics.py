"""Aggregate figures for a partnership or a joint panel and a financial year.

Every figure carries its numerator, denominator and definition. Where there is
nothing to count the value is None with a reason, never a silent zero, unless the
module covers the year (the catalogue's coverage rule, measures/case_measures.py:
from the partnership's go-live date or the year of its first death), when a count
is a true 0. For
analysts (who see aggregates only) small numbers are hidden by the one disclosure
rule (core/disclosure.py): counts from 1 to 4, further cells where a hidden one could
be worked out from a total, and, for a joint panel, whatever would let one
partnership's figures be worked out as the panel's minus the others'.
"""

from __future__ import annotations

from collections import Counter

from django.core.exceptions import PermissionDenied
from django.utils import timezone

from safeguarding.child_deaths import code_lists
from safeguarding.child_deaths.ages import NEONATAL_DAYS
from safeguarding.child_deaths.models import CdopReview, ChildDeath, Theme
from safeguarding.child_deaths.rules import Scope, scope_access, scopes
from safeguarding.core import disclosure
from safeguarding.core.models import Partnership
from safeguarding.measures.case_measures import CHILD_DEATHS, not_covered_reason
from safeguarding.measures.figures import Figure, percent
from safeguarding.measures.periods import Period, parse_financial_year
from safeguarding.measures.sources import module_live_from

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


# The catalogue measure (measures/catalogue/child_deaths.yaml) that gives the same number
# as each headline figure; tests/child_deaths/test_catalogue_agreement.py holds them equal.
CATALOGUE_IDS = {
    "notified": "child_deaths_notified",
    "neonatal": "child_deaths_neonatal_rate",
    "unexpected_jar": "child_deaths_unexpected_jar_rate",
    "reviewed": "child_deaths_reviewed",
    "modifiable": "child_deaths_reviewed_modifiable_rate",
}


def _count(
    key, label, definition, numerator: int, denominator: int | None, empty_reason: str,
    covered: bool = False,
) -> Figure:
    """A count; nothing to count is "no data", unless the module covers the year (the
    catalogue's coverage rule), when it is a true 0."""
    if covered and (denominator is None or denominator == 0) and numerator == 0:
        return Figure(id=key, title=label, definition=definition, unit="count", value=0,
                      numerator=0, denominator=denominator)
    if denominator is None and numerator == 0:
        return Figure(id=key, title=label, definition=definition, unit="count",
                      reason=empty_reason)
    if denominator == 0:
        return Figure(id=key, title=label, definition=definition, unit="count", denominator=0,
                      reason=empty_reason)
    return Figure(id=key, title=label, definition=definition, unit="count", value=numerator,
                  numerator=numerator, denominator=denominator)


def _covering(partnership_ids):
    """A function telling whether the module covers a year for these partnerships: from the
    earliest go-live among them (a joint panel records all its partnerships' deaths)."""
    days = [module_live_from(p, CHILD_DEATHS)
            for p in Partnership.objects.filter(pk__in=partnership_ids)]
    live = min((d for d in days if d is not None), default=None)
    today = timezone.localdate()
    return lambda year: not_covered_reason("child death review", live, year, today) is None


def _percent(key, label, definition, numerator: int, denominator: int, empty_reason: str) -> Figure:
    if denominator == 0:
        return Figure(id=key, title=label, definition=definition, unit="percent", denominator=0,
                      reason=empty_reason)
    return Figure(id=key, title=label, definition=definition, unit="percent",
                  value=percent(numerator, denominator), numerator=numerator,
                  denominator=denominator)


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


def _rows(partnership_ids, year: Period):
    notified = list(
        ChildDeath.objects.filter(
            partnership_id__in=partnership_ids, notified_on__range=(year.start, year.end)
        ).values_list("neonatal", "jar_triggers", "expected")
    )
    reviews = list(
        CdopReview.objects.filter(
            case__partnership_id__in=partnership_ids, review_date__range=(year.start, year.end)
        ).values_list("pk", "category", "modifiable")
    )
    return notified, reviews


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
    notified, reviews = _rows(partnership_ids, year)
    where = f"{scope_label}, {year.label}"
    n_notified = len(notified)
    n_reviewed = len(reviews)
    none_notified = f"No child deaths are recorded as notified for {where}: there is no data"
    none_reviewed = f"No panel reviews are recorded for {where}: there is no data"
    covering = _covering(partnership_ids)
    covered = covering(year)

    headline = [
        _count(
            "notified",
            "Child deaths notified",
            DEFINITIONS["notified"],
            n_notified,
            None,
            none_notified,
            covered,
        ),
        _percent(
            "neonatal",
            f"Neonatal deaths (died within {NEONATAL_DAYS} days of birth)",
            DEFINITIONS["neonatal"],
            sum(1 for n, _, _ in notified if n),
            n_notified,
            none_notified,
        ),
        _percent(
            "unexpected_jar",
            "Unexpected deaths needing a Joint Agency Response",
            DEFINITIONS["unexpected_jar"],
            sum(1 for _, t, e in notified if t and e == "unexpected"),
            n_notified,
            none_notified,
        ),
        _count(
            "reviewed",
            "Deaths reviewed by the panel",
            DEFINITIONS["reviewed"],
            n_reviewed,
            None,
            none_reviewed,
            covered,
        ),
        _percent(
            "modifiable",
            "Deaths reviewed with modifiable factors",
            DEFINITIONS["modifiable"],
            sum(1 for _, _, m in reviews if m == CdopReview.Modifiable.YES),
            n_reviewed,
            none_reviewed,
        ),
    ]

    by_category_counts = Counter(c for _, c, _ in reviews)
    by_category = [
        _count(
            f"category_{c.code}",
            f"{c.code}. {c.name}",
            DEFINITIONS["category"],
            by_category_counts.get(c.code, 0),
            n_reviewed,
            none_reviewed,
            covered,
        )
        for c in code_lists.categories()
    ]

    review_ids = [pk for pk, _, _ in reviews]
    theme_counts = Counter(
        Theme.reviews.through.objects.filter(cdopreview_id__in=review_ids).values_list(
            "theme_id", flat=True
        )
    )
    themes = list(
        Theme.objects.filter(active=True) | Theme.objects.filter(pk__in=theme_counts.keys())
    )
    by_theme = sorted(
        (
            _count(
                f"theme_{t.key}",
                t.name,
                DEFINITIONS["theme"],
                theme_counts.get(t.pk, 0),
                n_reviewed,
                none_reviewed,
                covered,
            )
            for t in set(themes)
        ),
        key=lambda f: (-(f.value or 0), f.title),
    )

    trend: dict | None = None
    if trend_category is not None:
        category = code_lists.category(int(trend_category))
        if category is None:
            raise ValueError(f"No category {trend_category}")
        points = []
        for back in range(trend_years - 1, -1, -1):
            fy = year.previous(back)
            _, year_reviews = _rows(partnership_ids, fy)
            points.append(
                _count(
                    f"trend_{fy.label}",
                    fy.label,
                    DEFINITIONS["trend"],
                    sum(1 for _, c, _ in year_reviews if c == category.code),
                    len(year_reviews),
                    f"No panel reviews are recorded for {scope_label}, {fy.label}: there is no data",
                    covering(fy),
                )
            )
        trend = {"category": {"code": category.code, "name": category.name}, "years": points}

    result = {"headline": headline, "by_category": by_category, "by_theme": by_theme}
    if suppress:
        parts = [compute(partnership_ids=p, scope_label=scope_label, year=year)
                 for p in complements]
        _apply(_keys(result), _hidden(result, parts))
        if trend:
            # Each year's point is that year's category cell, hidden as its own table hides it.
            for point, back in zip(trend["years"], range(trend_years - 1, -1, -1), strict=True):
                fy = year.previous(back)
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


def complements_of(scope: Scope) -> tuple[frozenset[int], ...]:
    """For a scope of several partnerships, each set of all but one of them: with the whole,
    its figures give the one left out. Taken whoever asks, since the figures of any
    single partnership reach someone (its analysts, its yearly report)."""
    members = scope.partnership_ids
    if len(members) < 2:
        return ()
    return tuple(members - {m} for m in sorted(members))
