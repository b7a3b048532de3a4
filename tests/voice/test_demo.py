"""The demo's voice work: the Youth Commission's 1,000 young people (62% worried about knife
and gang crime), a closed survey of parents and carers, a practitioner survey left open for
the business unit to close, "you said, we did" records on governance's action log; and the
measures the engine computes from them, on the dashboard and in the report."""

from __future__ import annotations

import datetime as dt

from django.core.management import call_command
from django.urls import reverse

from safeguarding.core.models import Partnership, User
from safeguarding.measures.periods import financial_year_of
from safeguarding.measures.selectors import published_figures
from safeguarding.reports import builder
from safeguarding.voice import selectors
from safeguarding.voice.models import Survey, YouSaidWeDid

YEAR = (dt.date(2020, 4, 1), dt.date(2021, 3, 31))
# 2020-21's practitioner survey, left open (the demo has one of 2019-20 too, closed).
PRACTITIONERS = "Practitioners: professional challenge and escalation"


def test_the_youth_commission_found_62_percent_worried_about_knife_crime(voice_demo):
    youth = Survey.objects.get(title="Youth Commission: feeling safe in Staffordshire")
    assert youth.anonymous and youth.status == "closed" and youth.responses.count() == 1000
    assert not youth.responses.exclude(respondent="").exists()
    [knife] = [r for r in selectors.question_results(youth) if r.question.key == "knife_crime"]
    worried = sum(c.count for c in knife.cells if c.value in ("worried", "very_worried"))
    assert round(100 * worried / knife.answered) == 62
    staffs = Partnership.objects.get(code="STAFFS")
    [found] = selectors.results_for_theme(staffs, "child_exploitation", YEAR)
    assert found["responses"] == 1000 and len(found["you_said_we_did"]) == 2
    # The Youth Commission asked again in 2021-22: fewer worried, after Ditch the Blade.
    again = Survey.objects.get(run_by="Staffordshire Youth Commission",
                               opened_on__year=2021)
    [knife] = [r for r in selectors.question_results(again) if r.question.key == "knife_crime"]
    worried = sum(c.count for c in knife.cells if c.value in ("worried", "very_worried"))
    assert round(100 * worried / knife.answered) == 53


def test_the_business_unit_has_a_survey_to_close_and_free_text_to_code(voice_demo, client_for):
    business = User.objects.get(username="business.staffs")
    titles = [i.title for i in selectors.home_items(business)]
    practitioners = Survey.objects.get(title=PRACTITIONERS)
    assert f"Close survey {practitioners.reference}: {practitioners.title}" in titles
    assert any(t.startswith("Code free text of survey") for t in titles)
    client = client_for("business.staffs")
    page = client.post(reverse("voice:survey-close", args=[practitioners.pk]),
                       {"on_day": "31", "on_month": "3", "on_year": "2021"})
    assert page.status_code == 302
    practitioners.refresh_from_db()
    assert practitioners.status == "closed"


def test_you_said_we_did_links_the_action_log(voice_demo, client_for):
    knife = YouSaidWeDid.objects.get(you_said__startswith="62%")
    [action] = knife.actions.all()
    assert action.title.startswith("Run 'Ditch the Blade'") and action.status == "complete"
    page = client_for("board.la").get(reverse("voice:you-said-list")).content.decode()
    assert action.reference in page and "Ditch the Blade" in page


def test_the_measures_the_dashboard_and_the_report(voice_demo, client_for):
    found = client_for("board.police").get(
        "/api/indicators", {"partnership": "STAFFS", "period": "2020-21"}).json()
    values = {i["id"]: i["value"] for i in found["indicators"] if i["id"].startswith("voice")}
    assert values["voice_responses"] == 1000 + 312 + 184
    assert values["voice_responses_children"] == 1000
    assert round(values["voice_knife_crime_worried_rate"]) == 62
    assert round(values["voice_learning_struggled_rate"]) == 58
    page = client_for("board.police").get(reverse("measures:theme", args=["STAFFS", "voice"]),
                                          {"period": "2020-21"})
    assert page.status_code == 200 and "Survey responses" in page.content.decode()
    staffs = Partnership.objects.get(code="STAFFS")
    report = builder.build(staffs, "2020-21")
    assert report.figures.by_key["voice_responses"].value == 1496
    body = builder.render_body(report)
    assert "Voice of children, families and practitioners" in body
    # The section says the surveys' results in words, from voice's records (its contract).
    from tests.reports.helpers import parse, report_root

    section = " ".join(report_root(parse(body)).xpath('//section[@id="section-voice"]')[0]
                       .text_content().split())
    assert "Staffordshire Youth Commission: 62% of the 985 people answering said" in section
    assert "4 changes in answer to what people said were recorded, of which 2 were done." \
        in section
    year = financial_year_of(YEAR[0])
    said = selectors.report_sentences(staffs, year, published_figures(staffs, year))
    assert said[0] == "3 surveys were run in the year, with 1,496 responses." or \
        said[0] == "3 surveys were run in the year, with 1496 responses."
    assert any("62% of the 985 people answering" in s for s in said)
    assert said[-1] == "4 changes in answer to what people said were recorded, of which 2 " \
                       "were done."


def test_the_command_lists_surveys_and_closes_one(voice_demo, capsys):
    call_command("voice", "surveys", "STAFFS")
    out = capsys.readouterr().out
    assert "Youth Commission: feeling safe in Staffordshire (children, anonymous, closed" in out
    practitioners = Survey.objects.get(title=PRACTITIONERS)
    call_command("voice", "close", practitioners.reference, "--on", "2021-03-31")
    practitioners.refresh_from_db()
    assert practitioners.status == "closed"


def test_the_annex_and_the_dashboard_hear_the_voice_of_children(voice_demo, client_for):
    """The compliance annex's item "feedback from children and families, and what changed"
    is present from the Youth Commission and its "you said, we did" records; the exploitation
    theme shows the survey beside its measures; a year without surveys shows it missing."""
    from safeguarding.core import modules
    from safeguarding.measures.periods import parse as parse_period

    staffs = Partnership.objects.get(code="STAFFS")
    item = modules.report_evidence(staffs, parse_period("2020-21"))["voice"]
    # The Youth Commission (1,000) and the parents and carers survey.
    assert item.present and item.detail.startswith("1,312 responses"), item.detail
    assert not modules.report_evidence(staffs, parse_period("2017-18"))["voice"].present
    beside = [t for t in modules.triangulation(staffs, "child_exploitation",
                                               parse_period("2020-21")) if t.kind == "survey"]
    assert len(beside) == 1 and "2 you said, we did records" in beside[0].summary


def test_the_api_closes_a_survey_for_the_business_unit_only(voice_demo, client_for):
    import json

    practitioners = Survey.objects.get(title=PRACTITIONERS)
    url = f"/api/voice/surveys/{practitioners.pk}/close"
    body = json.dumps({"on": "2021-03-31"})
    refused = client_for("board.police").post(url, content_type="application/json", data=body)
    assert refused.status_code == 403
    assert client_for("business.stoke").post(url, content_type="application/json",
                                             data=body).status_code == 404
    closed = client_for("business.staffs").post(url, content_type="application/json", data=body)
    assert closed.status_code == 200
    assert closed.json()["status"] == "closed" and closed.json()["closed_on"] == "2021-03-31"


def test_the_browser_walk_finds_the_demo_s_surveys(voice_demo, client_for):
    """browser_pages.py walks 2020-21's surveys (the demo lists the newest first, and holds
    surveys of 2019-20 and 2021-22 too): it does not return early, and each page opens."""
    from django.test import Client

    from tests.voice import browser_pages

    opened = []

    class Walker:
        def open(self, username, path, label):
            client = client_for(username) if username else Client()
            page = client.get(path)
            assert page.status_code == 200, (label, path, page.status_code)
            opened.append(label)
            return (username, path)

        def submit(self, page, label, expect_path):
            opened.append(label)

    browser_pages.walk(Walker())
    assert "Code an answer" in opened and "Survey response link (no account)" in opened
