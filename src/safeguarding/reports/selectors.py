"""Reads for the yearly report: narrative versions, publications, commitments, and the
figures other apps give it (the indicator catalogue and the modules' statistics).

``reports`` reads ``measures`` and the apps' ``statistics`` modules, nothing else.
Where a module is missing, or does not (yet) offer the function the report
needs, the read returns ``Unavailable`` with the reason, and the report shows
the figure as not recorded: it never falls back to a number of its own.
"""

from __future__ import annotations

import datetime as dt
import logging
from dataclasses import dataclass
from typing import TYPE_CHECKING

from django.db.models import Max, QuerySet

from safeguarding.core.models import Partnership, SharedFunction, SubGroup
from safeguarding.measures.periods import (
    Period,
    PeriodError,
    financial_years_since,
    parse,
    parse_financial_year,
    years_ending_with,
)
from safeguarding.reports.models import (
    Block,
    NarrativeVersion,
    PublishedReport,
    ReportSend,
)
from safeguarding.reports.rules import reader_partnerships

if TYPE_CHECKING:
    from safeguarding.measures.selectors import Disclosed

log = logging.getLogger(__name__)


class ReportYearError(ValueError):
    pass


def report_year(label: str) -> Period:
    """A financial year written 2020-21 (or 2020/21), or ReportYearError saying what is wrong."""
    text = (label or "").strip()
    if len(text) == 7 and text[4] == "/":
        text = text.replace("/", "-")
    try:
        period = parse(text)
    except PeriodError:
        raise ReportYearError(f"'{label}' is not a reporting year: write it like 2020-21") from None
    if period.kind != "year":
        raise ReportYearError(f"'{label}' is a {period.kind}: a yearly report covers a "
                              "financial year, written like 2020-21")
    return period


def year_choices(today: dt.date | None = None) -> list[str]:
    """Financial years from 2018-19 to the current one, newest first."""
    return [p.label for p in financial_years_since(today=today or dt.date.today())]


def readable_partnerships(user) -> QuerySet[Partnership]:
    return Partnership.objects.filter(pk__in=reader_partnerships(user)).order_by("name")


# Narrative -------------------------------------------------------------------------------


def current_narrative(partnership: Partnership, year: str) -> dict[str, NarrativeVersion | None]:
    """The newest version of every block (None where nothing has been written yet)."""
    found: dict[str, NarrativeVersion | None] = {b: None for b in Block.values}
    rows = (NarrativeVersion.objects.filter(partnership=partnership, year=year)
            .select_related("created_by").order_by("block", "-number"))
    for row in rows:
        if found.get(row.block) is None:
            found[row.block] = row
    return found


def narrative_history(partnership: Partnership, year: str, block: str) -> QuerySet:
    return (NarrativeVersion.objects.filter(partnership=partnership, year=year, block=block)
            .select_related("created_by").order_by("-number"))


def narrative_version(partnership: Partnership, year: str, block: str,
                      number: int) -> NarrativeVersion | None:
    return (NarrativeVersion.objects.filter(partnership=partnership, year=year, block=block,
                                            number=number)
            .select_related("created_by").first())


def next_narrative_number(partnership: Partnership, year: str, block: str) -> int:
    top = NarrativeVersion.objects.filter(partnership=partnership, year=year,
                                          block=block).aggregate(top=Max("number"))["top"]
    return (top or 0) + 1


# Publications and commitments ------------------------------------------------------------


def publications(partnership: Partnership, year: str) -> QuerySet:
    return (PublishedReport.objects.filter(partnership=partnership, year=year)
            .select_related("published_by").defer("html", "pdf").order_by("-number"))


def publication(partnership: Partnership, year: str, number: int) -> PublishedReport | None:
    return (PublishedReport.objects.filter(partnership=partnership, year=year, number=number)
            .select_related("published_by").first())


def latest_publication(partnership: Partnership, year: str) -> PublishedReport | None:
    return publications(partnership, year).first()


def first_publication(partnership: Partnership, year: str) -> PublishedReport | None:
    """The first published version: the report's publication date."""
    return (PublishedReport.objects.filter(partnership=partnership, year=year)
            .defer("html", "pdf").order_by("number").first())


def report_sends(partnership: Partnership, year: str) -> dict[str, ReportSend]:
    return {s.recipient: s for s in ReportSend.objects.filter(partnership=partnership,
                                                               year=year)}


# The partnership itself (core) ------------------------------------------------------------


@dataclass(frozen=True)
class Arrangements:
    local_authorities: list[str]
    sub_groups: list[str]
    shares_given: list[tuple[str, str]]  # (function, partner)
    shares_received: list[tuple[str, str]]  # (function, host)


def arrangements(partnership: Partnership) -> Arrangements:
    las = [la.name or la.old_code for la in partnership.local_authorities.order_by("name")]
    groups = list(SubGroup.objects.filter(partnership=partnership).order_by("name")
                  .values_list("name", flat=True))
    labels = dict(SharedFunction.choices)
    given = [(labels.get(s.function, s.function).lower(), s.shared_with.name)
             for s in partnership.shares_given.select_related("shared_with")
             .order_by("function", "shared_with__name")]
    received = [(labels.get(s.function, s.function).lower(), s.owner.name)
                for s in partnership.shares_received.select_related("owner")
                .order_by("function", "owner__name")]
    return Arrangements(las, groups, given, received)


# Figures from other apps ------------------------------------------------------------------


@dataclass(frozen=True)
class Unavailable:
    """A module's figures that the platform cannot give, and why."""

    reason: str


class MeasureReader:
    """The indicator catalogue for one partnership, with its data loaded once per report.

    This is ``measures.selectors.compute`` with the frames shared between the
    periods the report asks for (the year, the year before, their quarters).
    """

    def __init__(self, partnership: Partnership):
        from safeguarding.measures import sources
        from safeguarding.measures.engine import Engine
        from safeguarding.measures.selectors import partnership_las

        self.partnership = partnership
        self.las = partnership_las(partnership)
        self.engine = Engine(sources.measure_data(self.las))
        self._cache: dict[tuple[str, str], object] = {}
        self._published: Disclosed | None = None
        self._stored: dict[str, object] = {}

    def result(self, indicator, period: Period):
        key = (indicator.id, period.label)
        if key not in self._cache:
            (self._cache[key],) = self.engine.compute(period, self.las, [indicator])
        return self._cache[key]

    def published_result(self, indicator, period: Period):
        """The result as the published report may show it: small numbers, and numbers that
        would give one away by subtraction, hidden by the one rule (core/disclosure.py),
        the same cells as the dashboard hides from the board."""
        from safeguarding.measures import cache
        from safeguarding.measures.selectors import disclosure_periods, published_view

        if self._published is None:
            self._published = published_view(self.partnership)
        if period.label not in self._stored:
            found = cache.results_for(partnership=self.partnership,
                                      periods=disclosure_periods([period]))
            self._stored.update(dict.fromkeys(found.documents, found))
        return self._published.result(self._stored[period.label], period, indicator.id)

    def benchmarks(self, indicator, period: Period) -> dict | None:
        """England, region and statistical neighbours for the measure (on rates per 10,000
        children for counts DfE publishes as rates), from the imported DfE tables."""
        from safeguarding.measures.selectors import benchmarks_for

        return benchmarks_for(indicator, partnership=self.partnership, period=period,
                              las=self.las)


def measure_targets(partnership: Partnership) -> dict:
    from safeguarding.measures.selectors import current_targets

    return current_targets(partnership)


def measure_rag(indicator, value, target) -> str | None:
    from safeguarding.measures.selectors import rag

    return rag(indicator, value, target)


def _unavailable(module: str, function: str, error: Exception) -> Unavailable:
    log.warning("yearly report: %s.%s unavailable: %s", module, function, error)
    return Unavailable(f"The {module} module does not provide {function} in the form the "
                       f"report needs ({type(error).__name__}: {error})")


def practice_review_figures(partnership: Partnership, year: Period):
    """``reviews.statistics``: the catalogue figures and the yearly summary for the year,
    the measure engine's stored results."""
    try:
        from safeguarding.reviews import statistics
    except ImportError as error:
        return _unavailable("practice reviews", "statistics", error)
    try:
        figures, summary = statistics.statistics(partnership, year)
        # The report is a public document: small numbers are hidden by the one rule
        # (core/disclosure.py), as on the statistics page for analysts and the board.
        shown_figures, shown_summary = statistics.disclosed(figures, summary)
    except (AttributeError, TypeError) as error:
        return _unavailable("practice reviews", "statistics", error)
    in_use = (any(isinstance(v, int) and v > 0 for v in summary.values())
              or any(getattr(f, "value", None) is not None for f in figures))
    return {"figures": shown_figures, "summary": shown_summary, "in_use": in_use}


def child_death_figures(partnership: Partnership, year: Period, *, trend_years: int = 4):
    """``child_deaths.statistics.compute`` for the partnership's own deaths, small numbers
    suppressed (the report is a public document), with the years before for comparison."""
    try:
        from safeguarding.child_deaths import statistics
    except ImportError as error:
        return _unavailable("child death review", "statistics", error)
    try:
        fy = parse_financial_year(year.label)  # the report's year is a financial year
        found = {}
        for each in years_ending_with(fy, trend_years):
            found[each.label] = statistics.compute(
                partnership_ids={partnership.pk}, scope_label=partnership.name, year=each,
                suppress=True)
        return found
    except (AttributeError, TypeError) as error:
        return _unavailable("child death review", "compute", error)


@dataclass(frozen=True)
class JointPanel:
    """The joint child death panel's label, its statistics scope key and its figures by year
    (``child_deaths.statistics.compute`` over the panel's partnerships, as the statistics
    page computes them, small numbers suppressed, with each member left out in turn)."""

    key: str
    label: str
    members: list[str]
    figures: dict


def joint_child_death_figures(partnership: Partnership, year: Period, *,
                              trend_years: int = 4) -> JointPanel | None:
    """The joint panel's figures where this partnership's deaths go to a joint panel."""
    try:
        from safeguarding.child_deaths import statistics
    except ImportError:
        return None
    scope = statistics.joint_panel_of(partnership.pk)
    if scope is None:
        return None
    fy = parse_financial_year(year.label)
    figures = {each.label: statistics.compute(
        partnership_ids=scope.partnership_ids, scope_label=scope.label, year=each,
        suppress=True, complements=statistics.complements_of(scope))
        for each in years_ending_with(fy, trend_years)}
    members = list(Partnership.objects.filter(pk__in=scope.partnership_ids)
                   .order_by("name").values_list("name", flat=True))
    return JointPanel(key=scope.key, label=scope.label, members=members, figures=figures)


def joint_function(partnership: Partnership, function: str) -> tuple[list[str], str | None]:
    """(partnerships this one hosts the function for, the partnership hosting it for this one)."""
    hosted_for = list(partnership.shares_given.filter(function=function)
                      .order_by("shared_with__name").values_list("shared_with__name", flat=True))
    host = (partnership.shares_received.filter(function=function).order_by("owner__name")
            .values_list("owner__name", flat=True).first())
    return hosted_for, host


def publications_for(partnership: Partnership) -> QuerySet:
    """Every published version of every year, newest year first."""
    return (PublishedReport.objects.filter(partnership=partnership)
            .select_related("published_by").defer("html", "pdf").order_by("-year", "-number"))
