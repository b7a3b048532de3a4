"""Every write of the app, one transaction each, named ``<entity>_<action>(*, actor, ...)``.

``actor=None`` is the command line (the demo builder); every other caller passes
the person, whose permission is checked before anything is read or written.
"""

from safeguarding.reviews.services.incidents import (
    agency_return_request,
    agency_return_update,
    chronology_add,
    find_children,
    incident_create,
    incident_notify,
    incident_update,
    rapid_review_decide,
    rapid_review_panel_response,
    rapid_review_update,
)
from safeguarding.reviews.services.learning import learning_event_add, theme_add, theme_update
from safeguarding.reviews.services.practice import (
    action_add,
    action_update,
    finding_add,
    practice_review_create,
    practice_review_defer,
    practice_review_publish,
    practice_review_update,
    recommendation_add,
)

__all__ = [
    "action_add", "action_update", "agency_return_request", "agency_return_update",
    "chronology_add", "find_children", "finding_add", "incident_create", "incident_notify",
    "incident_update", "learning_event_add", "practice_review_create", "practice_review_defer",
    "practice_review_publish", "practice_review_update", "rapid_review_decide",
    "rapid_review_panel_response", "rapid_review_update", "recommendation_add", "theme_add",
    "theme_update",
]
