"""The voice API, under ``/voice`` on the project API: surveys with their results (small
counts hidden), "you said, we did" records, and a response entered by the business unit.
Readers are the partnership's business unit, board and sub-group members; another
partnership's surveys are not found. Respondents answer through the response link page,
not the API."""

from __future__ import annotations

import datetime as dt
import json

from django.core.exceptions import PermissionDenied, ValidationError
from django.utils import timezone
from ninja import Router, Schema, Status

from safeguarding.voice import selectors, services

router = Router(tags=["voice"])


class SurveyOut(Schema):
    id: int
    reference: str
    title: str
    audience: str
    anonymous: bool
    status: str
    opened_on: dt.date | None
    closed_on: dt.date | None
    responses: int
    themes: list[str]


class OptionOut(Schema):
    option: str
    count: str
    percent: int | None


class ResultOut(Schema):
    question: str
    answered: str
    options: list[OptionOut]


class ResultsOut(Schema):
    survey: SurveyOut
    results: list[ResultOut]
    themes: list[OptionOut]


class YouSaidOut(Schema):
    id: int
    survey: str
    you_said: str
    we_did: str
    status: str
    outcome: str
    actions: list[str]


def _reader(request) -> None:
    if not request.user.has_perm("voice.view"):
        raise PermissionDenied


def _survey(s) -> dict:
    return {"id": s.pk, "reference": s.reference, "title": s.title, "audience": s.audience,
            "anonymous": s.anonymous, "status": s.status, "opened_on": s.opened_on,
            "closed_on": s.closed_on, "responses": s.response_count, "themes": s.themes}


@router.get("/surveys", response=list[SurveyOut], url_name="voice_surveys")
def surveys(request):
    _reader(request)
    return [_survey(s) for s in selectors.surveys_for(request.user).order_by("pk")]


@router.get("/surveys/{pk}/results", response=ResultsOut, url_name="voice_results")
def results(request, pk: int):
    _reader(request)
    survey = selectors.survey_get(actor=request.user, pk=pk)
    cells, _, _ = selectors.theme_results(survey)
    return {"survey": _survey(survey),
            "results": [{"question": r.question.text, "answered": r.answered_shown,
                         "options": [{"option": c.label, "count": c.shown_count,
                                      "percent": c.percent} for c in r.cells]}
                        for r in selectors.question_results(survey)],
            "themes": [{"option": c.label, "count": c.shown_count, "percent": c.percent}
                       for c in cells]}


@router.post("/surveys/{pk}/responses", response={201: dict}, url_name="voice_response_add")
def response_add(request, pk: int):
    """A response the business unit enters (from paper, or an event): one JSON object of
    answers by question key (a list for several options), with ``received_on``
    (YYYY-MM-DD, today if not given) and ``respondent`` (only for a named survey)."""
    _reader(request)
    survey = selectors.survey_get(actor=request.user, pk=pk)
    try:
        answers = json.loads(request.body or b"{}")
    except ValueError:
        raise ValidationError({"__all__": ["The body is not JSON"]}) from None
    if not isinstance(answers, dict):
        raise ValidationError({"__all__": ["Send one JSON object of answers"]})
    day = answers.pop("received_on", None)
    respondent = str(answers.pop("respondent", "") or "")
    try:
        on = dt.date.fromisoformat(day) if day else None
    except (TypeError, ValueError):
        raise ValidationError({"received_on": ["Give the date as YYYY-MM-DD"]}) from None
    response = services.response_submit(actor=request.user, survey=survey, answers=answers,
                                        on=on, respondent=respondent, channel="entered")
    return Status(201, {"id": response.pk, "received_on": response.received_on.isoformat()})


class CloseIn(Schema):
    on: dt.date | None = None


@router.post("/surveys/{pk}/close", response=SurveyOut, url_name="voice_survey_close")
def survey_close(request, pk: int, data: CloseIn):
    """Close an open survey (on the day given, today if not given); closing again changes
    nothing. The business unit only."""
    _reader(request)
    survey = selectors.survey_get(actor=request.user, pk=pk)
    closed = services.survey_close(actor=request.user, survey=survey,
                                   on=data.on or timezone.localdate())
    return _survey(selectors.survey_get(actor=request.user, pk=closed.pk))


@router.get("/you-said-we-did", response=list[YouSaidOut], url_name="voice_you_said")
def you_said(request):
    _reader(request)
    return [{"id": y.pk, "survey": y.survey.reference, "you_said": y.you_said,
             "we_did": y.we_did, "status": y.status, "outcome": y.outcome,
             "actions": [a.reference for a in y.actions.all()]}
            for y in selectors.you_said_for(request.user)]
