# ruff: noqa: E501  (the table is wider than the line limit on purpose)
"""Governance's rows of the authorization matrix (tests/core/test_authorization_matrix.py).

Readers are the partnership's business unit, board members and sub-group members; the
business unit and board members write. ``own`` is a Staffordshire body and its records,
``other`` a Stoke-on-Trent one: another partnership's records are not found (404), and
roles with no governance at all are refused (403).
"""

from __future__ import annotations

import datetime as dt

from safeguarding.core.models import Agency
from safeguarding.governance import services
from tests.core.test_authorization_matrix import Body

MATRIX_TEXT = """
url name                         | method | target             | anonymous | password only | sysadmin | business unit | board member | sub-group | analyst | practitioner | key adult
governance:home                  | GET    | -                  | >sign-in  | >two-factor   | 403      | 200           | 200          | 200       | 403     | 403          | 403
governance:body-add              | GET    | -                  | >sign-in  | >two-factor   | 403      | 200           | 200          | 403       | 403     | 403          | 403
governance:body-detail           | GET    | gov-body           | >sign-in  | >two-factor   | 403      | 200/404       | 200/404      | 200/404   | 403     | 403          | 403
governance:terms-add             | GET    | gov-body           | >sign-in  | >two-factor   | 403      | 200/404       | 200/404      | 403/404   | 403     | 403          | 403
governance:meeting-add           | GET    | gov-body           | >sign-in  | >two-factor   | 403      | 200/404       | 200/404      | 403/404   | 403     | 403          | 403
governance:action-add            | GET    | gov-body           | >sign-in  | >two-factor   | 403      | 200/404       | 200/404      | 403/404   | 403     | 403          | 403
governance:register-add          | GET    | gov-body           | >sign-in  | >two-factor   | 403      | 200/404       | 200/404      | 403/404   | 403     | 403          | 403
governance:meeting-detail        | GET    | gov-meeting        | >sign-in  | >two-factor   | 403      | 200/404       | 200/404      | 200/404   | 403     | 403          | 403
governance:attendance            | GET    | gov-meeting        | >sign-in  | >two-factor   | 403      | 200/404       | 200/404      | 403/404   | 403     | 403          | 403
governance:decision-add          | GET    | gov-meeting        | >sign-in  | >two-factor   | 403      | 200/404       | 200/404      | 403/404   | 403     | 403          | 403
governance:minutes-add           | GET    | gov-meeting        | >sign-in  | >two-factor   | 403      | 200/404       | 200/404      | 403/404   | 403     | 403          | 403
governance:paper-add             | GET    | gov-meeting        | >sign-in  | >two-factor   | 403      | 200/404       | 200/404      | 403/404   | 403     | 403          | 403
governance:action-list           | GET    | -                  | >sign-in  | >two-factor   | 403      | 200           | 200          | 200       | 403     | 403          | 403
governance:overdue               | GET    | -                  | >sign-in  | >two-factor   | 403      | 200           | 200          | 200       | 403     | 403          | 403
governance:action-detail         | GET    | gov-action         | >sign-in  | >two-factor   | 403      | 200/404       | 200/404      | 200/404   | 403     | 403          | 403
governance:action-close          | GET    | gov-action         | >sign-in  | >two-factor   | 403      | 200/404       | 200/404      | 403/404   | 403     | 403          | 403
governance:action-carry          | GET    | gov-action         | >sign-in  | >two-factor   | 403      | 200/404       | 200/404      | 403/404   | 403     | 403          | 403
governance:register-list         | GET    | -                  | >sign-in  | >two-factor   | 403      | 200           | 200          | 200       | 403     | 403          | 403
governance:register-detail       | GET    | gov-register       | >sign-in  | >two-factor   | 403      | 200/404       | 200/404      | 200/404   | 403     | 403          | 403
governance:risk-add              | GET    | gov-register       | >sign-in  | >two-factor   | 403      | 200/404       | 200/404      | 403/404   | 403     | 403          | 403
governance:register-close        | GET    | gov-register       | >sign-in  | >two-factor   | 403      | 200/404       | 200/404      | 403/404   | 403     | 403          | 403
governance:risk-detail           | GET    | gov-risk           | >sign-in  | >two-factor   | 403      | 200/404       | 200/404      | 200/404   | 403     | 403          | 403
governance:risk-review           | GET    | gov-risk           | >sign-in  | >two-factor   | 403      | 200/404       | 200/404      | 403/404   | 403     | 403          | 403
governance:priorities           | GET    | -                  | >sign-in  | >two-factor   | 403      | 200           | 200          | 200       | 403     | 403          | 403
governance:priority-add          | GET    | -                  | >sign-in  | >two-factor   | 403      | 200           | 200          | 403       | 403     | 403          | 403
governance:priority-detail       | GET    | gov-priority       | >sign-in  | >two-factor   | 403      | 200/404       | 200/404      | 200/404   | 403     | 403          | 403
governance:objective-add         | GET    | gov-priority       | >sign-in  | >two-factor   | 403      | 200/404       | 200/404      | 403/404   | 403     | 403          | 403
governance:commitments           | GET    | -                  | >sign-in  | >two-factor   | 403      | 200           | 200          | 200       | 403     | 403          | 403
governance:commitment-add        | GET    | -                  | >sign-in  | >two-factor   | 403      | 200           | 200          | 403       | 403     | 403          | 403
governance:commitment-detail     | GET    | gov-commitment     | >sign-in  | >two-factor   | 403      | 200/404       | 200/404      | 200/404   | 403     | 403          | 403
governance:commitment-update     | GET    | gov-commitment     | >sign-in  | >two-factor   | 403      | 200/404       | 200/404      | 403/404   | 403     | 403          | 403
api:governance_bodies            | GET    | -                  | 401       | 401           | 403      | 200           | 200          | 200       | 403     | 403          | 403
api:governance_meetings          | GET    | gov-body           | 401       | 401           | 403      | 200/404       | 200/404      | 200/404   | 403     | 403          | 403
api:governance_actions           | GET    | -                  | 401       | 401           | 403      | 200           | 200          | 200       | 403     | 403          | 403
api:governance_overdue           | GET    | -                  | 401       | 401           | 403      | 200           | 200          | 200       | 403     | 403          | 403
api:governance_register          | GET    | gov-register       | 401       | 401           | 403      | 200/404       | 200/404      | 200/404   | 403     | 403          | 403
api:governance_meeting_add       | POST   | gov-meeting-body   | 401       | 401           | 403      | 201/404       | 201/404      | 403/404   | 403     | 403          | 403
api:governance_risk_review       | POST   | gov-review-body    | 401       | 401           | 403      | 200/404       | 200/404      | 403/404   | 403     | 403          | 403
api:governance_action_add        | POST   | gov-action-body    | 401       | 401           | 403      | 201/404       | 201/404      | 403/404   | 403     | 403          | 403
api:governance_action_close      | POST   | gov-close-body     | 401       | 401           | 403      | 200/404       | 200/404      | 403/404   | 403     | 403          | 403
api:governance_priorities        | GET    | -                  | 401       | 401           | 403      | 200           | 200          | 200       | 403     | 403          | 403
api:governance_commitments       | GET    | -                  | 401       | 401           | 403      | 200           | 200          | 200       | 403     | 403          | 403
api:governance_commitment_update | POST   | gov-commitment-body | 401      | 401           | 403      | 200/404       | 200/404      | 403/404   | 403     | 403          | 403
"""


def _records(world, scope: str) -> dict:
    """A body with terms, a meeting, an action and a register with a risk, for STAFFS (own)
    or STOKE (other)."""
    cache = world.__dict__.setdefault("_governance", {})
    if scope not in cache:
        partnership = world.partnership(scope)
        agency = Agency.objects.filter(partnerships=partnership, kind="police").first()
        body = services.body_add(actor=None, partnership=partnership, kind="sub_group",
                                 name=f"Matrix group {scope}")
        services.terms_add(actor=None, body=body, purpose="Matrix", chair="Chair", quorum=1,
                           frequency="monthly", effective_from=dt.date(2020, 4, 1),
                           review_on=dt.date(2021, 4, 1), members=[(agency, "Member")])
        meeting = services.meeting_schedule(actor=None, body=body, held_on=dt.date(2020, 6, 3))
        register = services.register_open(actor=None, body=body, name="Matrix register",
                                          kind="strategic", opened_on=dt.date(2020, 4, 1))
        risk = services.risk_add(actor=None, register=register, title="R", cause="C",
                                 consequence="C", owner="O", controls="", likelihood=3,
                                 impact=3, residual_likelihood=2, residual_impact=2,
                                 review_on=dt.date(2020, 7, 1), on=dt.date(2020, 4, 1))
        priority = services.priority_add(actor=None, partnership=partnership, year="2020-21",
                                         title=f"Matrix priority {scope}", objectives=["O"])
        commitment = services.commitment_add(actor=None, partnership=partnership,
                                             year_made="2020-21", text="Matrix commitment")
        cache[scope] = {"body": body, "meeting": meeting, "register": register, "risk": risk,
                        "agency": agency, "action": _action(body, agency),
                        "priority": priority, "commitment": commitment}
    return cache[scope]


def _action(body, agency):
    return services.action_add(actor=None, body=body, title="Matrix action", owner="O",
                               agency=agency, due_on=dt.date(2020, 7, 1),
                               raised_on=dt.date(2020, 6, 3))


def _fresh_action(world, user, scope: str) -> Body:
    """An open action per person, so each one's close is tried on an open action."""
    found = _records(world, scope)
    return Body(args=_action(found["body"], found["agency"]).pk,
                data={"status": "complete", "evidence": "Done", "on": "2020-06-30"})


def _meeting_body(world, user, scope: str) -> Body:
    """A new day on every try (a person with several seats tries one body more than once),
    so each try plans a new meeting."""
    tries = world.__dict__["_governance_meeting_tries"] = world.__dict__.get(
        "_governance_meeting_tries", 0) + 1
    day = dt.date(2020, 7, 1) + dt.timedelta(days=tries)
    return Body(args=_records(world, scope)["body"].pk, data={"held_on": day.isoformat()})


def _review_body(world, user, scope: str) -> Body:
    """The same day for everyone (a review may share the last one's day, not precede it)."""
    return Body(args=_records(world, scope)["risk"].pk,
                data={"on": "2020-07-01", "likelihood": 2, "impact": 3,
                      "residual_likelihood": 1, "residual_impact": 3,
                      "review_on": "2020-09-01"})


TARGETS = {
    "gov-meeting-body": _meeting_body,
    "gov-review-body": _review_body,
    "gov-body": lambda w, u, s: _records(w, s)["body"].pk,
    "gov-meeting": lambda w, u, s: _records(w, s)["meeting"].pk,
    "gov-action": lambda w, u, s: _records(w, s)["action"].pk,
    "gov-register": lambda w, u, s: _records(w, s)["register"].pk,
    "gov-risk": lambda w, u, s: _records(w, s)["risk"].pk,
    "gov-action-body": lambda w, u, s: Body(
        args=_records(w, s)["body"].pk,
        data={"title": "By API", "owner": "O", "agency": _records(w, s)["agency"].pk,
              "due_on": "2020-09-01", "raised_on": "2020-06-03"}),
    "gov-close-body": _fresh_action,
    "gov-priority": lambda w, u, s: _records(w, s)["priority"].pk,
    "gov-commitment": lambda w, u, s: _records(w, s)["commitment"].pk,
    "gov-commitment-body": lambda w, u, s: Body(
        args=_records(w, s)["commitment"].pk,
        data={"status": "in_progress", "evidence": "Started"}),
}
