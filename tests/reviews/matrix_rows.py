# ruff: noqa: E501  (the table is wider than the line limit on purpose)
"""The learning reviews' rows of the authorization matrix (tests/core/test_authorization_matrix.py).

Targets: ``own`` is a record of Staffordshire (the roles' partnership), ``other`` one of
Stoke-on-Trent, which Staffordshire's people cannot see (the practice-review share runs from
Staffordshire to Stoke-on-Trent, not back). For actions, ``own`` is an action of a Staffordshire
review owned by the user's own agency; ``other`` one of a Stoke-on-Trent review owned by
Stoke-on-Trent children's services. The matrix's sub-group column is a Scrutiny and Assurance
member, not a Practice Reviews member, so every review page refuses it; tests/reviews covers
the Practice Reviews sub-group and the sharing partnership's business unit.
"""

from __future__ import annotations

import datetime as dt

from django.urls import NoReverseMatch, reverse

from safeguarding.children.models import Child
from safeguarding.reviews import services
from safeguarding.reviews.models import Theme
from tests.support import home_agency

MATRIX_TEXT = """
url name                            | method | target                | anonymous | password only | sysadmin | business unit | board member | sub-group | analyst | practitioner | key adult
reviews:home                        | GET    | -                     | >sign-in  | >two-factor   | 200      | 200           | 200          | 403       | 200     | 200          | 200
reviews:incident-list               | GET    | -                     | >sign-in  | >two-factor   | 403      | 200           | 200          | 403       | 403     | 403          | 403
reviews:incident-add                | GET    | -                     | >sign-in  | >two-factor   | 403      | 200           | 403          | 403       | 403     | 403          | 403
reviews:incident-detail             | GET    | review-incident       | >sign-in  | >two-factor   | 403      | 200/403       | 200/403      | 403       | 403     | 403          | 403
reviews:incident-edit               | GET    | review-incident       | >sign-in  | >two-factor   | 403      | 200/403       | 403          | 403       | 403     | 403          | 403
reviews:incident-notify             | GET    | review-incident       | >sign-in  | >two-factor   | 403      | 200/403       | 403          | 403       | 403     | 403          | 403
reviews:rapid-review                | GET    | review-incident       | >sign-in  | >two-factor   | 403      | 200/403       | 200/403      | 403       | 403     | 403          | 403
reviews:rapid-review-edit           | GET    | review-incident       | >sign-in  | >two-factor   | 403      | 200/403       | 403          | 403       | 403     | 403          | 403
reviews:rapid-review-decision       | GET    | review-incident       | >sign-in  | >two-factor   | 403      | 200/403       | 403          | 403       | 403     | 403          | 403
reviews:rapid-review-panel-response | GET    | review-incident       | >sign-in  | >two-factor   | 403      | 200/403       | 403          | 403       | 403     | 403          | 403
reviews:agency-return-add           | GET    | review-incident       | >sign-in  | >two-factor   | 403      | 200/403       | 403          | 403       | 403     | 403          | 403
reviews:chronology-add              | GET    | review-incident       | >sign-in  | >two-factor   | 403      | 200/403       | 403          | 403       | 403     | 403          | 403
reviews:rapid-review-finding-add    | GET    | review-incident       | >sign-in  | >two-factor   | 403      | 200/403       | 403          | 403       | 403     | 403          | 403
reviews:agency-return-edit          | GET    | review-return         | >sign-in  | >two-factor   | 403      | 200/403       | 403          | 403       | 403     | 403          | 403
reviews:practice-review-list        | GET    | -                     | >sign-in  | >two-factor   | 403      | 200           | 200          | 403       | 403     | 403          | 403
reviews:practice-review-add         | GET    | -                     | >sign-in  | >two-factor   | 403      | 200           | 403          | 403       | 403     | 403          | 403
reviews:practice-review-detail      | GET    | review-practice       | >sign-in  | >two-factor   | 403      | 200/403       | 200/403      | 403       | 403     | 403          | 403
reviews:practice-review-edit        | GET    | review-practice       | >sign-in  | >two-factor   | 403      | 200/403       | 403          | 403       | 403     | 403          | 403
reviews:practice-review-publish     | GET    | review-practice       | >sign-in  | >two-factor   | 403      | 200/403       | 403          | 403       | 403     | 403          | 403
reviews:practice-review-defer       | GET    | review-practice       | >sign-in  | >two-factor   | 403      | 200/403       | 403          | 403       | 403     | 403          | 403
reviews:practice-review-finding-add | GET    | review-practice       | >sign-in  | >two-factor   | 403      | 200/403       | 403          | 403       | 403     | 403          | 403
reviews:recommendation-add          | GET    | review-finding        | >sign-in  | >two-factor   | 403      | 200/403       | 403          | 403       | 403     | 403          | 403
reviews:action-add                  | GET    | review-recommendation | >sign-in  | >two-factor   | 403      | 200/403       | 403          | 403       | 403     | 403          | 403
reviews:action-list                 | GET    | -                     | >sign-in  | >two-factor   | 403      | 200           | 200          | 403       | 403     | 200          | 200
reviews:action-update               | GET    | review-action         | >sign-in  | >two-factor   | 403      | 200/403       | 403          | 403       | 403     | 200/403      | 200/403
reviews:due                         | GET    | -                     | >sign-in  | >two-factor   | 403      | 200           | 200          | 403       | 403     | 200          | 200
reviews:learning-list               | GET    | -                     | >sign-in  | >two-factor   | 403      | 200           | 200          | 403       | 403     | 403          | 403
reviews:learning-add                | GET    | -                     | >sign-in  | >two-factor   | 403      | 200           | 403          | 403       | 403     | 403          | 403
reviews:theme-list                  | GET    | -                     | >sign-in  | >two-factor   | 200      | 200           | 403          | 403       | 403     | 403          | 403
reviews:theme-add                   | GET    | -                     | >sign-in  | >two-factor   | 200      | 200           | 403          | 403       | 403     | 403          | 403
reviews:theme-edit                  | GET    | review-theme          | >sign-in  | >two-factor   | 200      | 200/403       | 403          | 403       | 403     | 403          | 403
reviews:statistics                  | GET    | -                     | >sign-in  | >two-factor   | 403      | 200           | 200          | 403       | 200     | 403          | 403
"""

# The API router (safeguarding.reviews.api) answers once it is mounted on the project API;
# its rows join the table then, so the table never lists a URL the resolver does not have.
API_ROWS = """
api:review_incidents                | GET    | -                     | 401       | 401           | 403      | 200           | 200          | 403       | 403     | 403          | 403
api:review_statistics               | GET    | -                     | 401       | 401           | 403      | 200           | 200          | 403       | 200     | 403          | 403
"""


def _api_mounted() -> bool:
    try:
        reverse("api:review_incidents")
    except NoReverseMatch:
        return False
    return True


if _api_mounted():
    MATRIX_TEXT += API_ROWS.lstrip("\n")


def _records(world, scope: str) -> dict:
    """One notified incident with a return, a finding and a recommendation, and a practice
    review, for Staffordshire (own) or Stoke-on-Trent (other); made once per world."""
    cache = world.__dict__.setdefault("_reviews", {})
    if scope not in cache:
        partnership = world.staffs if scope == "own" else world.stoke
        child = Child.objects.filter(partnership=partnership).order_by("pk").first()
        incident = services.incident_create(
            actor=None, partnership=partnership, aware_on=dt.date(2021, 4, 1), harm="death",
            abuse_or_neglect="known", looked_after=False, summary="Matrix test", children=[child],
            notification_sent_on=dt.date(2021, 4, 9))
        agency = partnership.agencies.order_by("name").first()
        item = services.agency_return_request(actor=None, rapid_review=incident.rapid_review,
                                              agency=agency, requested_on=dt.date(2021, 4, 9))
        practice = services.practice_review_create(
            actor=None, partnership=partnership, kind="local", title="Child M",
            decided_on=dt.date(2021, 5, 4), incidents=[incident])
        finding = services.finding_add(actor=None, review=practice, text="A finding")
        recommendation = services.recommendation_add(actor=None, finding=finding, text="Do so")
        cache[scope] = {"incident": incident, "return": item, "practice": practice,
                        "finding": finding, "recommendation": recommendation, "actions": {}}
    return cache[scope]


def _action(world, user, scope: str) -> int:
    records = _records(world, scope)
    agency = home_agency(user) if scope == "own" else world.stoke_cs
    if agency.pk not in records["actions"]:
        records["actions"][agency.pk] = services.action_add(
            actor=None, recommendation=records["recommendation"], text="An action",
            owner_agency=agency, due_on=dt.date(2021, 9, 1))
    return records["actions"][agency.pk].pk


TARGETS = {
    "review-incident": lambda w, u, s: _records(w, s)["incident"].pk,
    "review-return": lambda w, u, s: _records(w, s)["return"].pk,
    "review-practice": lambda w, u, s: _records(w, s)["practice"].pk,
    "review-finding": lambda w, u, s: _records(w, s)["finding"].pk,
    "review-recommendation": lambda w, u, s: _records(w, s)["recommendation"].pk,
    "review-action": _action,
    "review-theme": lambda w, u, s: _theme(w, s),
}


def _theme(world, scope: str) -> int:
    """A theme of Staffordshire's own list (own) or of Stoke-on-Trent's (other)."""
    partnership = world.staffs if scope == "own" else world.stoke
    theme, _ = Theme.objects.get_or_create(
        slug=f"matrix-{partnership.code.lower()}",
        defaults={"name": f"Matrix theme {partnership.code}", "partnership": partnership})
    return theme.pk
