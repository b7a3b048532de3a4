# ruff: noqa: E501  (the table is wider than the line limit on purpose)
"""Voice's rows of the authorization matrix (tests/core/test_authorization_matrix.py).

Readers are the partnership's business unit, board members and sub-group members; the
business unit writes and alone reads free text (an answer is not found for anyone else).
``own`` is a Staffordshire survey, ``other`` a Stoke-on-Trent one: another partnership's
survey is not found (404). The response link (its token) is open to anyone, signed in or
not: respondents have no accounts.
"""

from __future__ import annotations

import datetime as dt

from safeguarding.voice import services
from tests.core.test_authorization_matrix import Body

MATRIX_TEXT = """
url name                         | method | target             | anonymous | password only | sysadmin | business unit | board member | sub-group | analyst | practitioner | key adult
voice:home                       | GET    | -                  | >sign-in  | >two-factor   | 403      | 200           | 200          | 200       | 403     | 403          | 403
voice:survey-add                 | GET    | -                  | >sign-in  | >two-factor   | 403      | 200           | 403          | 403       | 403     | 403          | 403
voice:survey-detail              | GET    | voice-survey       | >sign-in  | >two-factor   | 403      | 200/404       | 200/404      | 200/404   | 403     | 403          | 403
voice:question-add               | GET    | voice-survey       | >sign-in  | >two-factor   | 403      | 200/404       | 403/404      | 403/404   | 403     | 403          | 403
voice:code-add                   | GET    | voice-survey       | >sign-in  | >two-factor   | 403      | 200/404       | 403/404      | 403/404   | 403     | 403          | 403
voice:survey-open                | GET    | voice-survey       | >sign-in  | >two-factor   | 403      | 200/404       | 403/404      | 403/404   | 403     | 403          | 403
voice:survey-close               | GET    | voice-survey       | >sign-in  | >two-factor   | 403      | 200/404       | 403/404      | 403/404   | 403     | 403          | 403
voice:import                     | GET    | voice-survey       | >sign-in  | >two-factor   | 403      | 200/404       | 403/404      | 403/404   | 403     | 403          | 403
voice:template                   | GET    | voice-survey       | >sign-in  | >two-factor   | 403      | 200/404       | 403/404      | 403/404   | 403     | 403          | 403
voice:coding                     | GET    | voice-survey       | >sign-in  | >two-factor   | 403      | 200/404       | 403/404      | 403/404   | 403     | 403          | 403
voice:you-said-add               | GET    | voice-survey       | >sign-in  | >two-factor   | 403      | 200/404       | 403/404      | 403/404   | 403     | 403          | 403
voice:answer-code                | GET    | voice-answer       | >sign-in  | >two-factor   | 403      | 200/404       | 404          | 404       | 403     | 403          | 403
voice:you-said-list              | GET    | -                  | >sign-in  | >two-factor   | 403      | 200           | 200          | 200       | 403     | 403          | 403
voice:respond                    | GET    | voice-token        | 200       | 200           | 200      | 200           | 200          | 200       | 200     | 200          | 200
voice:respond-done               | GET    | voice-token        | 200       | 200           | 200      | 200           | 200          | 200       | 200     | 200          | 200
api:voice_surveys                | GET    | -                  | 401       | 401           | 403      | 200           | 200          | 200       | 403     | 403          | 403
api:voice_results                | GET    | voice-survey       | 401       | 401           | 403      | 200/404       | 200/404      | 200/404   | 403     | 403          | 403
api:voice_you_said               | GET    | -                  | 401       | 401           | 403      | 200           | 200          | 200       | 403     | 403          | 403
api:voice_survey_close           | POST   | voice-close-body   | 401       | 401           | 403      | 200/404       | 403/404      | 403/404   | 403     | 403          | 403
api:voice_response_add           | POST   | voice-response-body | 401      | 401           | 403      | 201/404       | 403/404      | 403/404   | 403     | 403          | 403
"""


def _records(world, scope: str) -> dict:
    """An open anonymous survey with one closed and one free-text question, and one free-
    text answer, for STAFFS (own) or STOKE (other)."""
    cache = world.__dict__.setdefault("_voice", {})
    if scope not in cache:
        partnership = world.partnership(scope)
        survey = services.survey_create(actor=None, partnership=partnership,
                                        title=f"Matrix survey {scope}", audience="children",
                                        anonymous=True)
        services.question_add(actor=None, survey=survey, key="ok", text="OK?", kind="single",
                              options=["Yes", "No"])
        services.question_add(actor=None, survey=survey, key="say", text="Say?",
                              kind="free_text")
        services.survey_open(actor=None, survey=survey, on=dt.date(2020, 9, 1))
        response = services.response_submit(survey=survey, answers={"say": "Something"})
        cache[scope] = {"survey": survey, "answer": response.answers.get()}
    return cache[scope]


def _close_body(world, user, scope: str) -> Body:
    """An open survey of its own to close (closing one already closed changes nothing)."""
    cache = world.__dict__.setdefault("_voice_close", {})
    if scope not in cache:
        survey = services.survey_create(actor=None, partnership=world.partnership(scope),
                                        title=f"Matrix survey to close {scope}",
                                        audience="practitioners", anonymous=True)
        services.question_add(actor=None, survey=survey, key="ok", text="OK?",
                              kind="single", options=["Yes", "No"])
        services.survey_open(actor=None, survey=survey, on=dt.date(2020, 9, 1))
        cache[scope] = survey
    return Body(args=cache[scope].pk, data={"on": "2020-10-01"})


TARGETS = {
    "voice-close-body": _close_body,
    "voice-survey": lambda w, u, s: _records(w, s)["survey"].pk,
    "voice-answer": lambda w, u, s: _records(w, s)["answer"].pk,
    "voice-token": lambda w, u, s: _records(w, s)["survey"].token,
    "voice-response-body": lambda w, u, s: Body(
        args=_records(w, s)["survey"].pk, data={"ok": "yes"}),
}
