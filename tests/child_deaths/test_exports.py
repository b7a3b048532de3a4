"""Exports: CSV that opens with the csv module and cannot run formulas; JSON by NCMD
section; one audit row per case exported."""

from __future__ import annotations

import csv
import datetime as dt
import io
import json

import pytest
from django.urls import reverse

from safeguarding.child_deaths import exports, services
from safeguarding.child_deaths.models import Theme
from safeguarding.core.models import AuditEvent
from tests.child_deaths.helpers import TODAY, icb, notify, police, user

pytestmark = pytest.mark.django_db


@pytest.fixture
def cases(demo_world):
    risky = notify(
        code="STOKE",
        first_name='=HYPERLINK("http://x")',
        last_name="@SUM(A1)",
        notifier_role="-2+3",
        place_detail="+44 1782 000000",
        expected="unexpected",
        jar_triggers=["external_causes"],
        date_of_death=dt.date(2020, 9, 1),
        notified_on=dt.date(2020, 9, 2),
    )
    services.jar_record(
        actor=user("business.staffs"),
        case=risky,
        meeting_date=dt.date(2020, 9, 2),
        agencies=[police()],
        key_worker_name="Kim Keyworker",
        key_worker_agency=icb(),
        key_worker_contact="+441782000000",
        today=TODAY,
    )
    request = services.information_request_add(
        actor=user("business.staffs"),
        case=risky,
        agency=icb(),
        requested_on=dt.date(2020, 9, 3),
        today=TODAY,
    )
    services.information_response_record(
        actor=user("business.staffs"),
        request=request,
        received_on=dt.date(2020, 9, 20),
        summary="=1+1 records",
        today=TODAY,
    )
    services.cdop_review_record(
        actor=user("cdop.member"),
        case=risky,
        review_date=dt.date(2021, 2, 1),
        category=3,
        modifiable="yes",
        factors={"family_environment": ["Fast road"], "child": ["None"]},
        themes=Theme.objects.filter(key="road_safety"),
        learning_points="Share",
        recommendations="-Tell highways",
        today=TODAY,
    )
    plain = notify(
        code="STAFFS", date_of_death=dt.date(2020, 10, 1), notified_on=dt.date(2020, 10, 1)
    )
    later = notify(
        code="STAFFS", date_of_death=dt.date(2021, 5, 1), notified_on=dt.date(2021, 5, 2)
    )
    return {"risky": risky, "plain": plain, "later": later}


def _csv_rows(response) -> list[dict]:
    text = response.content.decode("utf-8-sig")
    return list(csv.DictReader(io.StringIO(text)))


def test_period_csv_opens_neutralises_formulas_and_audits_each_case(client_for, cases):
    client = client_for("cdop.member")
    response = client.get(
        reverse("child_deaths:exports"),
        {"scope": "panel-STAFFS", "year": "2020-21", "format": "csv"},
    )
    assert response.status_code == 200
    assert response["Content-Type"].startswith("text/csv")
    assert "attachment" in response["Content-Disposition"]
    rows = _csv_rows(response)
    assert [r["case_reference"] for r in rows] == [
        cases["risky"].reference,
        cases["plain"].reference,
    ]
    risky = rows[0]
    assert risky["notification.child.first_name"] == '\'=HYPERLINK("http://x")'
    assert risky["notification.child.last_name"] == "'@SUM(A1)"
    assert risky["notification.notifier.role"] == "'-2+3"
    assert risky["notification.death.place_detail"] == "'+44 1782 000000"
    assert risky["reporting_form.joint_agency_response.key_worker.contact"] == "'+441782000000"
    assert risky["analysis_form.recommendations"] == "'-Tell highways"
    assert risky["analysis_form.category.name"].startswith("Trauma")
    assert risky["analysis_form.factors.family_environment"] == "Fast road"
    assert risky["reporting_form.agency_reports.received_by_due_date"] == "1"
    for row in rows:
        for value in row.values():
            assert not value.startswith(("=", "+", "-", "@", "\t", "\r")), value
    for case in (cases["risky"], cases["plain"]):
        exported = AuditEvent.objects.filter(
            object_type="child_deaths.childdeath", object_id=str(case.pk), action="export"
        )
        assert exported.count() == 1
    assert not AuditEvent.objects.filter(object_id=str(cases["later"].pk), action="export").exists()


def test_period_json_follows_the_ncmd_sections(client_for, cases):
    response = client_for("business.staffs").get(
        reverse("child_deaths:exports"),
        {"scope": "panel-STAFFS", "year": "2020-21", "format": "json"},
    )
    payload = json.loads(response.content)
    assert payload["format"] == exports.FORMAT and payload["version"] == 1
    assert payload["sections"] == ["notification", "reporting_form", "analysis_form"]
    assert payload["scope"]["year"] == "2020-21"
    risky = payload["cases"][0]
    assert set(risky) >= {"case_reference", "notification", "reporting_form", "analysis_form"}
    assert risky["notification"]["child"]["last_name"] == "@SUM(A1)"  # JSON keeps the data
    assert risky["notification"]["death"]["neonatal"] is False
    assert risky["notification"]["joint_agency_response_triggers"][0]["code"] == "external_causes"
    report = risky["reporting_form"]["agency_reports"][0]
    assert report["due_rule"] == "child_death_agency_return" and report["met_deadline"] is True
    assert risky["reporting_form"]["joint_agency_response"]["key_worker"]["name"] == "Kim Keyworker"
    analysis = risky["analysis_form"]
    assert analysis["category"] == {"code": 3, "name": analysis["category"]["name"]}
    assert analysis["factors"]["family_environment"] == ["Fast road"]
    assert set(analysis["factors"]) == {
        "child",
        "family_environment",
        "parenting_capacity",
        "service_provision",
    }
    assert analysis["themes"] == ["Road safety"]
    assert payload["cases"][1]["analysis_form"] is None


def test_case_export_in_both_formats(client_for, cases):
    client = client_for("business.stoke")
    case = cases["risky"]
    response = client.get(reverse("child_deaths:case-export", args=[case.pk, "json"]))
    assert json.loads(response.content)["cases"][0]["case_reference"] == case.reference
    rows = _csv_rows(client.get(reverse("child_deaths:case-export", args=[case.pk, "csv"])))
    assert len(rows) == 1
    assert (
        AuditEvent.objects.filter(
            object_id=str(case.pk), action="export", actor__username="business.stoke"
        ).count()
        == 2
    )
    assert (
        client.get(reverse("child_deaths:case-export", args=[cases["plain"].pk, "csv"])).status_code
        == 403
    )
    assert client.get(f"/child-deaths/{case.pk}/export.xlsx").status_code == 404


def test_exports_only_offer_scopes_the_user_fully_sees(client_for, cases):
    client = client_for("business.stoke")
    response = client.get(
        reverse("child_deaths:exports"),
        {"scope": "panel-STAFFS", "year": "2020-21", "format": "csv"},
    )
    assert response.status_code == 200 and "There is a problem" in response.content.decode()
    assert not AuditEvent.objects.filter(action="export").exists()
    rows = _csv_rows(
        client.get(
            reverse("child_deaths:exports"), {"scope": "STOKE", "year": "2020-21", "format": "csv"}
        )
    )
    assert [r["partnership"] for r in rows] == ["STOKE"]


def test_safe_cell():
    assert exports.safe_cell("=1+1") == "'=1+1"
    assert exports.safe_cell("\t=1") == "'\t=1"
    assert exports.safe_cell("plain") == "plain"
    assert exports.safe_cell(None) == "" and exports.safe_cell(True) == "yes"
    assert exports.safe_cell(-3) == "'-3"
