"""The voice pages. The partnership's business unit runs surveys; its board and sub-group
members read results (rules.py). Respondents answer through the survey's response link,
which needs no account (core's middleware leaves /voice/respond/ open) and is limited per
address (services.link_allowed)."""

from __future__ import annotations

from functools import partial

from django.contrib import messages
from django.http import HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils import timezone
from django.views.decorators.http import require_http_methods

from safeguarding.core.forms_govuk import apply_service
from safeguarding.core.models import Partnership
from safeguarding.core.rules import permission_require
from safeguarding.core.views.imports import csv_import_page
from safeguarding.core.views.pages import form_page, permission_view
from safeguarding.voice import forms, importer, selectors, services
from safeguarding.voice.rules import Level, partnerships_at

reader = permission_view("voice.view")


_form_page = partial(form_page, breadcrumbs="voice/_breadcrumbs.html")


def _to_survey(request, text: str, survey):
    messages.success(request, text)
    return redirect("voice:survey-detail", pk=survey.pk)


@reader
def home(request):
    return render(request, "voice/home.html", {
        "surveys": selectors.surveys_for(request.user).order_by("-opened_on", "-pk"),
        "can_edit": request.user.has_perm("voice.edit")})


@reader
def survey_add(request):
    permission_require(request.user, "voice.edit")
    partnerships = Partnership.objects.filter(pk__in=partnerships_at(request.user, Level.EDIT))
    form = forms.SurveyForm(request.POST or None, partnerships=partnerships)
    if request.method == "POST" and form.is_valid():
        d = form.cleaned_data
        survey = apply_service(form, lambda: services.survey_create(
            actor=request.user, partnership=d["partnership"], title=d["title"],
            audience=d["audience"], anonymous=d["anonymous"], themes=d["themes"],
            description=d["description"], run_by=d["run_by"], closes_on=d["closes_on"]))
        if survey:
            return _to_survey(request, f"Survey {survey.reference} created: add its questions",
                              survey)
    return _form_page(request, form, "Create a survey", cancel_url=reverse("voice:home"))


@reader
def survey_detail(request, pk):
    survey = selectors.survey_get(actor=request.user, pk=pk)
    can_edit = request.user.has_perm("voice.edit", survey)
    cells, coded, waiting = selectors.theme_results(survey)
    return render(request, "voice/survey_detail.html", {
        "survey": survey, "can_edit": can_edit, "questions": survey.questions.all(),
        "results": selectors.question_results(survey), "themes": cells, "coded": coded,
        "waiting": waiting, "you_said": selectors.you_said_for(request.user, survey),
        "link": request.build_absolute_uri(reverse("voice:respond", args=[survey.token]))
        if can_edit else "",
        "template_header": importer.template_header(survey.questions.all())})


@reader
def question_add(request, pk):
    survey = selectors.survey_get(actor=request.user, pk=pk)
    permission_require(request.user, "voice.edit", survey)
    form = forms.QuestionForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        d = form.cleaned_data
        question = apply_service(form, lambda: services.question_add(
            actor=request.user, survey=survey, text=d["text"], kind=d["kind"],
            options=d["options"].splitlines(), tag=d["tag"],
            scale=(d["scale_min"] or 1, d["scale_max"] or 5)))
        if question:
            return _to_survey(request, "Question added", survey)
    return _form_page(request, form, "Add a question", caption=str(survey),
                      cancel_url=reverse("voice:survey-detail", args=[survey.pk]))


@reader
def code_add(request, pk):
    survey = selectors.survey_get(actor=request.user, pk=pk)
    permission_require(request.user, "voice.edit", survey)
    form = forms.CodeForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        if apply_service(form, lambda: services.code_add(
                actor=request.user, survey=survey, label=form.cleaned_data["label"])):
            return _to_survey(request, "Theme added to the code frame", survey)
    return _form_page(request, form, "Add a theme to the code frame", caption=str(survey),
                      intro="Free-text answers are coded against these themes.",
                      cancel_url=reverse("voice:survey-detail", args=[survey.pk]))


def _dated(request, pk, service, title, done, intro=""):
    survey = selectors.survey_get(actor=request.user, pk=pk)
    permission_require(request.user, "voice.edit", survey)
    form = forms.DayForm(request.POST or None, initial={"on": timezone.localdate()})
    if request.method == "POST" and form.is_valid():
        if apply_service(form, lambda: service(actor=request.user, survey=survey,
                                               on=form.cleaned_data["on"])):
            return _to_survey(request, done, survey)
    return _form_page(request, form, title, caption=str(survey), intro=intro, submit=title,
                      cancel_url=reverse("voice:survey-detail", args=[survey.pk]))


@reader
def survey_open(request, pk):
    return _dated(request, pk, services.survey_open, "Open the survey", "Survey opened",
                  intro="Once open, respondents answer through the response link and "
                        "questions no longer change.")


@reader
def survey_close(request, pk):
    return _dated(request, pk, services.survey_close, "Close the survey", "Survey closed",
                  intro="No more answers are taken once the survey closes.")


@reader
def responses_import(request, pk):
    survey = selectors.survey_get(actor=request.user, pk=pk)
    permission_require(request.user, "voice.edit", survey)
    form = forms.ImportForm(request.POST or None, request.FILES or None)

    def loaded(result):
        record, new = result
        return _to_survey(request, f"{record.rows} responses loaded from {record.file_name}"
                          if new else f"{record.file_name} was loaded before: nothing changed",
                          survey)

    return csv_import_page(
        request, form, lambda content, name: services.responses_import(
            actor=request.user, survey=survey, content=content, file_name=name),
        succeeded=loaded, template="voice/import.html", context={
            "title": "Import responses", "caption": survey, "survey": survey,
            "header": importer.template_header(survey.questions.all())})


@reader
def template_csv(request, pk):
    survey = selectors.survey_get(actor=request.user, pk=pk)
    permission_require(request.user, "voice.edit", survey)
    response = HttpResponse(importer.template_header(survey.questions.all()) + "\r\n",
                            content_type="text/csv")
    response["Content-Disposition"] = f'attachment; filename="{survey.reference}-template.csv"'
    return response


@reader
def coding(request, pk):
    survey = selectors.survey_get(actor=request.user, pk=pk)
    permission_require(request.user, "voice.edit", survey)
    return render(request, "voice/coding.html", {
        "survey": survey, "answers": selectors.uncoded_answers(survey)[:50],
        "codes": survey.codes.all()})


@reader
def answer_code(request, pk):
    answer = selectors.answer_get(actor=request.user, pk=pk)
    survey = answer.response.survey
    permission_require(request.user, "voice.edit", survey)
    form = forms.CodingForm(request.POST or None, survey=survey,
                            initial={"codes": [str(c.pk) for c in answer.codes.all()]})
    if request.method == "POST" and form.is_valid():
        if apply_service(form, lambda: services.answer_code(
                actor=request.user, answer=answer,
                codes=[form.codes[k] for k in form.cleaned_data["codes"]])):
            messages.success(request, "Answer coded")
            return redirect("voice:coding", pk=survey.pk)
    return _form_page(request, form, "Code an answer", caption=str(survey),
                      intro=f"{answer.question.text} \u2014 \u201c{answer.text}\u201d",
                      cancel_url=reverse("voice:coding", args=[survey.pk]))


@reader
def you_said_add(request, pk):
    from safeguarding.governance import selectors as governance

    survey = selectors.survey_get(actor=request.user, pk=pk)
    permission_require(request.user, "voice.edit", survey)
    actions = governance.actions_for(request.user).filter(
        body__in=governance.partnership_bodies(survey.partnership))
    form = forms.YouSaidForm(request.POST or None, survey=survey, actions=actions,
                             initial={"on": timezone.localdate(), "status": "planned"})
    if request.method == "POST" and form.is_valid():
        d = form.cleaned_data
        code, question, option = form.choices_by_key[d["feedback"]]
        if apply_service(form, lambda: services.you_said_record(
                actor=request.user, survey=survey, you_said=d["you_said"], we_did=d["we_did"],
                on=d["on"], code=code, question=question, option=option,
                actions=[form.actions[k] for k in d["actions"]], outcome=d["outcome"],
                status=d["status"])):
            return _to_survey(request, "\u201cYou said, we did\u201d recorded", survey)
    return _form_page(request, form, "Record \u201cyou said, we did\u201d", caption=str(survey),
                      cancel_url=reverse("voice:survey-detail", args=[survey.pk]))


@reader
def you_said_list(request):
    return render(request, "voice/you_said_list.html", {
        "records": selectors.you_said_for(request.user)})


@require_http_methods(["GET", "POST"])
def respond(request, token):
    """The response link: no account needed; one address is limited per hour."""
    survey = selectors.survey_by_token(token)
    if survey.status != "open":
        return render(request, "voice/respond_closed.html", {"survey": survey})
    form = forms.ResponseForm(request.POST if request.method == "POST" else None, survey=survey)
    if request.method == "POST":
        if not services.link_allowed(survey, request.META.get("REMOTE_ADDR", "")):
            return render(request, "voice/respond_limited.html", {"survey": survey}, status=429)
        if form.is_valid() and apply_service(form, lambda: services.response_submit(
                survey=survey, answers=form.answers(),
                respondent=form.cleaned_data.get("respondent", ""))):
            return redirect("voice:respond-done", token=token)
    return render(request, "voice/respond.html", {"survey": survey, "form": form})


def respond_done(request, token):
    survey = selectors.survey_by_token(token)
    return render(request, "voice/respond_done.html", {"survey": survey})
