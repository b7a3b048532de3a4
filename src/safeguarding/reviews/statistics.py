"""The learning-review statistics: the measure engine's figures, with small numbers hidden.

Every figure here is a catalogue measure (reviews/catalogue.yaml, declared in the
app's contract) computed once by the measure engine (measures/case_measures.py) and
read from its stored results (``measures.selectors.case_figures``); this module
computes none. It adds the breakdown tables the engine does not keep (rapid reviews
by the children's partnership, decisions, themes: ``reviews.selectors.yearly_tables``)
and hides small numbers by the one rule (core/disclosure.py) for those who see
aggregates only.

A partnership's figures cover the records it owns and, where another partnership
hosts its practice-review coordination, the host's records about its own children.
"""

from __future__ import annotations

from dataclasses import replace

from safeguarding.core import disclosure
from safeguarding.core.models import Partnership
from safeguarding.measures.figures import Figure
from safeguarding.measures.periods import Period
from safeguarding.measures.selectors import case_figures
from safeguarding.reviews.selectors import yearly_tables

# The four timeliness figures, then the counts the yearly summary quotes, by summary key.
FIGURES = ("serious_incident_notifications_on_time", "rapid_reviews_on_time",
           "practice_reviews_published_on_time", "overdue_review_actions")
FALLEN_DUE = "review_actions_fallen_due"
# The notes beside each timeliness figure ("detail"), each a catalogue measure.
DETAIL = {"serious_incident_notifications_on_time":
              {"running": "serious_incident_notification_clocks_running"},
          "rapid_reviews_on_time": {"running": "rapid_review_clocks_running"},
          "practice_reviews_published_on_time":
              {"deferred": "practice_reviews_due_and_deferred",
               "running": "practice_review_publication_clocks_running"}}
SUMMARY_MEASURES = {"rapid_reviews": "rapid_reviews_started",
                    "practice_reviews_completed": "practice_reviews_completed",
                    "practice_reviews_published": "practice_reviews_published",
                    "practice_reviews_completed_and_deferred":
                        "practice_reviews_completed_and_deferred",
                    "learning_events": "learning_events_held",
                    "learning_reach": "learning_event_reach",
                    "actions_done_in_year": "review_actions_done"}


def statistics(partnership: Partnership, period: Period) -> tuple[list[Figure], dict]:
    """The four catalogue figures and the yearly summary for one partnership and year."""
    notes = [i for detail in DETAIL.values() for i in detail.values()]
    found = case_figures(partnership=partnership, periods=[period],
                         ids=[*FIGURES, FALLEN_DUE, *notes, *SUMMARY_MEASURES.values()]
                         )[period.label]
    figures = [replace(found[i], detail={key: found[note].value
                                         for key, note in DETAIL.get(i, {}).items()})
               for i in FIGURES]
    overdue = figures[-1]
    if overdue.value is not None:
        # "n of m fallen due": the overdue actions out of those due by the end of the year.
        figures[-1] = replace(overdue, denominator=found[FALLEN_DUE].numerator)
    summary: dict = {"period": period.label}
    summary |= {key: found[i].value for key, i in SUMMARY_MEASURES.items()}
    # Why the counts are empty, when the module does not cover the year.
    summary["reason"] = next((found[i].reason for i in SUMMARY_MEASURES.values()
                              if found[i].value is None), "")
    summary |= yearly_tables(partnership, period)
    return figures, summary


# Disclosure control ----------------------------------------------------------------

SUMMARY_COUNTS = ("rapid_reviews", "practice_reviews_completed", "practice_reviews_published",
                  "practice_reviews_completed_and_deferred", "learning_events",
                  "actions_done_in_year")
SUMMARY_TABLES = {"rapid_reviews_by_childrens_partnership": "rapid_reviews",
                  "decisions": "rapid_reviews", "themes": None}


def sees_true_numbers(user, partnership: Partnership) -> bool:
    """Those who may read the reviews themselves; analysts and board members (who see
    aggregates and summaries only) get small numbers hidden."""
    from safeguarding.reviews.rules import Level, review_access

    return review_access(user).level(partnership.pk) >= Level.READ


def disclosed(figures: list[Figure], summary: dict) -> tuple[list[Figure], dict]:
    """The figures and the yearly summary with small numbers hidden (core/disclosure.py):
    counts of 1 to 4, percentages made of them, and a second cell of any table whose
    hidden cell could be worked out from its total."""
    rates = [f for f in figures if f.unit == "percent"]
    hidden_rates = disclosure.suppress_rates(
        {f.id: f.numerator for f in rates}, {f.id: f.denominator for f in rates})
    out = []
    for f in figures:
        # The notes beside a figure (clocks running, deferred) are counts too.
        f = replace(f, detail={k: None if disclosure.is_small(v) else v
                               for k, v in f.detail.items()})
        if f.unit == "count":
            small = disclosure.suppress({"n": f.value, "d": f.denominator,
                                         "rest": None if f.value is None or f.denominator is None
                                         else f.denominator - f.value})
            if "n" in small or "rest" in small:
                f = replace(f, value=None, numerator=None, reason=disclosure.PRIMARY_REASON,
                            denominator=None)
            elif "d" in small:
                f = replace(f, denominator=None)
        elif f.id in hidden_rates:
            f = replace(f, value=None, numerator=None, reason=hidden_rates[f.id],
                        denominator=None if disclosure.is_small(f.denominator) else f.denominator)
        out.append(f)
    values: dict = {k: summary[k] for k in SUMMARY_COUNTS}
    groups = []
    for table, total in SUMMARY_TABLES.items():
        values |= {(table, k): v for k, v in summary[table].items()}
        if total:
            groups.append(disclosure.group(total, [(table, k) for k in summary[table]]))
    hidden = disclosure.suppress(values, groups)
    shown = dict(summary)
    for k in SUMMARY_COUNTS:
        if k in hidden:
            shown[k] = None
    for table in SUMMARY_TABLES:
        shown[table] = {k: (None if (table, k) in hidden else v)
                        for k, v in summary[table].items()}
    return out, shown
