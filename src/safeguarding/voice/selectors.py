"""Reads for voice. A survey of a partnership the reader has no level for is not found
(404). Results are counts of closed answers and of coded themes, each hidden where it is
small (core/disclosure.py), for everyone: a survey's respondents are people whose answers
must not be worked out from a small count. Free-text answers are read by the business
unit only."""

from __future__ import annotations

import datetime as dt
from collections import Counter
from dataclasses import dataclass

from django.db.models import Count, Q, QuerySet
from django.http import Http404
from django.utils import timezone

from safeguarding.core import disclosure
from safeguarding.core.grammar import number_words, verb_for
from safeguarding.core.models import User
from safeguarding.core.modules import HomeItem
from safeguarding.voice import config
from safeguarding.voice.models import Answer, Code, Question, Response, Survey, YouSaidWeDid
from safeguarding.voice.rules import Level, partnerships_at


def surveys_for(actor: User) -> QuerySet[Survey]:
    return (Survey.objects.filter(partnership_id__in=partnerships_at(actor, Level.VIEW))
            .select_related("partnership").annotate(response_count=Count("responses")))


def survey_get(*, actor: User, pk: int) -> Survey:
    found = surveys_for(actor).filter(pk=pk).first()
    if found is None:
        raise Http404("No such survey")
    return found


def survey_by_token(token: str) -> Survey:
    found = Survey.objects.filter(token=token).select_related("partnership").first()
    if found is None or found.status == Survey.Status.DRAFT:
        raise Http404("No such survey")
    return found


def survey_by_reference(reference: str) -> Survey | None:
    return Survey.objects.filter(reference=reference).select_related("partnership").first()


def answer_get(*, actor: User, pk: int) -> Answer:
    found = (Answer.objects.filter(
        pk=pk, response__survey__partnership_id__in=partnerships_at(actor, Level.EDIT))
        .select_related("question", "response__survey").first())
    if found is None:
        raise Http404("No such answer")
    return found


@dataclass(frozen=True)
class Cell:
    """A count out of a total, with its percentage; both hidden where disclosive."""

    label: str
    value: str
    count: int
    total: int

    @property
    def hidden(self) -> bool:
        return disclosure.is_small(self.count) or disclosure.rate_disclosive(self.count,
                                                                              self.total)

    @property
    def shown_count(self) -> str:
        return disclosure.HIDDEN_TEXT if disclosure.is_small(self.count) else str(self.count)

    @property
    def percent(self) -> int | None:
        if self.hidden or not self.total:
            return None
        return round(100 * self.count / self.total)


@dataclass(frozen=True)
class QuestionResult:
    question: Question
    answered: int
    cells: list[Cell]

    @property
    def answered_shown(self) -> str:
        return (disclosure.HIDDEN_TEXT if disclosure.is_small(self.answered)
                else str(self.answered))


def _answers(survey: Survey, start: dt.date | None = None, end: dt.date | None = None):
    found = Answer.objects.filter(response__survey=survey)
    if start:
        found = found.filter(response__received_on__gte=start)
    if end:
        found = found.filter(response__received_on__lte=end)
    return found


def question_results(survey: Survey, start: dt.date | None = None,
                     end: dt.date | None = None) -> list[QuestionResult]:
    """Each closed question: the answers choosing each option, out of those answering it."""
    chosen: dict[int, Counter[str]] = {}
    answered: Counter[int] = Counter()
    for qid, choices in _answers(survey, start, end).filter(
            question__kind__in=["single", "multiple", "scale"]).values_list("question_id",
                                                                            "choices"):
        answered[qid] += 1
        chosen.setdefault(qid, Counter()).update(choices)
    results = []
    for question in survey.questions.exclude(kind="free_text"):
        counts = chosen.get(question.pk, Counter())
        results.append(QuestionResult(question, answered[question.pk], [
            Cell(label, value, counts[value], answered[question.pk])
            for value, label in question.choices()]))
    return results


def theme_results(survey: Survey) -> tuple[list[Cell], int, int]:
    """The code frame's themes: coded answers naming each, out of the coded answers; and
    (coded, still to code)."""
    free = Answer.objects.filter(response__survey=survey, question__kind="free_text")
    coded = free.filter(coded=True).count()
    waiting = free.filter(coded=False).count()
    counts = dict(Code.objects.filter(survey=survey).annotate(
        n=Count("answers", filter=Q(answers__coded=True))).values_list("pk", "n"))
    return ([Cell(c.label, c.key, counts.get(c.pk, 0), coded) for c in survey.codes.all()],
            coded, waiting)


def uncoded_answers(survey: Survey) -> QuerySet[Answer]:
    return (Answer.objects.filter(response__survey=survey, question__kind="free_text",
                                  coded=False)
            .select_related("question").order_by("pk"))


def you_said_for(actor: User, survey: Survey | None = None) -> QuerySet[YouSaidWeDid]:
    found = YouSaidWeDid.objects.filter(
        partnership_id__in=partnerships_at(actor, Level.VIEW)).select_related(
        "survey", "code", "question").prefetch_related("actions")
    return found.filter(survey=survey) if survey is not None else found


def you_said_get(*, actor: User, pk: int) -> YouSaidWeDid:
    found = you_said_for(actor).filter(pk=pk).first()
    if found is None:
        raise Http404("No such record")
    return found


# Triangulation and the report -------------------------------------------------------------

def _period(period) -> tuple[dt.date, dt.date]:
    if isinstance(period, tuple):
        return period
    return period.start, period.end


def results_for_theme(partnership, theme_key: str, period) -> list[dict]:
    """For a dashboard theme's triangulation panel: each survey of the partnership that
    speaks to the theme and had responses in ``period`` ((start, end), or anything with
    ``start`` and ``end``), with its closed results (count and percentage of each option,
    None where hidden as small) and coded themes, and its "you said, we did" records."""
    start, end = _period(period)
    found = []
    for survey in (Survey.objects.filter(partnership=partnership).exclude(status="draft")
                   .order_by("opened_on", "pk")):
        if theme_key not in survey.themes:
            continue
        responses = survey.responses.filter(received_on__range=(start, end)).count()
        if not responses:
            continue
        cells, coded, _ = theme_results(survey)
        found.append({
            "survey": survey.reference, "title": survey.title, "audience": survey.audience,
            "responses": None if disclosure.is_small(responses) else responses,
            "results": [{"question": r.question.text, "answered": r.answered_shown,
                         "options": [{"option": c.label, "count": c.shown_count,
                                      "percent": c.percent} for c in r.cells]}
                        for r in question_results(survey, start, end)],
            "themes": [{"theme": c.label, "count": c.shown_count, "percent": c.percent}
                       for c in cells],
            "you_said_we_did": [{"you_said": y.you_said, "we_did": y.we_did,
                                 "status": y.status, "outcome": y.outcome,
                                 "actions": [a.reference for a in y.actions.all()]}
                                for y in survey.you_said.prefetch_related("actions")]})
    return found


def _number(n: int, one: str, many: str) -> str:
    return f"{n} {one if n == 1 else many}"


def report_sentences(partnership, start: dt.date, end: dt.date) -> list[str]:
    """The report's "Voice of children, families and practitioners": surveys run, their
    responses, their tracked results and what changed, each sentence right for 0, 1 or many."""
    surveys = list(Survey.objects.filter(partnership=partnership, opened_on__lte=end)
                   .exclude(status="draft").exclude(closed_on__lt=start).order_by("opened_on"))
    responses = Response.objects.filter(survey__in=surveys, received_on__range=(start, end))
    total = responses.count()
    if not surveys:
        return ["No survey of children, families or practitioners ran in the year."]
    said = [f"{_number(len(surveys), 'survey', 'surveys')} "
            f"{'was' if len(surveys) == 1 else 'were'} run in the year"]
    if total == 0:
        said[0] += ", and no response was received."
    elif disclosure.is_small(total):
        said[0] += f", with {disclosure.HIDDEN_TEXT} responses."
    else:
        said[0] += f", with {_number(total, 'response', 'responses')}."
    for survey in surveys:
        for result in question_results(survey, start, end):
            tracked = config.result_for_tag(result.question.tag) if result.question.tag else None
            if tracked is None or not result.answered or disclosure.is_small(result.answered):
                continue  # nothing to say, or the number answering would be disclosive
            yes = sum(c.count for c in result.cells if c.value in tracked["options"])
            cell = Cell("", "", yes, result.answered)
            if cell.percent is not None:
                said.append(f"{survey.run_by or survey.title}: {cell.percent}% of the "
                            f"{_number(result.answered, 'person', 'people')} answering said "
                            f"\u201c{result.question.text}\u201d - "
                            f"{', '.join(c.label.lower() for c in result.cells if c.value in tracked['options'])}.")
    records = YouSaidWeDid.objects.filter(partnership=partnership,
                                          recorded_on__range=(start, end))
    done = records.filter(status=YouSaidWeDid.Status.DONE).count()
    n = records.count()
    if n == 0:
        said.append("No \u201cyou said, we did\u201d change was recorded.")
    else:
        said.append(f"{_number(n, 'change', 'changes')} in answer to what people said "
                    f"{'was' if n == 1 else 'were'} recorded, of which "
                    f"{number_words(done, zero='none')} {verb_for(done, 'was')} done.")
    return said


# Work for the home page -------------------------------------------------------------------

def home_items(user) -> list[HomeItem]:
    """The business unit's work: open surveys due to close (within the configured days, or
    past it), and surveys with free text still to code. Never a respondent."""
    from django.urls import reverse

    ids = partnerships_at(user, Level.EDIT)
    if not ids:
        return []
    today = timezone.localdate()
    soon = today + dt.timedelta(days=config.close_days_before())
    items = []
    for survey in Survey.objects.filter(partnership_id__in=ids, status=Survey.Status.OPEN,
                                        closes_on__lte=soon).order_by("closes_on"):
        items.append(HomeItem(
            kind="review", title=f"Close survey {survey.reference}: {survey.title}",
            url=reverse("voice:survey-close", args=[survey.pk]), due=survey.closes_on,
            overdue=bool(survey.closes_on and survey.closes_on < today)))
    waiting = (Answer.objects.filter(response__survey__partnership_id__in=ids,
                                     question__kind="free_text", coded=False)
               .values_list("response__survey_id").annotate(n=Count("pk")).order_by())
    surveys = {s.pk: s for s in Survey.objects.filter(pk__in=[pk for pk, _ in waiting])}
    for pk, n in sorted(waiting):
        survey = surveys[pk]
        items.append(HomeItem(
            kind="review", title=f"Code free text of survey {survey.reference}",
            url=reverse("voice:coding", args=[pk]),
            detail=f"{_number(n, 'answer', 'answers')} to code"))
    return items
