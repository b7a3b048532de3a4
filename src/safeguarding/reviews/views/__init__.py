"""The review pages: incidents and rapid reviews, practice reviews, and the work lists."""

from safeguarding.reviews.views.incidents import (
    agency_return_add,
    agency_return_edit,
    chronology_add,
    home,
    incident_add,
    incident_detail,
    incident_edit,
    incident_list,
    incident_notify,
    rapid_review,
    rapid_review_decision,
    rapid_review_edit,
    rapid_review_finding_add,
    rapid_review_panel_response,
)
from safeguarding.reviews.views.practice import (
    action_add,
    practice_review_add,
    practice_review_defer,
    practice_review_detail,
    practice_review_edit,
    practice_review_finding_add,
    practice_review_list,
    practice_review_publish,
    recommendation_add,
)
from safeguarding.reviews.views.work import (
    action_list,
    action_update,
    due,
    learning_add,
    learning_list,
    statistics,
    theme_add,
    theme_edit,
    theme_list,
)

__all__ = [
    "action_add", "action_list", "action_update", "agency_return_add", "agency_return_edit",
    "chronology_add", "due", "home", "incident_add", "incident_detail", "incident_edit",
    "incident_list", "incident_notify", "learning_add", "learning_list", "practice_review_add",
    "practice_review_defer", "practice_review_detail", "practice_review_edit",
    "practice_review_finding_add", "practice_review_list", "practice_review_publish",
    "rapid_review", "rapid_review_decision", "rapid_review_edit", "rapid_review_finding_add",
    "rapid_review_panel_response", "recommendation_add", "statistics", "theme_add",
    "theme_edit", "theme_list",
]
