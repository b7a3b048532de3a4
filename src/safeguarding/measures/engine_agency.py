"""Measures computed from the agency templates: missing, police DA, schools, MACE.

A mixin of ``engine.Engine``, kept apart for size: the same frames, the same
(numerator, denominator) contract. Each definition is in
catalogue/partnership.yaml, with its source.
"""

from __future__ import annotations

from typing import TYPE_CHECKING

import polars as pl

from safeguarding.measures.expressions import day_in_period, in_period

if TYPE_CHECKING:
    from safeguarding.measures.engine import MeasureData




class AgencyMeasures:
    data: MeasureData

    def _frame(self, name: str, las: list[str]) -> pl.DataFrame:
        raise NotImplementedError

    # Missing episodes and return interviews ------------------------------
    def _missing_episodes(self, period, las, ind):
        frame = self._frame("missing_episodes", las)
        return frame.filter(day_in_period("missing_from", period)).height, None

    def _children_missing(self, period, las, ind):
        frame = self._frame("missing_episodes", las).filter(day_in_period("missing_from", period))
        return frame.select("la", "child").unique().height, None

    def _returned(self, period, las):
        return self._frame("missing_episodes", las).filter(
            pl.col("returned_at").is_not_null() & day_in_period("returned_at", period))

    def _return_interviews_offered_within_72_hours_rate(self, period, las, ind):
        returned = self._returned(period, las)
        within = returned.filter(
            pl.col("offered_at")
            <= pl.col("returned_at") + pl.duration(hours=ind.param("within_hours"))).height
        return within, returned.height

    def _return_interviews_completed_within_72_hours_rate(self, period, las, ind):
        returned = self._returned(period, las)
        within = returned.filter(
            pl.col("completed_at")
            <= pl.col("returned_at") + pl.duration(hours=ind.param("within_hours"))).height
        return within, returned.height

    # Domestic abuse and Operation Encompass -------------------------------
    def _da_incidents_children_present(self, period, las, ind):
        frame = self._frame("da_incidents", las).filter(
            day_in_period("incident_at", period) & pl.col("child_present"))
        return frame.height, None

    def _encompass_notified_before_next_school_day_rate(self, period, las, ind):
        hour, minute = (int(part) for part in ind.param("school_day_starts").split(":"))
        at_school = self._frame("da_incidents", las).filter(
            day_in_period("incident_at", period) & pl.col("school_urn").is_not_null())
        deadline = (pl.col("incident_at").dt.date()
                    .dt.add_business_days(1, holidays=list(self.data.holidays), roll="backward")
                    .dt.combine(pl.time(hour, minute)))
        on_time = at_school.filter(pl.col("notified_at") < deadline).height
        return on_time, at_school.height

    # Schools ----------------------------------------------------------------
    def _known_to_social_care_on(self, frame: pl.DataFrame, day_column: str, las) -> pl.DataFrame:
        """Rows of ``frame`` whose child had a CIN episode, CP plan or CLA episode open that day."""
        keyed = frame.with_row_index("row")
        spans = pl.concat([
            self._frame("cin_episodes", las).select(
                "la", "child", pl.col("referral_date").alias("from"),
                pl.col("closure_date").alias("to")),
            self._frame("cp_plans", las).select(
                "la", "child", pl.col("start").alias("from"), pl.col("end").alias("to")),
            self._frame("cla_episodes", las).select(
                "la", "child", pl.col("decom").alias("from"), pl.col("dec").alias("to")),
        ])
        open_rows = keyed.join(spans, on=["la", "child"]).filter(
            (pl.col("from") <= pl.col(day_column))
            & (pl.col("to").is_null() | (pl.col("to") >= pl.col(day_column))))
        return keyed.join(open_rows.select("row").unique(), on="row", how="semi")

    def _exclusions_known(self, period, las, ind):
        frame = self._frame("exclusions", las).filter(
            in_period("start", period) & (pl.col("category") == ind.param("exclusion_category")))
        return self._known_to_social_care_on(frame, "start", las).height

    def _suspensions_children_known_to_social_care(self, period, las, ind):
        return self._exclusions_known(period, las, ind), None

    def _permanent_exclusions_children_known_to_social_care(self, period, las, ind):
        return self._exclusions_known(period, las, ind), None

    def _persistent_absence(self, period, las, ind, group: pl.DataFrame):
        pupils = (self._frame("attendance", las)
                  .filter((pl.col("from_date") >= period.start) & (pl.col("to_date") <= period.end))
                  .group_by("la", "child")
                  .agg(pl.col("possible").sum(), pl.col("absent").sum())
                  .filter(pl.col("possible") > 0)
                  .join(group.select("la", "child").unique(), on=["la", "child"], how="semi"))
        # Persistently absent when missing absence_percent or more of possible sessions
        # (whole numbers, so no rounding of a share).
        persistent = pupils.filter(
            pl.col("absent") * 100 >= pl.col("possible") * ind.param("absence_percent")).height
        return persistent, pupils.height

    def _open_in(self, kind: str, start: str, end: str, period, las) -> pl.DataFrame:
        return self._frame(kind, las).filter(
            (pl.col(start) <= period.end) & (pl.col(end).is_null() | (pl.col(end) >= period.start)))

    def _persistent_absence_children_in_need_rate(self, period, las, ind):
        return self._persistent_absence(period, las, ind, self._open_in(
            "cin_episodes", "referral_date", "closure_date", period, las))

    def _persistent_absence_child_protection_rate(self, period, las, ind):
        return self._persistent_absence(period, las, ind, self._open_in(
            "cp_plans", "start", "end", period, las))

    def _persistent_absence_looked_after_rate(self, period, las, ind):
        return self._persistent_absence(period, las, ind, self._open_in(
            "cla_episodes", "decom", "dec", period, las))

    # MACE -------------------------------------------------------------------
    def _mace_referrals(self, period, las, ind):
        return self._frame("mace_referrals", las).filter(in_period("received", period)).height, None

    def _discussed(self, period, las) -> pl.DataFrame:
        return self._frame("mace_referrals", las).filter(
            pl.col("discussed").is_not_null() & in_period("discussed", period))

    def _children_discussed_at_mace(self, period, las, ind):
        return self._discussed(period, las).select("la", "child").unique().height, None

    def _children_discussed_at_mace_by_type(self, period, las, ind):
        discussed = self._discussed(period, las).filter(
            pl.col("types").list.contains(ind.category))
        return discussed.select("la", "child").unique().height, None
