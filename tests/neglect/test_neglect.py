"""GCP2 end to end: the business unit issues and renews licences and keeps the champions;
an agency records its quarter's summary and sees only its own; the reminders go once; the
measures reach the dashboard API; the home page's items; the CLI. Then the attacker's view."""

from __future__ import annotations

import datetime as dt
import io

import pytest
from django.core import mail
from django.core.exceptions import PermissionDenied, ValidationError
from django.core.management import call_command
from django.urls import reverse

from safeguarding.core.models import Agency, User
from safeguarding.neglect import config, reminders, services
from safeguarding.neglect.contract import home_items
from safeguarding.neglect.models import AssessmentSummary, Licence


def _date(prefix: str, day: dt.date) -> dict:
    return {f"{prefix}_day": str(day.day), f"{prefix}_month": str(day.month),
            f"{prefix}_year": str(day.year)}


@pytest.fixture
def police(demo_world):
    return Agency.objects.get(name="Staffordshire Police")


@pytest.fixture
def county(demo_world):
    return Agency.objects.get(name="Staffordshire County Council Children's Services")


def test_the_business_unit_issues_and_renews_a_licence(staffs, police, client_for):
    client = client_for("business.staffs")
    page = client.post(reverse("neglect:licence-add"), {
        "practitioner": "Alex Example", "agency": str(police.pk), "email": "alex@demo.invalid",
        **_date("issued_on", dt.date(2021, 5, 4))})
    assert page.status_code == 302
    licence = Licence.objects.get(practitioner="Alex Example")
    assert licence.expires_on == config.licence_expiry(dt.date(2021, 5, 4))
    assert licence.expires_on == dt.date(2024, 5, 3)  # 36 months, the configured term
    page = client.post(reverse("neglect:licence-renew", args=[licence.pk]),
                       _date("issued_on", dt.date(2024, 4, 20)))
    assert page.status_code == 302
    renewal = Licence.objects.get(renews=licence)
    assert renewal.expires_on == dt.date(2027, 4, 19)
    again = client.post(reverse("neglect:licence-renew", args=[licence.pk]),
                        _date("issued_on", dt.date(2024, 4, 21)))
    assert "already been renewed" in again.content.decode()
    empty = client.post(reverse("neglect:licence-add"), {"practitioner": ""})
    assert "There is a problem" in empty.content.decode()


def test_reminders_go_once_per_lead(staffs, police):
    licence = services.licence_issue(actor=None, partnership=staffs, practitioner="Sam Test",
                                     agency=police, email="sam@demo.invalid",
                                     issued_on=dt.date(2021, 1, 1))
    before = licence.expires_on - dt.timedelta(days=59)
    mail.outbox.clear()
    first = reminders.licence_reminders_send(on=before)
    assert first["licences"] == 1 and any("sam@demo.invalid" in m.to for m in mail.outbox)
    assert reminders.licence_reminders_send(on=before)["licences"] == 0  # run twice
    assert reminders.licence_reminders_send(on=licence.expires_on - dt.timedelta(days=13))[
        "licences"] == 1  # the 14-day reminder
    services.licence_renew(actor=None, licence=licence, issued_on=licence.expires_on)
    assert reminders.licence_reminders_send(on=licence.expires_on)["licences"] == 0


def test_an_agency_records_its_own_summary_and_no_other(staffs, stoke, police, county,
                                                        client_for):
    officer = User.objects.get(username="police.officer")
    data = {"agency": f"{staffs.pk}-{police.pk}", "period": "2021-Q2", "completed": "6",
            "children": "8", "grade_1": "1", "grade_2": "1", "grade_3": "2", "grade_4": "1",
            "grade_5": "1", "reviewed": "2", "improved": "1", "outcome_early_help": "3",
            "outcome_child_in_need": "2", "outcome_universal": "0",
            "outcome_child_protection": "1", "outcome_no_further_action": "0"}
    client = client_for("police.officer")
    page = client.post(reverse("neglect:summary-add"), data)
    assert page.status_code == 302
    summary = AssessmentSummary.objects.get(agency=police, period="2021-Q2")
    assert summary.grades == [1, 1, 2, 1, 1] and summary.concern == 2
    assert summary.outcomes == {"early_help": 3, "child_in_need": 2, "child_protection": 1}
    # Grades adding to more than the assessments are refused, on the form.
    page = client.post(reverse("neglect:summary-add"), {**data, "grade_1": "5"})
    assert "more than the 6 assessments" in page.content.decode()
    # Another agency of the partnership is not on the form, and the service refuses it.
    page = client.post(reverse("neglect:summary-add"), {**data,
                                                        "agency": f"{staffs.pk}-{county.pk}"})
    assert page.status_code == 200 and "Select a valid choice" in page.content.decode()
    with pytest.raises(PermissionDenied):
        services.summary_record(actor=officer, partnership=staffs, agency=county,
                                period="2021-Q2", completed=1, children=1, grades=[0] * 5)
    with pytest.raises(PermissionDenied):  # same agency, other partnership
        services.summary_record(actor=officer, partnership=stoke, agency=police,
                                period="2021-Q2", completed=1, children=1, grades=[0] * 5)
    # The social worker (children's services) does not see the police's summary.
    other = client_for("social.worker")
    assert other.get(reverse("neglect:summary-detail", args=[summary.pk])).status_code == 404
    assert client.get(reverse("neglect:summary-detail", args=[summary.pk])).status_code == 200
    with pytest.raises(ValidationError):
        services.summary_record(actor=None, partnership=staffs, agency=police,
                                period="2021-13", completed=1, children=1, grades=[0] * 5)


def test_roles_without_gcp2_are_refused(staffs, client_for):
    for username in ("analyst.staffs", "board.police", "key.adult.brook"):
        assert client_for(username).get(reverse("neglect:home")).status_code == 403
    practitioner = client_for("social.worker")
    assert practitioner.get(reverse("neglect:home")).status_code == 200
    assert practitioner.get(reverse("neglect:licence-add")).status_code == 403
    assert client_for("business.stoke").get(reverse("neglect:licence-add")).status_code == 200


def test_the_demo_s_figures_pages_api_cli_and_home_items(neglect_demo, staffs, client_for):
    board = client_for("board.police")
    found = board.get("/api/indicators", {"partnership": "STAFFS", "period": "2020-21"}).json()
    values = {i["id"]: i["value"] for i in found["indicators"] if i["id"].startswith("gcp2")}
    assert values["gcp2_champions_trained"] == 30
    assert values["gcp2_champions_active"] == 30
    assert values["gcp2_licences_current"] == 30
    assert values["gcp2_assessments_completed"] >= 30
    later = board.get("/api/indicators", {"partnership": "STAFFS", "period": "2022-23"}).json()
    later = {i["id"]: i["value"] for i in later["indicators"] if i["id"].startswith("gcp2")}
    assert later["gcp2_champions_trained"] == 0 and later["gcp2_champions_active"] == 30
    assert later["gcp2_licences_current"] > 60  # champions and practitioners licensed since
    theme = board.get(reverse("measures:theme", args=["STAFFS", "neglect"]),
                      {"period": "2021-22"})
    assert "GCP2 assessments completed" in theme.content.decode()

    bu = client_for("business.staffs")
    for name in ("neglect:home", "neglect:champions", "neglect:licences", "neglect:expiring",
                 "neglect:summaries", "neglect:summary-add", "neglect:champion-add"):
        assert bu.get(reverse(name)).status_code == 200, name
    api = bu.get("/api/neglect/licences", {"expiring": "true"}).json()
    assert len(api) >= 3
    assert len(bu.get("/api/neglect/champions").json()) == 30

    business = User.objects.get(username="business.staffs")
    items = home_items(business)
    assert items and items[0].kind == "review" and "expire in the next" in items[0].title
    worker = home_items(User.objects.get(username="social.worker"))
    assert [i.kind for i in worker] == ["return"]
    assert "Staffordshire County Council Children's Services" in worker[0].title
    assert home_items(User.objects.get(username="analyst.staffs")) == []

    out = io.StringIO()
    call_command("neglect", "champions", "STAFFS", stdout=out)
    assert "30 in post, 30 trained" not in out.getvalue()  # two stepped down
    assert "27 in post, 30 trained" in out.getvalue()  # three moved on in 2022
    out = io.StringIO()
    call_command("neglect", "owed", "STAFFS", stdout=out)
    assert "2 owed" in out.getvalue()
