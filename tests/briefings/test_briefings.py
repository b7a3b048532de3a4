"""Briefings end to end: the business unit issues a briefing with its file; three agencies
record how they used it (pages and API); the measures and the yearly report's "Learning in
practice" section; the home page's items; the CLI; and the attacker's view."""

from __future__ import annotations

import datetime as dt
import io

import pytest
from django.core.exceptions import PermissionDenied
from django.core.files.uploadedfile import SimpleUploadedFile
from django.core.management import call_command
from django.urls import reverse

from safeguarding.briefings import services
from safeguarding.briefings.contract import home_items
from safeguarding.briefings.demo import PDF
from safeguarding.briefings.models import Briefing, BriefingUse, Campaign
from safeguarding.core.models import Agency, Partnership, User
from safeguarding.reports import builder


def _date(prefix: str, day: dt.date) -> dict:
    return {f"{prefix}_day": str(day.day), f"{prefix}_month": str(day.month),
            f"{prefix}_year": str(day.year)}


def _use(agency, team="Team A", day=dt.date(2021, 6, 2)) -> dict:
    return {"agency": str(agency.pk), "team": team, "attendees": "7",
            "reflections": "Ask about the baby's day", "actions": "Supervision prompt",
            **_date("used_on", day)}


def test_a_briefing_is_issued_and_used_by_three_agencies(staffs, client_for):
    bu = client_for("business.staffs")
    upload = SimpleUploadedFile("rapid-review.pdf", PDF, content_type="application/pdf")
    page = bu.post(reverse("briefings:add"), {
        "title": "Bruising in non-mobile babies", "source": "rapid_review",
        "source_reference": "RR-2021-03", "themes": ["Infants under one"],
        "other_themes": "Bruising", **_date("issued_on", dt.date(2021, 5, 10)),
        "file": upload})
    assert page.status_code == 302, page.content.decode()[:2000]
    briefing = Briefing.objects.get(title="Bruising in non-mobile babies")
    assert briefing.themes == ["Bruising", "Infants under one"]
    assert briefing.expected_agencies.count() == staffs.agencies.count()
    download = bu.get(reverse("briefings:file", args=[briefing.pk]))
    assert download.content == PDF and "attachment" in download["Content-Disposition"]
    bad = bu.post(reverse("briefings:add"), {
        "title": "Bad", "source": "audit", **_date("issued_on", dt.date(2021, 5, 10)),
        "file": SimpleUploadedFile("run.exe", b"MZ")})
    assert "The file must be one of" in bad.content.decode()

    for username in ("social.worker", "police.officer", "health.visitor"):
        client = client_for(username)
        agency = User.objects.get(username=username).memberships.get().agency
        assert client.get(reverse("briefings:use-add", args=[briefing.pk])).status_code == 200
        page = client.post(reverse("briefings:use-add", args=[briefing.pk]), _use(agency))
        assert page.status_code == 302
    assert BriefingUse.objects.filter(briefing=briefing).values("agency").distinct().count() == 3
    detail = bu.get(reverse("briefings:detail", args=[briefing.pk])).content.decode()
    assert detail.count("Ask about the baby") == 3 and "None yet" in detail

    # A practitioner sees only their own agency's record, and cannot record for another.
    worker = client_for("social.worker")
    mine = worker.get(reverse("briefings:detail", args=[briefing.pk])).content.decode()
    assert mine.count("Ask about the baby") == 1
    police = Agency.objects.get(name="Staffordshire Police")
    page = worker.post(reverse("briefings:use-add", args=[briefing.pk]), _use(police))
    assert "Select a valid choice" in page.content.decode()
    with pytest.raises(PermissionDenied):
        services.use_record(actor=User.objects.get(username="social.worker"),
                            briefing=briefing, agency=police, team="T",
                            used_on=dt.date(2021, 6, 1), attendees=1, reflections="R")
    api = client_for("police.officer").post(
        f"/api/briefings/{briefing.pk}/uses", data={
            "agency": police.pk, "team": "CID", "used_on": "2021-06-09", "attendees": 4,
            "reflections": "Bruising is never normal"}, content_type="application/json")
    assert api.status_code == 201
    assert len(client_for("police.officer").get(f"/api/briefings/{briefing.pk}/uses").json()) == 2


def test_other_partnerships_and_roles_cannot_reach_a_briefing(staffs, client_for):
    briefing = services.briefing_issue(actor=None, partnership=staffs, title="Staffs only",
                                       source="audit", issued_on=dt.date(2021, 4, 1))
    stoke = client_for("social.worker.stoke")
    for name in ("briefings:detail", "briefings:file", "briefings:use-add"):
        assert stoke.get(reverse(name, args=[briefing.pk])).status_code == 404
    assert client_for("business.stoke").get(
        reverse("briefings:detail", args=[briefing.pk])).status_code == 404
    for username in ("analyst.staffs", "key.adult.brook"):
        assert client_for(username).get(reverse("briefings:home")).status_code == 403
    assert client_for("social.worker").get(reverse("briefings:add")).status_code == 403
    assert client_for("board.police").get(reverse("briefings:home")).status_code == 200


def test_the_demo_s_measures_report_home_items_and_cli(briefings_demo, staffs, client_for):
    year = Campaign.objects.filter(starts_on__range=(dt.date(2020, 4, 1), dt.date(2021, 3, 31)))
    assert set(year.values_list("name", flat=True)) == {
        "Safer Sleep", "ICON: babies cry, you can cope", "County Lines", "Ditch the Blade"}
    # The years either side: two campaigns in each, so 2020-21 compares with them.
    assert Campaign.objects.count() == 8
    found = client_for("board.police").get(
        "/api/indicators", {"partnership": "STAFFS", "period": "2020-21"}).json()
    figures = {i["id"]: i for i in found["indicators"]
               if i["id"].startswith(("briefings", "campaign"))}
    agencies = staffs.agencies.count()
    assert figures["briefings_issued"]["value"] == 4
    rate = figures["briefings_agencies_evidencing_use_rate"]
    assert (rate["numerator"], rate["denominator"]) == (6, 4 * agencies)
    assert figures["campaigns_run"]["value"] == 4
    assert figures["campaign_reach"]["value"] == 2600 + 1800 + 3200 + 4000

    report = builder.build(Partnership.objects.get(code="STAFFS"), "2020-21")
    learning = next(s for s in report.sections if s.key == "sub-groups").children
    learning = next(s for s in learning if s.key == "learning")
    # Published figures hide small numbers (4 briefings): the reach is told.
    assert report.figures.by_key["campaign_reach"].value == 11600
    body = builder.render_body(report)
    assert "Learning briefings issued" in body and "People reached by campaigns" in body
    assert all(s.key != "learning_in_practice" for s in
               next(s for s in report.sections if s.key == "sub-groups").children)
    assert learning.items

    # The police used only the first briefing: three still to record; the analyst has none.
    items = home_items(User.objects.get(username="police.officer"))
    assert len(items) == 3 and all(i.kind == "return" for i in items)
    assert "Staffordshire Police" in items[0].title
    assert home_items(User.objects.get(username="analyst.staffs")) == []
    page = client_for("police.officer").get(reverse("briefings:home")).content.decode()
    assert "Record how Staffordshire Police used" in page

    out = io.StringIO()
    call_command("briefings", "list", "STAFFS", stdout=out)
    assert f"3 of {agencies} agencies recorded use" in out.getvalue()
    out = io.StringIO()
    call_command("briefings", "campaigns", "STAFFS", stdout=out)
    assert "Ditch the Blade" in out.getvalue() and "reach 4000" in out.getvalue()
    # Three years: 2 briefings in 2019-20, 4 in 2020-21, 3 in 2021-22.
    assert len(client_for("board.police").get("/api/briefings/campaigns").json()) == 8
    assert len(client_for("board.police").get("/api/briefings").json()) == 9
    later = client_for("board.police").get(
        "/api/indicators", {"partnership": "STAFFS", "period": "2021-22"}).json()
    assert {i["id"]: i["value"] for i in later["indicators"]}["briefings_issued"] == 3


def test_campaigns_by_token_are_the_business_unit_s_of_its_own_partnership(staffs):
    import json

    from django.test import Client

    from safeguarding.core import services as core_services
    from safeguarding.core.models import Membership

    def token(username: str) -> dict:
        membership = Membership.objects.get(user__username=username)
        secret = core_services.api_token_issue(actor=None, name="t", membership=membership)[1]
        return {"HTTP_AUTHORIZATION": f"Bearer {secret}"}

    def post(url, body, headers):
        return Client().post(url, data=json.dumps(body), content_type="application/json",
                             **headers)

    body = {"partnership": "STAFFS", "name": "Safer Sleep week", "audience": "Parents",
            "starts_on": "2021-03-01", "reach": 120}
    assert post("/api/briefings/campaigns", body, token("social.worker")).status_code == 403
    assert post("/api/briefings/campaigns", {**body, "partnership": "STOKE"},
                token("business.staffs")).status_code == 403
    added = post("/api/briefings/campaigns", body, token("business.staffs"))
    assert added.status_code == 201 and added.json()["reach"] == 120
    url = f"/api/briefings/campaigns/{added.json()['id']}"
    assert post(url, {"reach": 300}, token("social.worker")).status_code == 403
    assert post(url, {"reach": 300}, token("business.stoke")).status_code == 404
    backwards = post(url, {"reach": 300, "ends_on": "2020-01-01"}, token("business.staffs"))
    assert backwards.status_code == 422 and "ends_on" in backwards.json()["errors"]
    updated = post(url, {"reach": 300, "ends_on": "2021-03-31"}, token("business.staffs"))
    assert (updated.json()["reach"], updated.json()["ends_on"]) == (300, "2021-03-31")
