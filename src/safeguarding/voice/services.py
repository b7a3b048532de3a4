"""Writes for voice: surveys, their questions and code frame, opening and closing them,
responses (through the response link, entered, or imported from the CSV template), coding
free text, and "you said, we did" records. Every write checks the actor's permission
(``actor=None`` is the command line or a respondent through the link) and appends an audit
row. A response to an anonymous survey keeps no identity and its audit row names neither
the person nor the response."""

from __future__ import annotations

import datetime as dt
import hashlib
import re
import secrets
from collections.abc import Iterable
from typing import Any

from django.core.cache import cache
from django.core.exceptions import PermissionDenied, ValidationError
from django.db import IntegrityError, transaction
from django.db.models import Max
from django.utils import timezone
from django.utils.text import slugify

from safeguarding.core.audit import audit_append, audit_object
from safeguarding.core.models import AuditEvent, Partnership, User
from safeguarding.voice import config, importer
from safeguarding.voice.models import (
    Answer,
    Code,
    Question,
    Response,
    ResponseImport,
    Survey,
    YouSaidWeDid,
)
from safeguarding.voice.rules import Level, partnerships_at


def _require(actor: User | None, obj=None) -> None:
    if actor is None:
        return
    allowed = (bool(partnerships_at(actor, Level.EDIT)) if obj is None
               else actor.has_perm("voice.edit", obj))
    if not allowed:
        raise PermissionDenied


def _key(text: str, taken: Iterable[str]) -> str:
    base = (slugify(text).replace("-", "_") or "item")[:30]
    taken = set(taken)
    key, n = base, 2
    while key in taken:
        key, n = f"{base}_{n}", n + 1
    return key


# Surveys ----------------------------------------------------------------------------------

@transaction.atomic
def survey_create(*, actor: User | None, partnership: Partnership, title: str, audience: str,
                  anonymous: bool, themes: Iterable[str] = (), description: str = "",
                  run_by: str = "", closes_on: dt.date | None = None) -> Survey:
    if actor is not None and partnership.pk not in partnerships_at(actor, Level.EDIT):
        raise PermissionDenied
    errors: dict[str, list[str]] = {}
    if not title.strip():
        errors["title"] = ["Enter the survey's title"]
    if audience not in Survey.Audience.values:
        errors["audience"] = ["Choose who the survey is for"]
    if errors:
        raise ValidationError(errors)
    count = Survey.objects.select_for_update().filter(partnership=partnership).count()
    survey = Survey.objects.create(
        partnership=partnership, reference=f"{partnership.code}-S{count + 1:02d}",
        title=title.strip(), description=description.strip(), audience=audience,
        anonymous=anonymous, themes=sorted(set(themes)), run_by=run_by.strip(),
        closes_on=closes_on, token=secrets.token_urlsafe(24), created_by=actor)
    audit_object(actor, AuditEvent.Action.CREATE, survey, "create survey",
                 {"anonymous": anonymous, "audience": audience})
    return survey


def _draft(survey: Survey, field: str) -> None:
    if survey.status != Survey.Status.DRAFT:
        raise ValidationError({field: ["Questions and codes are set before the survey opens"]})


@transaction.atomic
def question_add(*, actor: User | None, survey: Survey, text: str, kind: str,
                 options: Iterable[str | tuple[str, str]] = (), scale: tuple[int, int] | None = None,
                 tag: str = "", key: str = "") -> Question:
    """A question at the end of the survey. ``options`` are labels (their values are made
    from them) or (value, label) pairs; a scale runs from ``scale[0]`` to ``scale[1]``."""
    _require(actor, survey)
    _draft(survey, "text")
    errors: dict[str, list[str]] = {}
    if not text.strip():
        errors["text"] = ["Enter the question"]
    if kind not in Question.Kind.values:
        errors["kind"] = ["Choose the kind of question"]
    pairs: list[list[str]] = []
    for option in options:
        value, label = option if isinstance(option, tuple) else ("", option)
        label = label.strip()
        if label:
            pairs.append([value or _key(label, [v for v, _ in pairs]), label])
    if kind in ("single", "multiple") and len(pairs) < 2:
        errors["options"] = ["Give at least two options"]
    low, high = scale or (1, 5)
    if kind == "scale" and not low < high <= low + 10:
        errors["scale"] = ["The scale runs from a lower to a higher whole number, at most 10 "
                           "points apart"]
    if tag and tag not in {r["tag"] for r in config.results()}:
        errors["tag"] = [f"'{tag}' is not a tracked result (voice/data/config.yaml)"]
    if errors:
        raise ValidationError(errors)
    order = (survey.questions.aggregate(o=Max("order"))["o"] or 0) + 1
    key = key or _key(text, survey.questions.values_list("key", flat=True))
    question = Question.objects.create(
        survey=survey, order=order, key=key, text=text.strip(), kind=kind,
        options=pairs if kind in ("single", "multiple") else [],
        scale_min=low if kind == "scale" else None, scale_max=high if kind == "scale" else None,
        tag=tag)
    audit_object(actor, AuditEvent.Action.CREATE, question, "add survey question")
    return question


@transaction.atomic
def code_add(*, actor: User | None, survey: Survey, label: str, key: str = "") -> Code:
    """A theme in the survey's code frame (it may grow while free text is being coded)."""
    _require(actor, survey)
    if not label.strip():
        raise ValidationError({"label": ["Enter the theme"]})
    if survey.codes.filter(label__iexact=label.strip()).exists():
        raise ValidationError({"label": ["The code frame already has that theme"]})
    code = Code.objects.create(survey=survey, label=label.strip(),
                               key=key or _key(label, survey.codes.values_list("key", flat=True)))
    audit_object(actor, AuditEvent.Action.CREATE, code, "add theme to code frame")
    return code


@transaction.atomic
def survey_open(*, actor: User | None, survey: Survey, on: dt.date) -> Survey:
    _require(actor, survey)
    if survey.status != Survey.Status.DRAFT:
        raise ValidationError({"on": ["Only a draft survey is opened"]})
    if not survey.questions.exists():
        raise ValidationError({"on": ["Add a question before opening the survey"]})
    survey.status, survey.opened_on = Survey.Status.OPEN, on
    survey.save(update_fields=["status", "opened_on"])
    audit_object(actor, AuditEvent.Action.UPDATE, survey, "open survey")
    return survey


@transaction.atomic
def survey_close(*, actor: User | None, survey: Survey, on: dt.date) -> Survey:
    _require(actor, survey)
    if survey.status == Survey.Status.CLOSED:
        return survey  # closed already: closing again changes nothing
    if survey.status != Survey.Status.OPEN:
        raise ValidationError({"on": ["Only an open survey is closed"]})
    if survey.opened_on and on < survey.opened_on:
        raise ValidationError({"on": ["A survey cannot close before it opened"]})
    survey.status, survey.closed_on = Survey.Status.CLOSED, on
    survey.save(update_fields=["status", "closed_on"])
    audit_object(actor, AuditEvent.Action.UPDATE, survey, "close survey",
                 {"responses": survey.responses.count()})
    return survey


# Responses --------------------------------------------------------------------------------

def link_allowed(survey: Survey, address: str) -> bool:
    """Whether one more answer may come through the response link from this address this
    hour (data/config.yaml ``response_link``). Only a hash of the address is held, in the
    cache, for an hour: never with a response."""
    digest = hashlib.sha256(f"{survey.token}:{address}".encode()).hexdigest()[:32]
    key = f"voice-link:{digest}"
    if cache.add(key, 1, timeout=3600):
        return True
    try:
        count = cache.incr(key)
    except ValueError:  # expired between the two calls
        cache.add(key, 1, timeout=3600)
        return True
    return count <= config.per_hour()


def _answers(survey: Survey, given: dict[str, Any]) -> dict[Question, Any]:
    questions = {q.key: q for q in survey.questions.all()}
    errors: dict[str, list[str]] = {}
    found: dict[Question, Any] = {}
    for key, raw in given.items():
        question = questions.get(key)
        if question is None:
            errors[key] = ["The survey has no such question"]
            continue
        value, rule, message = importer.check_answer(question, raw)
        if rule:
            errors[key] = [f"The answer {message}"]
        elif value is not None:
            found[question] = value
    if not errors and not found:
        errors["__all__"] = ["Answer at least one question"]
    if errors:
        raise ValidationError(errors)
    return found


def _write(survey: Survey, answers: dict[Question, Any], *, on: dt.date, channel: str,
           respondent: str = "", source_import: ResponseImport | None = None) -> Response:
    response = Response.objects.create(survey=survey, received_on=on, channel=channel,
                                       respondent="" if survey.anonymous else respondent.strip(),
                                       source_import=source_import)
    Answer.objects.bulk_create(
        Answer(response=response, question=q,
               choices=value if q.closed else [], text=value if not q.closed else "")
        for q, value in answers.items())
    return response


@transaction.atomic
def response_submit(*, survey: Survey, answers: dict[str, Any], on: dt.date | None = None,
                    respondent: str = "", actor: User | None = None,
                    channel: str = Response.Channel.LINK) -> Response:
    """One response. Through the link (``channel`` "link") no account is needed and none is
    kept; entered by the business unit (``actor``), it needs their permission. An
    anonymous survey refuses a respondent's identity."""
    if channel != Response.Channel.LINK:
        _require(actor, survey)
    if survey.status != Survey.Status.OPEN:
        raise ValidationError({"__all__": ["This survey is not open for answers"]})
    if survey.anonymous and respondent.strip():
        raise ValidationError({"respondent": ["This survey is anonymous: leave the name blank"]})
    found = _answers(survey, answers)
    response = _write(survey, found, on=on or timezone.localdate(), channel=channel,
                      respondent=respondent)
    if survey.anonymous:
        # Neither the person nor the response: the audit trail cannot link the two.
        audit_append(actor=actor if channel != Response.Channel.LINK else None,
                     action=AuditEvent.Action.CREATE, object_type="voice.survey",
                     object_id=str(survey.pk), purpose="anonymous survey response")
    else:
        audit_object(actor if channel != Response.Channel.LINK else None, AuditEvent.Action.CREATE,
                     response, "survey response")
    return response


@transaction.atomic
def responses_import(*, actor: User | None, survey: Survey, content: bytes,
                     file_name: str) -> tuple[ResponseImport, bool]:
    """Load a CSV of responses (the survey's template): every row or none. The same file
    again changes nothing: (the import, whether it was new)."""
    _require(actor, survey)
    if survey.status == Survey.Status.DRAFT:
        raise importer.ImportRefused([importer.Problem(
            file_name, 1, "(file)", "survey_open", "cannot load: the survey has not opened")])
    digest = hashlib.sha256(content).hexdigest()
    done = survey.imports.filter(sha256=digest).first()
    if done is not None:
        return done, False
    questions = list(survey.questions.all())
    rows = importer.read(content, file_name=file_name, survey=survey, questions=questions,
                         today=timezone.localdate())
    by_key = {q.key: q for q in questions}
    try:
        with transaction.atomic():
            loaded = ResponseImport.objects.create(survey=survey, file_name=file_name,
                                                   sha256=digest, rows=len(rows),
                                                   imported_by=actor)
    except IntegrityError:  # the same file loaded at the same moment
        return survey.imports.get(sha256=digest), False
    for row in rows:
        _write(survey, {by_key[k]: v for k, v in row.answers.items()}, on=row.received_on,
               channel=Response.Channel.IMPORT, respondent=row.respondent, source_import=loaded)
    audit_object(actor, AuditEvent.Action.CREATE, loaded, "import survey responses",
                 {"rows": len(rows), "file": file_name})
    return loaded, True


@transaction.atomic
def answer_code(*, actor: User | None, answer: Answer, codes: Iterable[Code]) -> Answer:
    """Code a free-text answer against the survey's code frame (no theme is a coding too:
    the answer was read and fits none)."""
    _require(actor, answer.response.survey)
    codes = list(codes)
    if answer.question.closed:
        raise ValidationError({"codes": ["Only free text is coded"]})
    if any(c.survey_id != answer.question.survey_id for c in codes):
        raise ValidationError({"codes": ["A theme from another survey's code frame"]})
    answer.codes.set(codes)
    answer.coded = True
    answer.save(update_fields=["coded"])
    audit_object(actor, AuditEvent.Action.UPDATE, answer, "code free text",
                 {"codes": sorted(c.key for c in codes)})
    return answer


# You said, we did -------------------------------------------------------------------------

@transaction.atomic
def you_said_record(*, actor: User | None, survey: Survey, you_said: str, we_did: str,
                    on: dt.date, code: Code | None = None, question: Question | None = None,
                    option: str = "", actions: Iterable = (), outcome: str = "",
                    status: str = YouSaidWeDid.Status.PLANNED) -> YouSaidWeDid:
    """Feedback - a theme of the survey's code frame or a closed question's answer - and
    what was done about it: actions in governance's action log, status and outcome."""
    from safeguarding.governance import selectors as governance

    _require(actor, survey)
    actions = list(actions)
    errors: dict[str, list[str]] = {}
    if not you_said.strip():
        errors["you_said"] = ["Enter what they said"]
    if not we_did.strip():
        errors["we_did"] = ["Enter what was done"]
    if code is not None and code.survey_id != survey.pk:
        errors["code"] = ["The theme is not in this survey's code frame"]
    if question is not None:
        if question.survey_id != survey.pk:
            errors["question"] = ["The question is not in this survey"]
        elif option and option not in {v for v, _ in question.choices()}:
            errors["option"] = ["Not one of the question's options"]
    if status not in YouSaidWeDid.Status.values:
        errors["status"] = ["Choose the status"]
    if status == YouSaidWeDid.Status.DONE and not outcome.strip():
        errors["outcome"] = ["Enter the outcome of what was done"]
    own = set(governance.partnership_bodies(survey.partnership).values_list("pk", flat=True))
    if any(a.body_id not in own for a in actions):
        errors["actions"] = ["An action from another partnership's log"]
    if errors:
        raise ValidationError(errors)
    record = YouSaidWeDid.objects.create(
        partnership=survey.partnership, survey=survey, code=code, question=question,
        option=option, you_said=you_said.strip(), we_did=we_did.strip(),
        outcome=outcome.strip(), status=status, recorded_on=on)
    record.actions.set(actions)
    audit_object(actor, AuditEvent.Action.CREATE, record, "record you said, we did",
                 {"actions": sorted(a.reference for a in actions)})
    return record


def question_key_ok(key: str) -> bool:
    return bool(re.fullmatch(r"[a-z0-9_]{1,40}", key))
