"""Learning-review and child-death measures, computed with Polars from pseudonymous case frames.

Like the rest of the engine this knows nothing of Django: ``sources.module_frames``
builds the frames (record ids, dates, codes and the child's pseudonym; no names).

Coverage: these records are kept on the platform, not imported as returns, so a
module "covers" a period when the partnership had gone live with it by the period's
start. The go-live date is the one set for the partnership (``ModuleGoLive``) or,
when none is set, 1 April of the financial year of the first case recorded in the
module (the partnership is taken to have entered that whole year's cases). From
then on an empty period is 0; before it, or before any case is recorded, the
figure is "not recorded". A period not yet begun is not recorded either, and a
period still running is counted up to today (``as_of``).

Records belong to a partnership, not to one local authority, so these measures are
computed only for the whole partnership: asked for one LA of several, they are
not recorded, with that reason.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass, field
from typing import Any

import polars as pl

from safeguarding.measures.expressions import in_period

DATE = pl.Date
LEARNING_REVIEWS = "learning_reviews"
CHILD_DEATHS = "child_deaths"
MODULE_KINDS = {LEARNING_REVIEWS: "learning review", CHILD_DEATHS: "child death review"}
CATEGORY_FAMILY = "child_deaths_reviewed_category_"

CASE_SCHEMAS = {
    "serious_incidents": {"incident": pl.Int64, "aware_on": DATE, "notification_due": DATE,
                          "notification_sent_on": DATE},
    "rapid_reviews": {"incident": pl.Int64, "started_on": DATE, "due_on": DATE,
                      "completed_on": DATE},
    "practice_reviews": {"review": pl.Int64, "kind": pl.String, "decided_on": DATE,
                         "publication_due": DATE, "published_on": DATE,
                         "deferral_reason": pl.String, "final_on": DATE},
    "review_actions": {"action": pl.Int64, "due_on": DATE, "completed_on": DATE,
                       "done": pl.Boolean},
    "learning_events": {"event": pl.Int64, "held_on": DATE, "attendees": pl.Int64},
    "child_deaths": {"case": pl.Int64, "child": pl.String, "notified_on": DATE,
                     "age_at_death_days": pl.Int64, "expected": pl.String,
                     "jar_triggers": pl.Int64},
    "cdop_reviews": {"case": pl.Int64, "review_date": DATE, "category": pl.Int64,
                     "modifiable": pl.String},
}


def empty_case_frame(kind: str) -> pl.DataFrame:
    return pl.DataFrame(schema=CASE_SCHEMAS[kind])


def _empty(kind: str):
    return field(default_factory=lambda: empty_case_frame(kind))


@dataclass
class ModuleFrames:
    """The partnership's case frames, when each module went live, and the day counted to."""

    serious_incidents: pl.DataFrame = _empty("serious_incidents")
    rapid_reviews: pl.DataFrame = _empty("rapid_reviews")
    practice_reviews: pl.DataFrame = _empty("practice_reviews")
    review_actions: pl.DataFrame = _empty("review_actions")
    learning_events: pl.DataFrame = _empty("learning_events")
    child_deaths: pl.DataFrame = _empty("child_deaths")
    cdop_reviews: pl.DataFrame = _empty("cdop_reviews")
    live_from: dict[str, dt.date | None] = field(default_factory=dict)
    as_of: dt.date = field(default_factory=dt.date.today)
    # Why nothing is computed at all (for example: asked for one LA of several).
    unavailable: str | None = None
    # Case frames other modules supply through their contract (core/modules.py), by name.
    extra: dict[str, pl.DataFrame] = field(default_factory=dict)


def module_covered(modules: ModuleFrames, kind: str, period) -> str | None:
    """None when the module covers the period, else the reason the figure is not recorded."""
    name = MODULE_KINDS[kind]
    if modules.unavailable:
        return modules.unavailable
    return not_covered_reason(name, modules.live_from.get(kind), period, modules.as_of)


def not_covered_reason(name: str, live: dt.date | None, period, as_of: dt.date) -> str | None:
    """The coverage rule on its own, for the modules' statistics too: None when covered."""
    if live is None:
        return f"No {name} case is recorded on the platform for this partnership"
    if period.start < live:
        return (f"The {name} module went live on {live:%-d %B %Y}, after {period.label} "
                "began: earlier cases are not recorded on the platform")
    if period.start > as_of:
        return f"{period.label} has not begun"
    return None



# The case-work clocks: (frame, the date the clock starts on, the date the step was done,
# the due date stored when the clock started).
CLOCKS = {"notification": ("serious_incidents", "aware_on", "notification_sent_on",
                           "notification_due"),
          "rapid_review": ("rapid_reviews", "started_on", "completed_on", "due_on"),
          "publication": ("practice_reviews", "publication_due", "published_on",
                          "publication_due")}


def _decided(done: str, due: str, as_of: dt.date) -> pl.Expr:
    """A clock is decided once the step is done or its due date has passed."""
    return pl.col(done).is_not_null() | (pl.col(due) < as_of)


def _on_time(frame: pl.DataFrame, done: str, due: str, as_of: dt.date) -> tuple[int, int]:
    """(met, decided): clocks still running are left out until they are decided. Met means
    done on or before the due date stored when the clock started (the working-day rule of
    the day, kept with the record)."""
    decided = frame.filter(_decided(done, due, as_of))
    met = decided.filter(pl.col(done).is_not_null() & (pl.col(done) <= pl.col(due))).height
    return met, decided.height


def _running(frame: pl.DataFrame, done: str, due: str, as_of: dt.date) -> tuple[int, None]:
    """The clocks not yet decided: left out of the on-time figure until they are."""
    return frame.filter(~_decided(done, due, as_of)).height, None


class ModuleMeasures:
    """The computations, mixed into ``engine.Engine``; each returns (numerator, denominator)."""

    data: Any  # engine.MeasureData, which carries ``modules``

    @property
    def _modules(self) -> ModuleFrames:
        return self.data.modules

    # Learning reviews ------------------------------------------------------
    def _clock(self, name: str, period) -> tuple[pl.DataFrame, str, str, dt.date]:
        """The clocks of one kind started in the period: (frame, done column, due column,
        the day they are judged on)."""
        kind, started, done, due = CLOCKS[name]
        frame = getattr(self._modules, kind).filter(in_period(started, period))
        return frame, done, due, self._modules.as_of

    def _serious_incident_notifications_on_time(self, period, las, ind):
        return _on_time(*self._clock("notification", period))

    def _rapid_reviews_on_time(self, period, las, ind):
        return _on_time(*self._clock("rapid_review", period))

    def _practice_reviews_published_on_time(self, period, las, ind):
        return _on_time(*self._clock("publication", period))

    def _fallen_due(self, period) -> tuple[pl.DataFrame, dt.date]:
        """The actions due before the end of the period (or today, for one not yet ended)."""
        m = self._modules
        cut_off = min(period.end, m.as_of)
        return m.review_actions.filter(pl.col("due_on") < cut_off), cut_off

    def _serious_incident_notification_clocks_running(self, period, las, ind):
        return _running(*self._clock("notification", period))

    def _rapid_review_clocks_running(self, period, las, ind):
        return _running(*self._clock("rapid_review", period))

    def _practice_review_publication_clocks_running(self, period, las, ind):
        return _running(*self._clock("publication", period))

    def _practice_reviews_due_and_deferred(self, period, las, ind):
        m = self._modules
        deferred = m.practice_reviews.filter(
            in_period("publication_due", period) & (pl.col("publication_due") < m.as_of)
            & pl.col("published_on").is_null()
            & (pl.col("deferral_reason").fill_null("") != ""))
        return deferred.height, None

    def _overdue_review_actions(self, period, las, ind):
        fallen_due, cut_off = self._fallen_due(period)
        overdue = fallen_due.filter(
            pl.col("completed_on").is_null() | (pl.col("completed_on") > cut_off))
        return overdue.height, None

    def _review_actions_fallen_due(self, period, las, ind):
        return self._fallen_due(period)[0].height, None

    def _review_actions_done(self, period, las, ind):
        done = self._modules.review_actions.filter(pl.col("done") & in_period("completed_on",
                                                                              period))
        return done.height, None

    def _rapid_reviews_started(self, period, las, ind):
        return self._modules.rapid_reviews.filter(in_period("started_on", period)).height, None

    def _completed(self, period) -> pl.DataFrame:
        return self._modules.practice_reviews.filter(in_period("final_on", period))

    def _practice_reviews_completed(self, period, las, ind):
        return self._completed(period).height, None

    def _practice_reviews_completed_and_deferred(self, period, las, ind):
        deferred = self._completed(period).filter(
            pl.col("published_on").is_null() & (pl.col("deferral_reason").fill_null("") != ""))
        return deferred.height, None

    def _practice_reviews_published(self, period, las, ind):
        return self._modules.practice_reviews.filter(
            in_period("published_on", period)).height, None

    def _learning_events_held(self, period, las, ind):
        return self._modules.learning_events.filter(in_period("held_on", period)).height, None

    def _learning_event_reach(self, period, las, ind):
        held = self._modules.learning_events.filter(in_period("held_on", period))
        return int(held["attendees"].sum() or 0), None

    # Child deaths ------------------------------------------------------------
    def _notified(self, period) -> pl.DataFrame:
        return self._modules.child_deaths.filter(in_period("notified_on", period))

    def _reviewed(self, period) -> pl.DataFrame:
        return self._modules.cdop_reviews.filter(in_period("review_date", period))

    def _child_deaths_notified(self, period, las, ind):
        return self._notified(period).height, None

    def _child_deaths_neonatal_rate(self, period, las, ind):
        notified = self._notified(period)
        # The day of birth is day 0: under neonatal_days completed days is neonatal.
        neonatal = notified.filter(pl.col("age_at_death_days") < ind.param("neonatal_days"))
        return neonatal.height, notified.height

    def _child_deaths_unexpected_jar_rate(self, period, las, ind):
        notified = self._notified(period)
        jar = notified.filter((pl.col("expected") == "unexpected") & (pl.col("jar_triggers") > 0))
        return jar.height, notified.height

    def _child_deaths_reviewed(self, period, las, ind):
        return self._reviewed(period).height, None

    def _child_deaths_reviewed_modifiable_rate(self, period, las, ind):
        reviewed = self._reviewed(period)
        return reviewed.filter(pl.col("modifiable") == "yes").height, reviewed.height

    def _child_deaths_reviewed_category(self, period, las, ind):
        reviewed = self._reviewed(period)
        return reviewed.filter(pl.col("category") == int(ind.category)).height, None
