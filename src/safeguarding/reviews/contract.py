"""What learning reviews give the rest of the house (core/modules.py, ADR 0013).

Case frames for the measure engine (measures/case_measures.py): record ids, dates
and codes, never a name. A partnership's incidents include those of another
partnership involving its children, as in the module's own statistics.
"""

from __future__ import annotations

import datetime as dt

from django.db.models import Min

from safeguarding.core.models import Partnership
from safeguarding.core.modules import FrameSpec, ModuleContract
from safeguarding.reviews import clocks, statistics
from safeguarding.reviews.models import RapidReview


def _serious_incidents(partnership: Partnership):
    return statistics.incidents_in_scope(partnership).values_list(
        "pk", "aware_on", "notification_due", "notification_sent_on")


def _rapid_reviews(partnership: Partnership):
    return RapidReview.objects.filter(
        incident__in=statistics.incidents_in_scope(partnership),
    ).values_list("incident_id", "started_on", "due_on", "completed_on")


def _practice_reviews(partnership: Partnership):
    return statistics.practice_reviews_in_scope(partnership).values_list(
        "pk", "kind", "decided_on", "publication_due", "published_on", "deferral_reason")


def _review_actions(partnership: Partnership):
    return statistics.actions_in_scope(partnership).values_list("pk", "due_on", "completed_on")


def first_review_day(partnership: Partnership) -> dt.date | None:
    """The day of the partnership's first serious incident or practice review decision."""
    days = [statistics.incidents_in_scope(partnership).aggregate(d=Min("aware_on"))["d"],
            statistics.practice_reviews_in_scope(partnership).aggregate(
                d=Min("decided_on"))["d"]]
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
                                   "deferral_reason": "str"},
              _practice_reviews, scope="partnership"),
    FrameSpec("review_actions", {"action": "int", "due_on": "date", "completed_on": "date"},
              _review_actions, scope="partnership"),
)

CONTRACT = ModuleContract(
    app_label="reviews", frames=FRAMES, first_case_day={"learning_reviews": first_review_day},
    records_feed_figures=True,
    # Case-work clocks run against the reviews' own "today" (Europe/London).
    today=today)
