"""Surveys: anonymity kept (no identity anywhere, audit included), answers checked against
their questions, the CSV import all-or-nothing and idempotent, free text coded, "you said,
we did" linked to governance's action log, and the attacker's view."""

from __future__ import annotations

import datetime as dt

import pytest
from django.core.exceptions import PermissionDenied, ValidationError

from safeguarding.core import disclosure
from safeguarding.core.models import AuditEvent, User
from safeguarding.governance import services as governance
from safeguarding.measures.periods import financial_year_of, parse
from safeguarding.measures.selectors import published_figures
from safeguarding.voice import importer, selectors, services
from safeguarding.voice.models import Response

D = dt.date


def test_an_anonymous_survey_keeps_no_identity_at_all(open_survey, business_unit, staffs):
    with pytest.raises(ValidationError) as refused:
        services.response_submit(survey=open_survey, answers={"knife": "worried"},
                                 respondent="Amy Pond")
    assert "anonymous" in str(refused.value)
    before = AuditEvent.objects.count()
    response = services.response_submit(survey=open_survey, answers={"knife": "Worried"},
                                        on=D(2020, 9, 2))
    assert response.respondent == ""
    # No field of the response can hold a person: no account, no name, no address.
    fields = {f.name for f in Response._meta.get_fields()}
    assert not fields & {"user", "respondent_user", "email", "ip", "address", "created_by"}
    [row] = AuditEvent.objects.order_by("-sequence")[:AuditEvent.objects.count() - before]
    assert row.actor_id is None and row.object_type == "voice.survey"
    assert row.object_id == str(open_survey.pk)  # the survey, never the response


def test_a_named_survey_keeps_the_name_given(staffs, business_unit):
    survey = services.survey_create(actor=business_unit, partnership=staffs, title="Named",
                                    audience="practitioners", anonymous=False)
    services.question_add(actor=business_unit, survey=survey, key="ok", text="OK?",
                          kind="single", options=["Yes", "No"])
    services.survey_open(actor=business_unit, survey=survey, on=D(2021, 1, 1))
    response = services.response_submit(survey=survey, answers={"ok": "yes"},
                                        respondent="Social worker")
    assert response.respondent == "Social worker"


def test_answers_are_checked_against_their_questions(open_survey):
    with pytest.raises(ValidationError) as refused:
        services.response_submit(survey=open_survey, answers={"knife": "terrified"})
    assert "not one of the options" in str(refused.value)
    with pytest.raises(ValidationError):
        services.response_submit(survey=open_survey, answers={"knife": ["worried",
                                                                         "not_worried"]})
    with pytest.raises(ValidationError, match="at least one"):
        services.response_submit(survey=open_survey, answers={"knife": ""})


def test_a_draft_or_closed_survey_takes_no_answers(survey, business_unit):
    with pytest.raises(ValidationError, match="not open"):
        services.response_submit(survey=survey, answers={"knife": "worried"})
    with pytest.raises(ValidationError, match="before the survey opens"):
        services.survey_open(actor=business_unit, survey=survey, on=D(2020, 9, 1)) and \
            services.question_add(actor=business_unit, survey=survey, text="Late?",
                                  kind="free_text")
    services.survey_close(actor=business_unit, survey=survey, on=D(2020, 10, 1))
    with pytest.raises(ValidationError, match="not open"):
        services.response_submit(survey=survey, answers={"knife": "worried"})


CSV = (b"received_on,respondent,knife,safer\n"
       b"2020-09-02,,worried,More youth clubs\n"
       b"2020-09-03,,Not worried,\n"
       b"2020-09-04,,worried,\n")


def test_the_import_is_all_or_nothing_and_the_same_file_twice_changes_nothing(
        open_survey, business_unit):
    bad = CSV.replace(b"2020-09-03,,Not worried", b"2020-09-31,Amy,terrified")
    with pytest.raises(importer.ImportRefused) as refused:
        services.responses_import(actor=business_unit, survey=open_survey, content=bad,
                                  file_name="autumn.csv")
    said = [str(p) for p in refused.value.problems]
    assert "autumn.csv, row 3, received_on: '2020-09-31' is not a date YYYY-MM-DD " \
           "(rule date)" in said
    assert any("row 3, respondent" in s and "(rule anonymous)" in s for s in said)
    assert any("row 3, knife" in s and "(rule option)" in s for s in said)
    assert open_survey.responses.count() == 0
    loaded, new = services.responses_import(actor=business_unit, survey=open_survey,
                                            content=CSV, file_name="autumn.csv")
    assert new and loaded.rows == 3 and open_survey.responses.count() == 3
    again, new = services.responses_import(actor=business_unit, survey=open_survey,
                                           content=CSV, file_name="autumn-again.csv")
    assert not new and again == loaded and open_survey.responses.count() == 3


def test_a_wrong_header_names_what_is_missing(open_survey, business_unit):
    with pytest.raises(importer.ImportRefused) as refused:
        services.responses_import(actor=business_unit, survey=open_survey,
                                  content=b"received_on,knife,extra\n2020-09-02,worried,x\n",
                                  file_name="f.csv")
    assert str(refused.value.problems[0]) == ("f.csv, row 1, (header): missing respondent, "
                                              "safer; unknown extra (rule header)")


def test_free_text_is_coded_against_the_code_frame(open_survey, business_unit):
    services.responses_import(actor=business_unit, survey=open_survey, content=CSV,
                              file_name="a.csv")
    clubs = services.code_add(actor=business_unit, survey=open_survey, label="Things to do")
    with pytest.raises(ValidationError):
        services.code_add(actor=business_unit, survey=open_survey, label="things to do")
    [answer] = selectors.uncoded_answers(open_survey)
    services.answer_code(actor=business_unit, answer=answer, codes=[clubs])
    assert not selectors.uncoded_answers(open_survey).exists()
    cells, coded, waiting = selectors.theme_results(open_survey)
    assert (coded, waiting) == (1, 0) and cells[0].count == 1
    assert cells[0].percent is None and cells[0].shown_count == "fewer than 5"  # small


def test_results_hide_small_counts(open_survey, business_unit):
    for n in range(12):
        services.response_submit(survey=open_survey, on=D(2020, 9, 2),
                                 answers={"knife": "worried" if n < 9 else "not_worried"})
    [result] = selectors.question_results(open_survey)
    worried, not_worried = result.cells
    assert (worried.count, not_worried.count, result.answered) == (9, 3, 12)
    assert worried.percent is None  # 12 - 9 = 3 would give a small count away
    assert not_worried.shown_count == "fewer than 5"
    for _ in range(3):
        services.response_submit(survey=open_survey, on=D(2020, 9, 3),
                                 answers={"knife": "not_worried"})
    [result] = selectors.question_results(open_survey)
    assert [c.percent for c in result.cells] == [60, 40]


def test_you_said_we_did_links_governance_actions_of_its_own_partnership(
        open_survey, business_unit, staffs, stoke):
    from safeguarding.core.models import Agency

    police = Agency.objects.filter(kind="police", partnerships=staffs).first()
    own = governance.body_add(actor=None, partnership=staffs, kind="task_group", name="CE")
    other = governance.body_add(actor=None, partnership=stoke, kind="task_group", name="CE")
    mine = governance.action_add(actor=None, body=own, title="Ditch the Blade", owner="DI",
                                 agency=police, due_on=D(2021, 3, 1), raised_on=D(2020, 12, 1))
    theirs = governance.action_add(actor=None, body=other, title="X", owner="DI",
                                   agency=police, due_on=D(2021, 3, 1), raised_on=D(2020, 12, 1))
    knife = open_survey.questions.get(key="knife")
    with pytest.raises(ValidationError) as refused:
        services.you_said_record(actor=business_unit, survey=open_survey, question=knife,
                                 option="worried", you_said="Worried", we_did="Sessions",
                                 on=D(2020, 12, 1), actions=[theirs], status="done")
    assert set(refused.value.message_dict) == {"actions", "outcome"}
    record = services.you_said_record(actor=business_unit, survey=open_survey, question=knife,
                                      option="worried", you_said="Worried",
                                      we_did="Sessions in schools", on=D(2020, 12, 1),
                                      actions=[mine])
    assert list(record.actions.all()) == [mine]


def test_another_partnership_and_other_roles_cannot_touch_a_survey(open_survey, demo_world):
    stoke_bu = User.objects.get(username="business.stoke")
    board = User.objects.get(username="board.la")
    for person in (stoke_bu, board):
        with pytest.raises(PermissionDenied):
            services.survey_close(actor=person, survey=open_survey, on=D(2020, 10, 1))
    from django.http import Http404

    with pytest.raises(Http404):
        selectors.survey_get(actor=stoke_bu, pk=open_survey.pk)
    assert selectors.survey_get(actor=board, pk=open_survey.pk) == open_survey
    with pytest.raises(Http404):  # free text is the business unit's only
        answer = services.response_submit(survey=open_survey, answers={"safer": "x"}
                                          ).answers.get()
        selectors.answer_get(actor=board, pk=answer.pk)


def test_the_response_link_is_limited_per_address(open_survey, settings):
    from django.core.cache import cache

    cache.clear()
    allowed = [services.link_allowed(open_survey, "192.0.2.1") for _ in range(21)]
    assert allowed == [True] * 20 + [False]
    assert services.link_allowed(open_survey, "192.0.2.2")


def test_results_for_a_theme_and_the_report_sentences(open_survey, business_unit, staffs):
    for n in range(10):
        services.response_submit(survey=open_survey, on=D(2020, 9, 2),
                                 answers={"knife": "worried" if n < 5 else "not_worried"})
    [found] = selectors.results_for_theme(staffs, "child_exploitation",
                                          (D(2020, 4, 1), D(2021, 3, 31)))
    assert found["responses"] == 10
    assert found["results"][0]["options"][0] == {"option": "Worried", "count": "5",
                                                 "percent": 50}
    assert selectors.results_for_theme(staffs, "neglect", (D(2020, 4, 1), D(2021, 3, 31))) == []
    assert selectors.results_for_theme(staffs, "child_exploitation",
                                       (D(2019, 4, 1), D(2020, 3, 31))) == []
    # The responses end in September 2020, so the year 2020-21 is not recorded in full
    # and the engine gives no count for it; July to September is.
    year = financial_year_of(D(2020, 4, 1))
    said = selectors.report_sentences(staffs, year, published_figures(staffs, year))
    assert said[0] == "1 survey was run in the year." and not any("%" in s for s in said)
    quarter = parse("2020-Q2")
    said = selectors.report_sentences(staffs, quarter, published_figures(staffs, quarter))
    assert said[0] == "1 survey was run in the year, with 10 responses."
    assert "50% of the 10 people answering said" in said[1]
    assert said[-1] == "No \u201cyou said, we did\u201d change was recorded."
    before = financial_year_of(D(2018, 4, 1))
    assert selectors.report_sentences(staffs, before, published_figures(staffs, before)) == [
        "No survey of children, families or practitioners ran in the year."]


def test_the_report_sentences_withhold_what_disclosure_control_hides(open_survey, staffs):
    """Three answers: the engine's published count is hidden, so the sentence says so, and
    no percentage of three people is given."""
    for n in range(3):
        services.response_submit(survey=open_survey, on=D(2020, 9, 2),
                                 answers={"knife": "worried" if n < 2 else "not_worried"})
    quarter = parse("2020-Q2")
    figure = published_figures(staffs, quarter)
    assert figure("voice_responses").value is None
    assert figure("voice_responses").reason == disclosure.PRIMARY_REASON
    said = selectors.report_sentences(staffs, quarter, figure)
    assert said[0] == "1 survey was run in the year, with fewer than 5 responses."
    assert not any("%" in s for s in said)


def test_home_items_show_surveys_to_close_and_free_text_to_code(open_survey, business_unit):
    from safeguarding.voice.models import Survey

    Survey.objects.filter(pk=open_survey.pk).update(closes_on=D(2020, 10, 1))
    services.response_submit(survey=open_survey, answers={"safer": "Lights"})
    items = selectors.home_items(business_unit)
    assert [i.title for i in items] == [
        f"Close survey {open_survey.reference}: Feeling safe",
        f"Code free text of survey {open_survey.reference}"]
    assert items[0].overdue and items[1].detail == "1 answer to code"
    assert selectors.home_items(User.objects.get(username="board.la")) == []
    assert selectors.home_items(User.objects.get(username="business.stoke")) == []
