"""The pages: the business unit creates, opens and closes a survey; a young person answers
through the response link without an account; responses are imported (problems named by
file, row, column and rule); free text is coded; "you said, we did" is recorded. Then the
API and the attacker's view."""

from __future__ import annotations

import json

from django.core.cache import cache
from django.core.files.uploadedfile import SimpleUploadedFile
from django.test import Client
from django.urls import reverse

from safeguarding.voice.models import Response, Survey


def _date(prefix: str, day: int, month: int, year: int) -> dict:
    return {f"{prefix}_day": str(day), f"{prefix}_month": str(month), f"{prefix}_year": str(year)}


def test_the_business_unit_runs_a_survey_that_a_young_person_answers(client_for, staffs):
    client = client_for("business.staffs")
    page = client.post(reverse("voice:survey-add"), {
        "partnership": staffs.pk, "title": "Feeling safe", "audience": "children",
        "anonymous": "yes", "themes": ["child_exploitation"], **_date("closes_on", 30, 11, 2020)})
    assert page.status_code == 302
    survey = Survey.objects.get(title="Feeling safe")
    assert survey.anonymous and survey.status == "draft"
    client.post(reverse("voice:question-add", args=[survey.pk]), {
        "text": "How worried are you about knife crime?", "kind": "single",
        "options": "Worried\nNot worried", "tag": "knife_crime_worry"})
    client.post(reverse("voice:question-add", args=[survey.pk]), {
        "text": "What would make you feel safer?", "kind": "free_text"})
    assert survey.questions.count() == 2
    link = reverse("voice:respond", args=[survey.token])
    assert Client().get(link).status_code == 404  # not open yet
    client.post(reverse("voice:survey-open", args=[survey.pk]), _date("on", 1, 9, 2020))
    detail = client.get(reverse("voice:survey-detail", args=[survey.pk])).content.decode()
    assert link in detail

    cache.clear()
    young_person = Client()
    form = young_person.get(link)
    assert form.status_code == 200 and "This survey is anonymous" in form.content.decode()
    assert "Your name" not in form.content.decode()
    knife, safer = survey.questions.values_list("key", flat=True)
    done = young_person.post(link, {knife: "worried", safer: "Better lighting"}, follow=True)
    assert "Your answers to Feeling safe were sent" in done.content.decode()
    response = Response.objects.get(survey=survey)
    assert response.respondent == "" and response.channel == "link"
    empty = young_person.post(link, {})
    assert empty.status_code == 200 and "Answer at least one question" in empty.content.decode()

    coding = client.get(reverse("voice:coding", args=[survey.pk])).content.decode()
    assert "Better lighting" in coding
    client.post(reverse("voice:code-add", args=[survey.pk]), {"label": "Safer streets"})
    answer = response.answers.get(question__kind="free_text")
    code = survey.codes.get()
    client.post(reverse("voice:answer-code", args=[answer.pk]), {"codes": [str(code.pk)]})
    answer.refresh_from_db()
    assert answer.coded and list(answer.codes.all()) == [code]

    client.post(reverse("voice:survey-close", args=[survey.pk]), _date("on", 30, 11, 2020))
    survey.refresh_from_db()
    assert survey.status == "closed"
    assert "This survey has closed" in Client().get(link).content.decode()


def test_the_response_link_refuses_a_flood(open_survey, settings):
    cache.clear()
    link = reverse("voice:respond", args=[open_survey.token])
    visitor = Client()
    codes = [visitor.post(link, {"knife": "worried"}).status_code for _ in range(21)]
    assert codes[:20] == [302] * 20 and codes[20] == 429
    assert open_survey.responses.count() == 20


def test_an_import_with_problems_loads_nothing_and_names_them(client_for, open_survey):
    client = client_for("business.staffs")
    bad = SimpleUploadedFile("autumn.csv", b"received_on,respondent,knife,safer\n"
                                           b"2020-09-02,,terrified,\n", content_type="text/csv")
    page = client.post(reverse("voice:import", args=[open_survey.pk]), {"file": bad})
    text = page.content.decode()
    assert page.status_code == 200 and "1 problem found" in text
    assert "autumn.csv" in text and "terrified" in text and ">option<" in text
    assert not open_survey.responses.exists()
    good = SimpleUploadedFile("autumn.csv", b"received_on,respondent,knife,safer\n"
                                            b"2020-09-02,,worried,\n", content_type="text/csv")
    page = client.post(reverse("voice:import", args=[open_survey.pk]), {"file": good},
                       follow=True)
    assert "1 responses loaded from autumn.csv" in page.content.decode()
    template = client.get(reverse("voice:template", args=[open_survey.pk]))
    assert template.content.decode().startswith("received_on,respondent,knife,safer")


def test_readers_see_results_but_not_free_text_and_other_partnerships_see_nothing(
        client_for, open_survey):
    board = client_for("board.la")
    assert board.get(reverse("voice:survey-detail", args=[open_survey.pk])).status_code == 200
    assert board.get(reverse("voice:coding", args=[open_survey.pk])).status_code == 403
    assert board.get(reverse("voice:survey-close", args=[open_survey.pk])).status_code == 403
    stoke = client_for("business.stoke")
    assert stoke.get(reverse("voice:survey-detail", args=[open_survey.pk])).status_code == 404
    assert stoke.get(reverse("voice:survey-close", args=[open_survey.pk])).status_code == 404
    assert client_for("analyst.staffs").get(reverse("voice:home")).status_code == 403
    assert client_for("social.worker").get(reverse("voice:home")).status_code == 403


def test_the_api_gives_results_and_takes_an_entered_response(client_for, open_survey):
    client = client_for("business.staffs")
    added = client.post(f"/api/voice/surveys/{open_survey.pk}/responses",
                        json.dumps({"knife": "worried", "received_on": "2020-09-05"}),
                        content_type="application/json")
    assert added.status_code == 201
    results = client.get(f"/api/voice/surveys/{open_survey.pk}/results").json()
    assert results["survey"]["responses"] == 1
    assert results["results"][0]["options"][0] == {"option": "Worried", "count": "fewer than 5",
                                                   "percent": None}
    board = client_for("board.la")
    refused = board.post(f"/api/voice/surveys/{open_survey.pk}/responses",
                         json.dumps({"knife": "worried"}),
                         content_type="application/json")
    assert refused.status_code == 403
    assert client_for("business.stoke").get(
        f"/api/voice/surveys/{open_survey.pk}/results").status_code == 404
    assert client.get("/api/voice/you-said-we-did").status_code == 200
