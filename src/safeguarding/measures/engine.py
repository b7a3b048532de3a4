"""Compute catalogue measures exactly, from tidy frames, with Polars.

The engine knows nothing of Django: ``sources.py`` turns stored returns into a
``MeasureData`` of Polars frames, and the same frames can come from a CSV scan
(the benchmark compares the two). Every result carries its numerator and
denominator; where the data does not cover the period the value is None with a
reason, never zero.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable, Iterable
from dataclasses import dataclass, field
from typing import Any

import polars as pl

from safeguarding.core.calendar import add_months
from safeguarding.measures.case_measures import (
    CATEGORY_FAMILY,
    MODULE_KINDS,
    ModuleFrames,
    ModuleMeasures,
    module_covered,
)
from safeguarding.measures.catalogue import Indicator, catalogue
from safeguarding.measures.engine_agency import AgencyMeasures
from safeguarding.measures.expressions import in_period, open_at
from safeguarding.measures.figures import per_10000, percent
from safeguarding.measures.periods import (
    Period,
    financial_year_of,
    financial_years_over,
)

DATE = pl.Date
DATETIME = pl.Datetime("us")


@dataclass
class MeasureData:
    """Frames keyed by LA (old code) and child (LA child ID), one per kind of record.

    coverage maps a data kind ("cin", "cla", "early_help", "missing", ...) to the
    (la, start, end) spans its imported returns or agency extracts cover: a
    measure is computed only where they do. The agency frames' ``child`` is the
    LA child ID of the index child the record is linked to (so it joins the
    census frames), or the record's pseudonym while it is not linked.
    """

    cin_episodes: pl.DataFrame
    assessments: pl.DataFrame
    s47: pl.DataFrame
    cp_plans: pl.DataFrame
    cla_episodes: pl.DataFrame
    early_help: pl.DataFrame
    coverage: dict[str, list[tuple[str, dt.date, dt.date]]] = field(default_factory=dict)
    holidays: tuple[dt.date, ...] = ()
    # Learning-review and child-death case frames (case_measures.py).
    modules: ModuleFrames = field(default_factory=ModuleFrames)
    missing_episodes: pl.DataFrame = field(default_factory=lambda: empty_frame("missing_episodes"))
    da_incidents: pl.DataFrame = field(default_factory=lambda: empty_frame("da_incidents"))
    exclusions: pl.DataFrame = field(default_factory=lambda: empty_frame("exclusions"))
    attendance: pl.DataFrame = field(default_factory=lambda: empty_frame("attendance"))
    mace_referrals: pl.DataFrame = field(default_factory=lambda: empty_frame("mace_referrals"))
    care_leavers: pl.DataFrame = field(default_factory=lambda: empty_frame("care_leavers"))
    # Frames other modules supply through their contract (core/modules.py), by name.
    extra: dict[str, pl.DataFrame] = field(default_factory=dict)
    # DfE's population of children aged 0 to 17 for LAs and a year ending 31 March:
    # (population, derived, reason it is missing). Rates per 10,000 are computed on it.
    population: Callable[[list[str], int], tuple[int | None, bool, str | None]] = field(
        default=lambda las, year: (None, False, "DfE's population tables are not imported"))


SCHEMAS: dict[str, dict[str, Any]] = {
    "cin_episodes": {"la": pl.String, "child": pl.String, "referral_date": DATE,
                     "closure_date": DATE, "dob": DATE, "sex": pl.String, "ethnicity": pl.String},
    "assessments": {"la": pl.String, "child": pl.String, "referral_date": DATE,
                    "authorised_date": DATE},
    "s47": {"la": pl.String, "child": pl.String, "s47_start": DATE, "icpc_date": DATE},
    # previous_plans: the return's NumberOfPreviousCPP, null where the return left it out.
    "cp_plans": {"la": pl.String, "child": pl.String, "start": DATE, "end": DATE,
                 "initial_category": pl.String, "previous_plans": pl.Int64},
    "cla_episodes": {"la": pl.String, "child": pl.String, "decom": DATE, "rne": pl.String,
                     "dec": DATE, "rec": pl.String, "dob": DATE, "sex": pl.String,
                     "ethnicity": pl.String},
    "early_help": {"la": pl.String, "child": pl.String, "start": DATE},
    # OC3: one row per care leaver and collection year (year ending 31 March).
    "care_leavers": {"la": pl.String, "child": pl.String, "year_ending": pl.Int32,
                     "in_touch": pl.String, "activity": pl.String},
    # Times of a missing episode in UTC, so 72 hours are 72 elapsed hours across a
    # clock change; a domestic abuse incident's in local time, for the school day.
    "missing_episodes": {"la": pl.String, "child": pl.String, "missing_from": DATETIME,
                         "returned_at": DATETIME, "offered_at": DATETIME,
                         "completed_at": DATETIME},
    "da_incidents": {"la": pl.String, "child": pl.String, "incident_at": DATETIME,
                     "child_present": pl.Boolean, "school_urn": pl.String,
                     "notified_at": DATETIME},
    "exclusions": {"la": pl.String, "child": pl.String, "start": DATE, "category": pl.String},
    "attendance": {"la": pl.String, "child": pl.String, "from_date": DATE, "to_date": DATE,
                   "possible": pl.Int64, "absent": pl.Int64},
    "mace_referrals": {"la": pl.String, "child": pl.String, "received": DATE,
                       "discussed": DATE, "types": pl.List(pl.String)},
}
# The coverage kind each agency template's extracts give.
COVERAGE_NAMES = {"cin": "CIN census", "cla": "SSDA903", "early_help": "early-help",
                  "missing": "missing-episodes", "police_da": "police-da-incidents",
                  "exclusions": "school-exclusions", "attendance": "school-attendance",
                  "mace": "mace-referrals"}


def empty_frame(kind: str) -> pl.DataFrame:
    return pl.DataFrame(schema=SCHEMAS[kind])


@dataclass(frozen=True)
class Result:
    id: str
    title: str
    unit: str
    value: float | int | None
    numerator: int | None
    denominator: int | None
    reason: str | None = None
    # For a count DfE publishes per 10,000 children aged 0 to 17 (catalogue ``per_10000``),
    # over a financial year: the rate, the population it is on, and why there is none.
    rate_per_10000: float | None = None
    population: int | None = None
    rate_reason: str | None = None

    def as_dict(self) -> dict:
        return {"id": self.id, "title": self.title, "unit": self.unit, "value": self.value,
                "numerator": self.numerator, "denominator": self.denominator,
                "reason": self.reason, "rate_per_10000": self.rate_per_10000,
                "population": self.population, "rate_reason": self.rate_reason}


def _rate(numerator: int, denominator: int) -> float | None:
    # Round half up to one decimal, as DfE publishes (measures/figures.py, shared with the
    # modules' statistics so the report and the catalogue round alike).
    return percent(numerator, denominator)


def _working_days(start: pl.Expr, end: pl.Expr, holidays) -> pl.Expr:
    # Count working days d with start < d <= end (the start day is day 0):
    # business_day_count counts [start, end), so shift both by a day.
    return pl.business_day_count(start.dt.offset_by("1d"), end.dt.offset_by("1d"),
                                 holidays=list(holidays))




def _spans_cover(spans: list[tuple[dt.date, dt.date]], period: Period) -> bool:
    """Whether the spans together cover every day of the period (monthly extracts cover a year)."""
    reached = period.start - dt.timedelta(days=1)
    for start, end in sorted(spans):
        if start > reached + dt.timedelta(days=1):
            break
        reached = max(reached, end)
        if reached >= period.end:
            return True
    return reached >= period.end


def _covered(data: MeasureData, kinds: str, period: Period, las: list[str]) -> str | None:
    """Why the data do not cover the period, or None; ``kinds`` joins several with +."""
    if kinds in MODULE_KINDS:
        return module_covered(data.modules, kinds, period)
    for kind in kinds.split("+"):
        spans = data.coverage.get(kind, [])
        missing = [la for la in las
                   if not _spans_cover([(s, e) for s_la, s, e in spans if s_la == la], period)]
        if missing:
            noun = "return" if kind in ("cin", "cla") else "extract"
            return (f"No {COVERAGE_NAMES.get(kind, kind)} {noun} covers {period.label} for LA "
                    f"{', '.join(missing)}")
    return None


def _years_not_covered(spans: list[tuple[dt.date, dt.date]], start: dt.date,
                       end: dt.date) -> list[Period]:
    """The financial years whose part of [start, end] the spans leave uncovered."""
    return [fy for fy in financial_years_over(start, end)
            if not _spans_cover(spans, Period(fy.label, fy.kind, max(fy.start, start),
                                              min(fy.end, end)))]


# The records a measure with a look-back counts: its frame and their date, so a
# look-back the records answer themselves (Lookback.unless_recorded) can be waived.
COUNTED = {
    "rereferrals_within_12_months_rate": ("cin_episodes", "referral_date"),
    "cpp_second_or_subsequent_rate": ("cp_plans", "start"),
}


# Count measures whose records can be listed: the frame and the filter that
# selects the records counted, for the drill-down to the children behind a figure.
MEMBERS = {
    "referrals": ("cin_episodes", lambda p: in_period("referral_date", p)),
    "cin_at_period_end": ("cin_episodes", lambda p: open_at("referral_date", "closure_date", p.end)),
    "cpp_starts": ("cp_plans", lambda p: in_period("start", p)),
    "cpp_at_period_end": ("cp_plans", lambda p: open_at("start", "end", p.end)),
    "cla_at_period_end": ("cla_episodes", lambda p: open_at("decom", "dec", p.end)),
}


class Engine(ModuleMeasures, AgencyMeasures):
    def __init__(self, data: MeasureData):
        self.data = data

    def members(self, indicator_id: str, period: Period, las: list[str]) -> pl.DataFrame:
        """The (la, child) pairs counted by a count measure, one row per child."""
        kind, condition = MEMBERS[indicator_id]
        return (self._frame(kind, las).filter(condition(period))
                .select("la", "child").unique().sort("la", "child"))

    def compute(self, period: Period, las: list[str],
                indicators: Iterable[Indicator] | None = None) -> list[Result]:
        wanted = list(indicators) if indicators is not None else list(catalogue().values())
        results = []
        for ind in wanted:
            reason = _covered(self.data, ind.data, period, las)
            if reason is None and period.kind not in ind.period_types:
                reason = f"{ind.title} is not defined for a {period.kind}"
            if reason is None and ind.lookback is not None:
                reason = self._lookback_missing(ind, period, las)
            if reason is not None:
                results.append(Result(ind.id, ind.title, ind.unit, None, None, None, reason))
                continue
            method = getattr(self, f"_{ind.id}", None) or self._by_family(ind)
            numerator, denominator = method(period, las, ind)
            if ind.is_rate:
                value = _rate(numerator, denominator)
                reason = None if value is not None else "No cases in the period (denominator is 0)"
            else:
                value, reason = numerator, None
            results.append(Result(ind.id, ind.title, ind.unit, value, numerator,
                                  denominator if ind.is_rate else None, reason,
                                  *self._per_10000(ind, period, las, value)))
        return results

    def _per_10000(self, ind: Indicator, period: Period, las: list[str], value):
        """The count per 10,000 children aged 0 to 17, for a financial year, on DfE's
        population for that year (the one DfE's own rates use) summed over the LAs."""
        if not ind.extra.get("per_10000") or value is None:
            return None, None, None
        if period.kind != "year" or period != financial_year_of(period.start):
            return None, None, ("DfE publishes rates per 10,000 children for years ending "
                                "31 March, so a rate is given for a financial year only")
        population, derived, why = self.data.population(las, period.end.year)
        if population is None:
            return None, None, why
        reason = ("The population is derived from DfE's count and rounded rate, so the rate "
                  "is approximate") if derived else None
        return per_10000(int(value), population), population, reason

    def compute_series(self, periods: list[Period], las: list[str], indicator: Indicator) -> list:
        """The value of one measure for each period, None where it is not recorded."""
        return [self.compute(p, las, [indicator])[0].value for p in periods]

    def _lookback_missing(self, ind: Indicator, period: Period, las: list[str]) -> str | None:
        """Why the loaded returns cannot give the measure for the period, or None: the
        records of ``lookback.months`` before the period are not all loaded."""
        lookback = ind.lookback
        assert lookback is not None
        start = add_months(period.start, -lookback.months)
        end = period.start - dt.timedelta(days=1)
        spans = self.data.coverage.get(lookback.data, [])
        needed = list(las)
        if lookback.unless_recorded is not None:
            frame_name, dated = COUNTED[ind.id]
            counted = self._frame(frame_name, las).filter(in_period(dated, period))
            lacking = counted.filter(pl.col(lookback.unless_recorded).is_null())
            needed = [la for la in las if la in set(lacking.get_column("la").to_list())]
        missing: dict[str, list[str]] = {}
        for la in needed:
            for fy in _years_not_covered([(s, e) for s_la, s, e in spans if s_la == la],
                                         start, end):
                missing.setdefault(fy.label.replace("-", "/"), []).append(la)
        if not missing:
            return None
        noun = "return" if lookback.data in ("cin", "cla") else "extract"
        name = COVERAGE_NAMES.get(lookback.data, lookback.data)
        every_la = sorted({la for group in missing.values() for la in group})
        return (f"incomplete: load the {' and '.join(sorted(missing))} {noun} ({name}, LA "
                f"{', '.join(every_la)}): this measure needs the {lookback.months} months "
                "before the period")

    def _frame(self, name: str, las: list[str]) -> pl.DataFrame:
        frame = self.data.extra[name] if name in self.data.extra else getattr(self.data, name)
        return frame.filter(pl.col("la").is_in(las))

    def _by_family(self, ind: Indicator):
        if ind.id.startswith("cpp_initial_category_"):
            return self._cpp_initial_category
        if ind.id.startswith(CATEGORY_FAMILY):
            return self._child_deaths_reviewed_category
        if ind.id.startswith("children_discussed_at_mace_"):
            return self._children_discussed_at_mace_by_type
        if "frame" in ind.extra and "counts_dated" in ind.extra:
            return self._records_in_period
        raise KeyError(f"No computation for indicator '{ind.id}'")

    def _records_in_period(self, period, las, ind):
        """A count declared as data: the rows of a supplied frame dated in the period. A
        percentage names the frame of its denominator in ``of_frame`` (dated the same way
        unless ``of_dated`` says otherwise); ``counts_distinct`` names a column whose distinct
        values are counted instead of the rows."""
        dated = ind.extra["counts_dated"]
        rows = self._frame(ind.extra["frame"], las).filter(in_period(dated, period))
        # ``counts_distinct: child`` counts each child once (children, not episodes).
        distinct = ind.extra.get("counts_distinct")
        numerator = rows[distinct].n_unique() if distinct else rows.height
        if "of_frame" not in ind.extra:
            return numerator, None
        of = self._frame(ind.extra["of_frame"], las)
        return numerator, of.filter(in_period(ind.extra.get("of_dated", dated), period)).height

    # CIN ------------------------------------------------------------------
    def _referrals(self, period, las, ind):
        return self._frame("cin_episodes", las).filter(in_period("referral_date", period)).height, None

    def _rereferrals_within_12_months_rate(self, period, las, ind):
        episodes = self._frame("cin_episodes", las).select("la", "child", "referral_date")
        current = episodes.filter(in_period("referral_date", period)).with_row_index("ref")
        earlier = episodes.rename({"referral_date": "earlier_date"})
        matched = (
            current.join(earlier, on=["la", "child"])
            .filter(
                (pl.col("earlier_date") < pl.col("referral_date"))
                & (pl.col("earlier_date")
                   >= pl.col("referral_date").dt.offset_by(f"-{ind.param('lookback_years')}y"))
            )
            .select("ref").unique()
        )
        return matched.height, current.height

    def _cin_at_period_end(self, period, las, ind):
        frame = self._frame("cin_episodes", las)
        return frame.filter(open_at("referral_date", "closure_date", period.end)).height, None

    def _assessments_within_45_working_days_rate(self, period, las, ind):
        frame = self._frame("assessments", las).filter(in_period("authorised_date", period))
        within = frame.filter(
            _working_days(pl.col("referral_date"), pl.col("authorised_date"),
                          self.data.holidays) <= ind.param("working_days")
        ).height
        return within, frame.height

    def _icpc_within_15_working_days_rate(self, period, las, ind):
        frame = self._frame("s47", las).filter(
            pl.col("icpc_date").is_not_null() & in_period("icpc_date", period))
        within = frame.filter(
            _working_days(pl.col("s47_start"), pl.col("icpc_date"), self.data.holidays)
            <= ind.param("working_days")
        ).height
        return within, frame.height

    def _cpp_starts(self, period, las, ind):
        return self._frame("cp_plans", las).filter(in_period("start", period)).height, None

    def _cpp_second_or_subsequent_rate(self, period, las, ind):
        # A plan is a second or subsequent one when the return says the child had a plan
        # before (NumberOfPreviousCPP above 0, counting plans in any LA), or when a loaded
        # return holds an earlier plan of the child.
        plans = self._frame("cp_plans", las).select("la", "child", "start", "previous_plans")
        starting = plans.filter(in_period("start", period))
        first_start = plans.group_by("la", "child").agg(pl.col("start").min().alias("first"))
        joined = starting.join(first_start, on=["la", "child"])
        later = (pl.col("first") < pl.col("start")) | (pl.col("previous_plans").fill_null(0) > 0)
        return joined.filter(later).height, starting.height

    def _cpp_at_period_end(self, period, las, ind):
        return self._frame("cp_plans", las).filter(open_at("start", "end", period.end)).height, None

    def _cpp_initial_category(self, period, las, ind):
        open_plans = self._frame("cp_plans", las).filter(open_at("start", "end", period.end))
        matching = open_plans.filter(pl.col("initial_category") == ind.category).height
        return matching, open_plans.height

    def _cpp_ended_lasting_2_years_or_more_rate(self, period, las, ind):
        ended = self._frame("cp_plans", las).filter(
            pl.col("end").is_not_null() & in_period("end", period))
        long = ended.filter(
            pl.col("end") >= pl.col("start").dt.offset_by(f"{ind.param('duration_years')}y")).height
        return long, ended.height

    # CLA ------------------------------------------------------------------
    def _cla_at_period_end(self, period, las, ind):
        frame = self._frame("cla_episodes", las).filter(open_at("decom", "dec", period.end))
        return frame.select("la", "child").unique().height, None

    def _cla_starts(self, period, las, ind):
        frame = self._frame("cla_episodes", las).filter(
            pl.col("rne").is_in(list(ind.param("new_period_of_care_codes")))
            & in_period("decom", period))
        return frame.select("la", "child").unique().height, None

    def _cla_ceased(self, period, las, ind):
        frame = self._frame("cla_episodes", las).filter(
            pl.col("dec").is_not_null() & in_period("dec", period)
            & ~pl.col("rec").is_in(list(ind.param("not_ceasing_codes"))))
        return frame.select("la", "child").unique().height, None

    def _care_leavers_in_education_employment_training_rate(self, period, las, ind):
        # OC3 is reported for the year the care leaver's birthday falls in, so the
        # measure is defined for financial years only (period_types in the catalogue).
        leavers = self._frame("care_leavers", las).filter(
            pl.col("year_ending") == period.end.year)
        codes = ind.param("activity_codes_in_education_employment_or_training")
        engaged = leavers.filter(pl.col("activity").is_in(list(codes)))
        return engaged.height, leavers.height

    # Early help -----------------------------------------------------------
    def _early_help_referrals(self, period, las, ind):
        return self._frame("early_help", las).filter(in_period("start", period)).height, None
