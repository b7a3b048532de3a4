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
from safeguarding.voice.models import Answer, Code, Question, Survey, YouSaidWeDid
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


def report_sentences(partnership, period, figure) -> list[str]:
    """The report's "Voice of children, families and practitioners" for a Period: surveys
    run, their responses, their tracked results and what changed, each sentence right for
    0, 1 or many. The responses and the tracked results are the measure engine's figures
    as the report publishes them (``figure``, core.modules ``ReportText``), never counted
    again here, and say nothing where disclosure control hides them."""
    start, end = period.start, period.end
    surveys = list(Survey.objects.filter(partnership=partnership, opened_on__lte=end)
                   .exclude(status="draft").exclude(closed_on__lt=start).order_by("opened_on"))
    if not surveys:
        return ["No survey of children, families or practitioners ran in the year."]
    said = [f"{_number(len(surveys), 'survey', 'surveys')} "
            f"{'was' if len(surveys) == 1 else 'were'} run in the year"]
    responses = figure("voice_responses")
    if responses is not None and responses.value is None and disclosure.hidden_as_small(
            responses.reason):
        said[0] += f", with {disclosure.HIDDEN_TEXT} responses."
    elif responses is None or responses.value is None:
        # Not recorded for the whole period, or hidden by subtraction: the section's
        # measure says which; a count here would give it away.
        said[0] += "."
    elif responses.value == 0:
        said[0] += ", and no response was received."
    else:
        said[0] += f", with {_number(int(responses.value), 'response', 'responses')}."
    for tracked in config.results():
        said += _tracked_result(tracked, surveys, figure(f"{tracked['id']}_rate"))
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


def _tracked_result(tracked: dict, surveys: list[Survey], rate) -> list[str]:
    """A tracked result's sentence, naming the year's surveys that asked its question, with
    the engine's rate; nothing where the rate is hidden, not recorded or has no answers."""
    if rate is None or rate.value is None or not rate.denominator:
        return []
    asked = [(survey, question) for survey in surveys
             for question in survey.questions.filter(tag=tracked["tag"])]
    if not asked:
        return []
    names = list(dict.fromkeys(survey.run_by or survey.title for survey, _ in asked))
    by = names[0] if len(names) == 1 else f"{', '.join(names[:-1])} and {names[-1]}"
    question = asked[0][1]
    labels = ", ".join(label.lower() for value, label in question.choices()
                       if value in tracked["options"])
    percent = Cell("", "", rate.numerator, rate.denominator).percent
    if percent is None:
        return []
    return [f"{by}: {percent}% of the {_number(rate.denominator, 'person', 'people')} "
            f"answering said \u201c{question.text}\u201d - {labels}."]


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
