"""The app's API router: incidents with their stored due dates and rules, and statistics."""

import datetime as dt

from ninja.testing import TestClient

from safeguarding.core.models import User
from safeguarding.reviews.api import router

client = TestClient(router)


def _as(username):
    return User.objects.get(username=username)


def test_incidents_with_due_dates_and_rules(records, on_day):
    on_day(dt.date(2021, 4, 21))
    response = client.get("/incidents", user=_as("board.police"))
    assert response.status_code == 200
    data = response.json()
    assert data["total"] == 1
    [item] = data["items"]
    assert item["reference"] == records["incident"].reference
    assert "children" not in item
    notification, rapid = item["clocks"]
    assert notification == {
        "step": "notification", "due_on": "2021-04-12",
        "rule_id": "serious_incident_notification",
        "rule_title": "Notify the Child Safeguarding Practice Review Panel of a serious incident",
        "rule_source": "Working Together to Safeguard Children 2018, chapter 4; Children Act "
                       "2004 s16C",
        "done_on": "2021-04-09", "status": "met"}
    assert (rapid["rule_id"], rapid["due_on"], rapid["status"]) == (
        "rapid_review", "2021-04-30", "on_time")


def test_incident_filters_and_refusals(records):
    assert client.get("/incidents?year=2021-22", user=_as("business.stoke")).json()["total"] == 1
    assert client.get("/incidents?year=2020-21", user=_as("business.stoke")).json()["total"] == 0
    assert client.get("/incidents?year=20", user=_as("business.stoke")).status_code == 422
    assert client.get("/incidents?partnership=nope",
                      user=_as("business.stoke")).status_code == 404
    for username in ("analyst.staffs", "police.officer", "admin"):
        assert client.get("/incidents", user=_as(username)).status_code == 403


def test_statistics_for_a_period(records, on_day):
    on_day(dt.date(2022, 1, 10))
    response = client.get("/statistics?partnership=staffs&period=2021-22",
                          user=_as("business.staffs"))
    assert response.status_code == 200
    data = response.json()
    assert (data["period"], data["start"], data["end"]) == ("2021-22", "2021-04-01",
                                                          "2022-03-31")
    figures = {f["id"]: f for f in data["figures"]}
    notified = figures["serious_incident_notifications_on_time"]
    assert (notified["numerator"], notified["denominator"], notified["value"]) == (1, 1, 100.0)
    # Child Q was due to be published on 4 November 2021 and was not: a real zero.
    published = figures["practice_reviews_published_on_time"]
    assert (published["numerator"], published["denominator"], published["value"]) == (0, 1, 0.0)
    assert figures["overdue_review_actions"]["value"] == 1
    # An analyst sees aggregates only: 1 of 1 and 0 of 1 give children away.
    hidden = client.get("/statistics?partnership=staffs&period=2021-22",
                        user=_as("analyst.staffs")).json()
    shown = {f["id"]: f for f in hidden["figures"]}
    for key in ("serious_incident_notifications_on_time", "practice_reviews_published_on_time",
                "overdue_review_actions"):
        assert shown[key]["value"] is None and shown[key]["numerator"] is None
        assert "Fewer than 5" in shown[key]["reason"]
    assert data["summary"]["rapid_reviews"] == 1


def test_statistics_refusals(records):
    assert client.get("/statistics?partnership=STOKE&period=2021-22",
                      user=_as("analyst.staffs")).status_code == 404
    assert client.get("/statistics?partnership=STAFFS&period=2021",
                      user=_as("analyst.staffs")).status_code == 422
    assert client.get("/statistics?partnership=STAFFS&period=2021-22",
                      user=_as("social.worker")).status_code == 403
