"""What learning reviews give the rest of the house (core/modules.py, ADR 0013).

Case frames for the measure engine (measures/case_measures.py): record ids, dates
and codes, never a name. A partnership's incidents include those of another
partnership involving its children, as in the module's own statistics.
"""

from __future__ import annotations

import datetime as dt
from pathlib import Path

from django.db.models import Case, Min, Q, Sum, When

from safeguarding.core.models import Partnership
from safeguarding.core.modules import FrameSpec, ModuleContract
from safeguarding.reviews import clocks
from safeguarding.reviews import home as reviews_home
from safeguarding.reviews.models import ActionStatus, LearningEvent, RapidReview
from safeguarding.reviews.selectors import (
    actions_in_scope,
    incidents_in_scope,
    practice_reviews_in_scope,
)


def _serious_incidents(partnership: Partnership):
    return incidents_in_scope(partnership).values_list(
        "pk", "aware_on", "notification_due", "notification_sent_on")


def _rapid_reviews(partnership: Partnership):
    return RapidReview.objects.filter(
        incident__in=incidents_in_scope(partnership),
    ).values_list("incident_id", "started_on", "due_on", "completed_on")


def _practice_reviews(partnership: Partnership):
    return practice_reviews_in_scope(partnership).values_list(
        "pk", "kind", "decided_on", "publication_due", "published_on", "deferral_reason",
        "final_on")


def _review_actions(partnership: Partnership):
    return actions_in_scope(partnership).annotate(
        done=Case(When(Q(status=ActionStatus.DONE), then=True), default=False),
    ).values_list("pk", "due_on", "completed_on", "done")


def _learning_events(partnership: Partnership):
    """The partnership's own learning events with their attendees summed over agencies."""
    return LearningEvent.objects.filter(partnership=partnership).annotate(
        attendees=Sum("reach__attendees", default=0)).values_list("pk", "held_on", "attendees")


def first_review_day(partnership: Partnership) -> dt.date | None:
    """The day of the partnership's first serious incident or practice review decision."""
    days = [incidents_in_scope(partnership).aggregate(d=Min("aware_on"))["d"],
            practice_reviews_in_scope(partnership).aggregate(d=Min("decided_on"))["d"]]
    return min((d for d in days if d is not None), default=None)


def today() -> dt.date:
    """The reviews' own "today" (Europe/London), read when asked."""
    return clocks.today()


FRAMES = (
    FrameSpec("serious_incidents", {"incident": "int", "aware_on": "date",
                                    "notification_due": "date",
                                    "notification_sent_on": "date"},
              _serious_incidents, scope="partnership"),
    FrameSpec("rapid_reviews", {"incident": "int", "started_on": "date", "due_on": "date",
                                "completed_on": "date"}, _rapid_reviews, scope="partnership"),
    FrameSpec("practice_reviews", {"review": "int", "kind": "str", "decided_on": "date",
                                   "publication_due": "date", "published_on": "date",
                                   "deferral_reason": "str", "final_on": "date"},
              _practice_reviews, scope="partnership"),
    FrameSpec("review_actions", {"action": "int", "due_on": "date", "completed_on": "date",
                                 "done": "bool"},
              _review_actions, scope="partnership"),
    FrameSpec("learning_events", {"event": "int", "held_on": "date", "attendees": "int"},
              _learning_events, scope="partnership"),
)

def _report_evidence(partnership, period):
    from safeguarding.reviews import assurance

    return assurance.report_evidence(partnership, period)


def _triangulation(partnership, theme_key, period):
    from safeguarding.reviews import assurance

    return assurance.triangulation(partnership, theme_key, period)


CONTRACT = ModuleContract(
    app_label="reviews", frames=FRAMES, first_case_day={"learning_reviews": first_review_day},
    catalogue=Path(__file__).with_name("catalogue.yaml"), records_feed_figures=True,
    # Case-work clocks run against the reviews' own "today" (Europe/London).
    today=today, report_evidence=_report_evidence, triangulation=_triangulation,
    # The clocks and actions on a person's home page (home.py, issue 18).
    home_items=reviews_home.home_items, home_picture=reviews_home.home_picture)
