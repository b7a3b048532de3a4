"""The done-when walk through the pages: the business unit holds a Scrutiny and Assurance
meeting with its agenda built from the action log, records attendance (quorate or not),
decisions and new actions; an overdue action shows on the overdue view; the Covid-19
register's scores fall over its reviews. Then the API, and the attacker's view."""

from __future__ import annotations

import json

from django.urls import reverse

from safeguarding.core.models import Agency
from safeguarding.governance.models import Action, AgendaItem, Body, Meeting, RiskRegister


def _date(prefix: str, day: int, month: int, year: int) -> dict:
    return {f"{prefix}_day": str(day), f"{prefix}_month": str(month), f"{prefix}_year": str(year)}


def test_the_business_unit_holds_a_scrutiny_and_assurance_meeting(governance_demo, client_for):
    client = client_for("business.staffs")
    body = Body.objects.get(name="Scrutiny and Assurance")
    page = client.post(reverse("governance:meeting-add", args=[body.pk]),
                       _date("held_on", 9, 3, 2022))
    assert page.status_code == 302
    meeting = Meeting.objects.get(body=body, held_on="2022-03-09")
    agenda = client.get(reverse("governance:meeting-detail", args=[meeting.pk])).content.decode()
    carried = Action.objects.get(title__startswith="Bring police domestic abuse")
    assert carried.reference in agenda and "(overdue)" in agenda
    assert meeting.agenda.filter(kind=AgendaItem.Kind.MINUTES).exists()  # February 2022's minutes
    assert "Papers due by 2 March 2022" in agenda  # five working days ahead

    members = {m.agency for m in meeting.terms.members.all()}
    police = next(a for a in members if a.kind == "police")
    data = {}
    for agency in members:
        data[f"status_{agency.pk}"] = "apologies" if agency == police else "present"
        data[f"name_{agency.pk}"] = "Deputy" if agency == police else ""
    page = client.post(reverse("governance:attendance", args=[meeting.pk]), data, follow=True)
    assert "the meeting was not quorate" in page.content.decode()
    data[f"status_{police.pk}"] = "present"
    page = client.post(reverse("governance:attendance", args=[meeting.pk]), data, follow=True)
    assert "the meeting was quorate" in page.content.decode()

    item = meeting.agenda.get(action=carried)
    client.post(reverse("governance:decision-add", args=[meeting.pk]),
                {"item": str(item.pk), "text": "Escalate the missing data to the board"})
    action_data = {"title": "Escalate notifications data to the board", "owner": "Chair",
                   "agency": str(police.pk), "raised_at": str(meeting.pk),
                   **_date("raised_on", 9, 3, 2022), **_date("due_on", 23, 3, 2022)}
    page = client.post(reverse("governance:action-add", args=[body.pk]), action_data)
    assert page.status_code == 302
    page = client.get(reverse("governance:meeting-detail", args=[meeting.pk])).content.decode()
    assert "Escalate the missing data to the board" in page
    assert "Escalate notifications data to the board" in page and "Quorate" in page

    overdue = client.get(reverse("governance:overdue")).content.decode()
    assert carried.reference in overdue and "Overdue" in overdue


def test_a_form_with_errors_shows_the_summary_and_saves_nothing(governance_demo, client_for):
    body = Body.objects.get(name="Scrutiny and Assurance")
    page = client_for("business.staffs").post(reverse("governance:action-add", args=[body.pk]),
                                              {"title": ""})
    assert page.status_code == 200 and "govuk-error-summary" in page.content.decode()
    assert not Action.objects.filter(title="").exists()


def test_the_covid_register_shows_its_scores_falling(governance_demo, client_for):
    register = RiskRegister.objects.get(name="Covid-19 risk register")
    client = client_for("board.police")
    page = client.get(reverse("governance:register-detail", args=[register.pk])).content.decode()
    assert "Closed 30 June 2021" in page
    risk = register.risks.get(reference="R01")
    page = client.get(reverse("governance:risk-detail", args=[risk.pk])).content.decode()
    assert page.index("govuk-tag--red") < page.rindex("govuk-tag--green")


def test_the_api_gives_the_log_and_the_register(governance_demo, client_for):
    client = client_for("scrutiny.member")
    overdue = client.get("/api/governance/actions/overdue", {"on": "2021-03-31"}).json()
    assert any(a["title"].startswith("Bring police") and a["carried_forward"] == 1
               for a in overdue)
    register = RiskRegister.objects.get(name="Covid-19 risk register")
    found = client.get(f"/api/governance/registers/{register.pk}").json()
    history = [h["residual_score"] for h in found["risks"][0]["history"]]
    assert history == sorted(history, reverse=True) and found["closed_on"] == "2021-06-30"
    body = Body.objects.get(name="Scrutiny and Assurance")
    refused = client.post(f"/api/governance/bodies/{body.pk}/actions", content_type="application/json",
                          data=json.dumps({"title": "T", "owner": "O",
                                           "agency": Agency.objects.first().pk,
                                           "due_on": "2021-04-01"}))
    assert refused.status_code == 403  # sub-group members read only


def test_the_api_plans_a_meeting_and_scores_a_risk(governance_demo, client_for):
    client = client_for("business.staffs")
    body = Body.objects.get(name="Scrutiny and Assurance")
    page = client.post(f"/api/governance/bodies/{body.pk}/meetings",
                       content_type="application/json", data=json.dumps({"held_on": "2022-03-09"}))
    assert page.status_code == 201
    carried = Action.objects.get(title__startswith="Bring police domestic abuse")
    assert page.json()["papers_due"] == "2022-03-02"
    assert any(carried.reference in item for item in page.json()["agenda"])
    again = client.post(f"/api/governance/bodies/{body.pk}/meetings",
                        content_type="application/json", data=json.dumps({"held_on": "2022-03-09"}))
    assert again.status_code == 422 and "already meets that day" in again.content.decode()
    risk = RiskRegister.objects.get(name="Strategic risk register").risks.get(reference="R01")
    scored = client.post(f"/api/governance/risks/{risk.pk}/review",
                         content_type="application/json",
                         data=json.dumps({"on": "2022-04-01", "likelihood": 2, "impact": 4,
                                          "residual_likelihood": 1, "residual_impact": 3,
                                          "review_on": "2022-07-01"}))
    assert scored.status_code == 200
    assert [h["residual_score"] for h in scored.json()["history"]][-2:] == [6, 3]
    assert client_for("business.stoke").post(
        f"/api/governance/risks/{risk.pk}/review", content_type="application/json",
        data=json.dumps({"on": "2022-04-02", "likelihood": 1, "impact": 1,
                         "residual_likelihood": 1, "residual_impact": 1,
                         "review_on": "2022-07-01"})).status_code == 404


def test_another_partnership_finds_nothing(governance_demo, client_for):
    client = client_for("business.stoke")
    body = Body.objects.get(name="Scrutiny and Assurance")
    meeting = body.meetings.first()
    action = body.actions.first()
    for url in (reverse("governance:body-detail", args=[body.pk]),
                reverse("governance:meeting-detail", args=[meeting.pk]),
                reverse("governance:action-detail", args=[action.pk]),
                reverse("governance:action-close", args=[action.pk]),
                f"/api/governance/bodies/{body.pk}/meetings"):
        assert client.get(url).status_code == 404, url
    listed = client.get(reverse("governance:action-list") + "?status=all").content.decode()
    assert action.reference not in listed
    # The joint Covid-19 sub-group is Stoke's too.
    covid = Body.objects.get(name="Covid-19 Sub-group")
    assert client.get(reverse("governance:body-detail", args=[covid.pk])).status_code == 200


def test_the_home_page_offers_governance_to_its_readers_only(governance_demo, client_for):
    for username, shown in (("business.staffs", True), ("scrutiny.member", True),
                            ("analyst.staffs", False), ("social.worker", False)):
        links = {c["url"] for c in client_for(username).get("/").context["capabilities"]}
        assert (reverse("governance:home") in links) is shown, username
