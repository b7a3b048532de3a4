"""The child death API router: cases for the panel only (audited), statistics for analysts."""

from __future__ import annotations

import datetime as dt

import pytest

from safeguarding.core.models import AuditEvent
from tests.child_deaths.helpers import notify

pytestmark = [pytest.mark.django_db, pytest.mark.urls("tests.child_deaths.api_urls")]
CASES = "/api/child-deaths-test/child-deaths/cases"
STATISTICS = "/api/child-deaths-test/child-deaths/statistics"


@pytest.fixture
def cases(demo_world):
    return [notify(code="STOKE", date_of_birth=dt.date(2020, 5, 20)), notify(code="STAFFS")]


def test_panel_member_lists_cases_from_both_partnerships_each_audited(client_for, cases):
    response = client_for("cdop.member").get(CASES)
    assert response.status_code == 200
    body = response.json()
    assert body["total"] == 2
    assert {c["partnership"] for c in body["items"]} == {"STAFFS", "STOKE"}
    stoke = next(c for c in body["items"] if c["partnership"] == "STOKE")
    assert stoke["neonatal"] is True and stoke["age_at_death_days"] == 12
    for case in cases:
        assert (
            AuditEvent.objects.filter(
                object_id=str(case.pk), action="read", actor__username="cdop.member"
            ).count()
            == 1
        )
    filtered = client_for("business.staffs").get(CASES, {"partnership": "STOKE"}).json()
    assert [c["reference"] for c in filtered["items"]] == [cases[0].reference]
    assert client_for("cdop.member").get(CASES, {"period": "2020"}).status_code == 422


@pytest.mark.parametrize("username", ["analyst.staffs", "social.worker", "admin"])
def test_others_are_refused_cases(client_for, cases, username):
    assert client_for(username).get(CASES).status_code == 403


def test_statistics_for_analysts_are_suppressed(client_for, cases):
    response = client_for("analyst.staffs").get(
        STATISTICS, {"scope": "panel-STAFFS", "year": "2020-21", "trend_category": 2}
    )
    assert response.status_code == 200
    body = response.json()
    assert body["small_numbers_suppressed"] is True
    notified = next(f for f in body["headline"] if f["id"] == "notified")
    assert notified["value"] is None and notified["suppressed"] and notified["reason"]
    assert len(body["trend"]["years"]) == 5
    assert (
        client_for("social.worker")
        .get(STATISTICS, {"scope": "STAFFS", "year": "2020-21"})
        .status_code
        == 403
    )
    assert (
        client_for("cdop.member").get(STATISTICS, {"scope": "STAFFS", "year": "2020"}).status_code
        == 422
    )


def test_anonymous_is_refused(db):
    from django.test import Client

    assert Client().get(CASES).status_code == 401


def test_statistics_default_to_the_joint_panel_and_last_year(client_for, cases):
    body = client_for("analyst.staffs").get(STATISTICS).json()
    assert body["scope"].startswith("Joint panel hosted by")
    assert client_for("board.police").get(STATISTICS).status_code == 403
    assert client_for("business.stoke").get(STATISTICS).json()["scope"].startswith("Stoke")
