"""Figures for the indicator catalogue and the yearly report.

Each figure carries its definition, its numerator and denominator, and, when
there is nothing to count, ``value=None`` with the reason: never a zero that
only means "no data" (once the partnership has gone live with the module, by the
catalogue's coverage rule, an empty count is 0). Periods are financial years, 1 April to 31 March
(``measures.periods.Period``); figures are ``measures.figures.Figure`` with the
catalogue's ids, and tests/reviews/test_catalogue_agreement.py checks that the
catalogue (measures/catalogue/learning_reviews.yaml) gives the same numbers.

A partnership's figures cover the records it owns and, where another partnership
hosts its practice-review coordination, the host's records about its own children.
"""

from __future__ import annotations

import datetime as dt
from collections import Counter
from dataclasses import replace
from typing import Any

from django.db.models import Q, QuerySet

from safeguarding.core import disclosure
from safeguarding.core.deadlines import rule as deadline_rule
from safeguarding.core.models import Partnership
from safeguarding.measures.case_measures import LEARNING_REVIEWS, not_covered_reason
from safeguarding.measures.figures import Figure, percent
from safeguarding.measures.periods import Period
from safeguarding.measures.sources import module_live_from
from safeguarding.reviews import clocks
from safeguarding.reviews.models import (
    Action,
    ActionStatus,
    LearningEvent,
    PracticeReview,
    RapidReview,
    SeriousIncident,
    Theme,
)


def _percent(numerator: int, denominator: int) -> float:
    return percent(numerator, denominator) or 0.0


def incidents_in_scope(partnership: Partnership) -> QuerySet:
    ids = SeriousIncident.objects.filter(
        Q(partnership=partnership) | Q(children__partnership=partnership)
    ).values("pk")
    return SeriousIncident.objects.filter(pk__in=ids)


def practice_reviews_in_scope(partnership: Partnership) -> QuerySet:
    ids = PracticeReview.objects.filter(
        Q(partnership=partnership) | Q(incidents__children__partnership=partnership)
    ).values("pk")
    return PracticeReview.objects.filter(pk__in=ids)


def actions_in_scope(partnership: Partnership) -> QuerySet:
    incidents = incidents_in_scope(partnership).values("pk")
    reviews = practice_reviews_in_scope(partnership).values("pk")
    return Action.objects.filter(
        Q(partnership=partnership)
        | Q(recommendation__finding__practice_review__in=reviews)
        | Q(recommendation__finding__rapid_review__incident__in=incidents))


def covers(partnership: Partnership, period: Period, as_of: dt.date | None = None) -> bool:
    """Whether the partnership kept its reviews on the platform for the period: the catalogue's
    coverage rule (measures/case_measures.py), so an empty period after go-live is 0."""
    live = module_live_from(partnership, LEARNING_REVIEWS)
    return not_covered_reason("learning review", live, period, as_of or clocks.today()) is None


def _cut_off(period: Period, as_of: dt.date | None) -> dt.date:
    return min(period.end, as_of or clocks.today())


NOTIFICATIONS_DEFINITION = (
    "Of the serious incidents the local authority became aware of in the year, the "
    "percentage notified to the Child Safeguarding Practice Review Panel within "
    f"{deadline_rule('serious_incident_notification').amount} working "
    "days of becoming aware (on or before the stored due date). Incidents not yet notified "
    "whose due date has not passed are left out until their clock runs out.")
RAPID_REVIEWS_DEFINITION = (
    "Of the rapid reviews whose clock started in the year (the date of the notification), "
    f"the percentage sent to the Panel within {deadline_rule('rapid_review').amount} working "
    "days of the notification. Rapid "
    "reviews not yet sent whose due date has not passed are left out.")
PUBLICATION_DEFINITION = (
    "Of the local and thematic practice reviews whose publication fell due in the year "
    f"({deadline_rule('practice_review_publication').amount} months after the decision to "
    "carry out the review), the percentage published on or "
    "before that date. Reviews whose publication was deferred count as not published on "
    "time, and are also counted on their own.")
OVERDUE_ACTIONS_DEFINITION = (
    "The number of actions from reviews that were overdue at the end of the year (or today, "
    "for a year not yet ended): due before that day and not done by it.")


def notifications_on_time(partnership: Partnership, period: Period,
                          as_of: dt.date | None = None) -> Figure:
    on = as_of or clocks.today()
    incidents = list(incidents_in_scope(partnership).filter(
        aware_on__gte=period.start, aware_on__lte=period.end).values(
        "notification_due", "notification_sent_on"))
    decided = [i for i in incidents if i["notification_sent_on"] or i["notification_due"] < on]
    common: dict[str, Any] = {"id": "serious_incident_notifications_on_time",
              "title": "Serious incident notifications made on time",
              "definition": NOTIFICATIONS_DEFINITION, "unit": "percent",
              "rules": ("serious_incident_notification",),
              "detail": {"running": len(incidents) - len(decided)}}
    if not decided:
        reason = (f"No serious incidents were recorded for {partnership.name} in {period}"
                  if not incidents else "Every notification clock of the year is still running")
        return Figure(value=None, reason=reason, **common)
    met = sum(1 for i in decided if i["notification_sent_on"]
              and i["notification_sent_on"] <= i["notification_due"])
    return Figure(value=_percent(met, len(decided)), numerator=met, denominator=len(decided),
                  **common)


def rapid_reviews_on_time(partnership: Partnership, period: Period,
                          as_of: dt.date | None = None) -> Figure:
    on = as_of or clocks.today()
    reviews = list(RapidReview.objects.filter(
        incident__in=incidents_in_scope(partnership),
        started_on__gte=period.start, started_on__lte=period.end).values(
        "due_on", "completed_on"))
    decided = [r for r in reviews if r["completed_on"] or r["due_on"] < on]
    common: dict[str, Any] = {"id": "rapid_reviews_on_time", "title": "Rapid reviews completed on time",
              "definition": RAPID_REVIEWS_DEFINITION, "unit": "percent",
              "rules": ("rapid_review",), "detail": {"running": len(reviews) - len(decided)}}
    if not decided:
        reason = (f"No rapid reviews started for {partnership.name} in {period}"
                  if not reviews else "Every rapid review clock of the year is still running")
        return Figure(value=None, reason=reason, **common)
    met = sum(1 for r in decided if r["completed_on"] and r["completed_on"] <= r["due_on"])
    return Figure(value=_percent(met, len(decided)), numerator=met, denominator=len(decided),
                  **common)


def practice_reviews_published_on_time(partnership: Partnership, period: Period,
                                       as_of: dt.date | None = None) -> Figure:
    on = as_of or clocks.today()
    reviews = list(practice_reviews_in_scope(partnership).filter(
        publication_due__gte=period.start, publication_due__lte=period.end).values(
        "publication_due", "published_on", "deferral_reason"))
    decided = [r for r in reviews if r["published_on"] or r["publication_due"] < on]
    deferred = sum(1 for r in decided if not r["published_on"] and r["deferral_reason"])
    common: dict[str, Any] = {"id": "practice_reviews_published_on_time",
              "title": "Practice reviews published within six months",
              "definition": PUBLICATION_DEFINITION, "unit": "percent",
              "rules": ("practice_review_publication",),
              "detail": {"deferred": deferred, "running": len(reviews) - len(decided)}}
    if not decided:
        reason = (f"No practice review of {partnership.name} was due to be published in {period}"
                  if not reviews else "Every publication clock of the year is still running")
        return Figure(value=None, reason=reason, **common)
    met = sum(1 for r in decided
              if r["published_on"] and r["published_on"] <= r["publication_due"])
    return Figure(value=_percent(met, len(decided)), numerator=met, denominator=len(decided),
                  **common)


def overdue_actions(partnership: Partnership, period: Period,
                    as_of: dt.date | None = None) -> Figure:
    cut_off = _cut_off(period, as_of)
    fallen_due = actions_in_scope(partnership).filter(due_on__lt=cut_off)
    common: dict[str, Any] = {"id": "overdue_review_actions", "title": "Overdue actions from reviews",
              "definition": OVERDUE_ACTIONS_DEFINITION, "unit": "count",
              "detail": {"counted_on": cut_off.isoformat()}}
    total = fallen_due.count()
    if not total:
        if covers(partnership, period, as_of):
            return Figure(value=0, numerator=0, denominator=0, **common)
        return Figure(value=None, reason=f"No action from a review of {partnership.name} "
                                         f"had fallen due by {cut_off:%-d %B %Y}", **common)
    overdue = fallen_due.filter(
        Q(completed_on__isnull=True) | Q(completed_on__gt=cut_off)).count()
    return Figure(value=overdue, numerator=overdue, denominator=total, **common)


def figures(partnership: Partnership, period: Period,
            as_of: dt.date | None = None) -> list[Figure]:
    """The four catalogue figures for one partnership and year."""
    return [f(partnership, period, as_of) for f in (
        notifications_on_time, rapid_reviews_on_time, practice_reviews_published_on_time,
        overdue_actions)]


def yearly_summary(partnership: Partnership, period: Period) -> dict:
    """Counts the yearly report quotes: rapid reviews by the children's partnership,
    decisions, practice reviews completed, published and deferred, themes and reach."""
    in_year = {"gte": period.start, "lte": period.end}
    incidents = incidents_in_scope(partnership)
    rapid = RapidReview.objects.filter(incident__in=incidents, started_on__gte=in_year["gte"],
                                       started_on__lte=in_year["lte"])
    by_children: Counter[str] = Counter()
    for review in rapid.prefetch_related("incident__children__partnership"):
        names = sorted({c.partnership.name for c in review.incident.children.all()})
        by_children[" and ".join(names) or "No child recorded"] += 1
    decisions = Counter(rapid.exclude(decision="").values_list("decision", flat=True))
    practice = practice_reviews_in_scope(partnership)
    completed = practice.filter(final_on__gte=period.start, final_on__lte=period.end)
    themes = Counter(Theme.objects.filter(
        incidents__in=incidents.filter(aware_on__gte=period.start, aware_on__lte=period.end)
    ).values_list("name", flat=True))
    events = LearningEvent.objects.filter(partnership=partnership, held_on__gte=period.start,
                                          held_on__lte=period.end).prefetch_related("reach")
    reach = sum(r.attendees for e in events for r in e.reach.all())
    from safeguarding.reviews.models import Decision

    return {
        "period": period.label,
        "rapid_reviews": rapid.count(),
        "rapid_reviews_by_childrens_partnership": dict(sorted(by_children.items())),
        "decisions": {Decision(k).label: v for k, v in sorted(decisions.items())},
        "practice_reviews_completed": completed.count(),
        "practice_reviews_published": practice.filter(
            published_on__gte=period.start, published_on__lte=period.end).count(),
        "practice_reviews_completed_and_deferred": completed.filter(
            published_on__isnull=True).exclude(deferral_reason="").count(),
        "themes": dict(themes.most_common()),
        "learning_events": len(events),
        "learning_reach": reach,
        "actions_done_in_year": actions_in_scope(partnership).filter(
            status=ActionStatus.DONE, completed_on__gte=period.start,
            completed_on__lte=period.end).count(),
    }


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
