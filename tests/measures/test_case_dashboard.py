"""The learning-review and child-death themes: the CLI and the API agree, child deaths stay
aggregates with small numbers hidden outside the panel, and no child can be listed."""

from __future__ import annotations

import datetime as dt
import io
import json

import pytest
from django.core.management import call_command

from safeguarding.reviews import clocks
from tests.measures.test_case_measures import _death, _incident

D = dt.date


@pytest.fixture
def cases(demo_world, monkeypatch):
    from safeguarding.core.models import Partnership

    monkeypatch.setattr(clocks, "today", lambda: D(2021, 12, 1))
    staffs = Partnership.objects.get(code="STAFFS")
    _incident(staffs, D(2021, 4, 1), sent_on=D(2021, 4, 12))
    _incident(staffs, D(2021, 4, 1), sent_on=D(2021, 4, 13))
    _death(10, D(2021, 5, 2), review=D(2021, 6, 20), category=2)
    _death(5000, D(2021, 6, 2), triggers=["external_causes"])
    return staffs


def _cli(period="2021-22") -> dict:
    out = io.StringIO()
    call_command("indicators", "--partnership", "STAFFS", "--period", period, "--format",
                 "json", stdout=out)
    return {i["id"]: i for i in json.loads(out.getvalue())["indicators"]}


def _api(client, period="2021-22") -> dict:
    document = client.get("/api/indicators", {"partnership": "STAFFS", "period": period}).json()
    return {i["id"]: i for i in document["indicators"]}


def test_cli_and_api_give_the_same_numbers_for_the_panel(cases, client_for):
    from_cli = _cli()
    assert from_cli == _api(client_for("business.staffs"))
    panel = _api(client_for("cdop.member"))  # the panel sees child deaths in full
    assert {k: v for k, v in panel.items() if k.startswith("child_deaths")} == {
        k: v for k, v in from_cli.items() if k.startswith("child_deaths")}
    notifications = from_cli["serious_incident_notifications_on_time"]
    assert (notifications["value"], notifications["numerator"], notifications["denominator"]) \
        == (50.0, 1, 2)
    assert from_cli["child_deaths_notified"]["value"] == 2
    assert from_cli["child_deaths_neonatal_rate"]["numerator"] == 1
    assert from_cli["child_deaths_reviewed_category_suicide"]["value"] == 1
    assert from_cli["child_deaths_notified"]["reason"] is None


def test_outside_the_panel_small_child_death_numbers_are_hidden(cases, client_for):
    from_api = _api(client_for("analyst.staffs"))
    notified = from_api["child_deaths_notified"]
    assert notified["value"] is None and "Fewer than 5" in notified["reason"]
    assert from_api["child_deaths_neonatal_rate"]["numerator"] is None
    # Learning-review figures go through the same rule: 1 of 2 gives away small counts.
    notifications = from_api["serious_incident_notifications_on_time"]
    assert notifications["value"] is None and notifications["numerator"] is None
    page = client_for("board.police").get("/dashboard/STAFFS/child-deaths/?period=2021-22")
    text = page.content.decode()
    assert page.status_code == 200
    assert "Fewer than 5" in text and "Not recorded or fewer than 5" in text
    assert "by year" in text and "2017-18" in text  # five financial years of trend


def test_the_panel_sees_the_counts_on_the_dashboard(cases, client_for):
    page = client_for("cdop.member").get("/dashboard/STAFFS/child-deaths/?period=2021-22")
    assert page.status_code == 200
    text = page.content.decode()
    assert "Fewer than 5" not in text
    assert "Deaths reviewed, category 2: Suicide or deliberate self-inflicted harm" in text


def test_the_learning_reviews_theme_shows_its_measures(cases, client_for):
    page = client_for("business.staffs").get("/dashboard/STAFFS/learning-reviews/?period=2021-22")
    text = page.content.decode()
    assert page.status_code == 200
    assert "Serious incident notifications made on time" in text
    assert "50.0" in text and "(1 of 2)" in text
    board = client_for("board.police").get("/dashboard/STAFFS/learning-reviews/?period=2021-22")
    assert "(1 of 2)" not in board.content.decode() and "Fewer than 5" in board.content.decode()


@pytest.mark.parametrize("measure", ["child_deaths_notified", "child_deaths_reviewed",
                                     "serious_incident_notifications_on_time"])
def test_no_child_can_be_listed_behind_a_case_measure(cases, client_for, measure):
    client = client_for("business.staffs")
    page = client.get(f"/dashboard/STAFFS/measures/{measure}/?period=2021-22")
    assert page.status_code == 200
    assert "See the children behind this figure" not in page.content.decode()
    assert client.get(f"/dashboard/STAFFS/measures/{measure}/children/").status_code == 404


def test_the_measure_page_hides_small_monthly_counts_outside_the_panel(cases, client_for):
    page = client_for("analyst.staffs").get(
        "/dashboard/STAFFS/measures/child_deaths_notified/?period=2021-22")
    text = page.content.decode()
    assert "Fewer than 5" in text
    panel = client_for("cdop.member").get(
        "/dashboard/STAFFS/measures/child_deaths_notified/?period=2021-22")
    assert "Fewer than 5" not in panel.content.decode()


@pytest.fixture
def demo_world(module_demo_world, db):
    """The demo world built once for this module (tests/conftest.py); each test rolls back."""
    return module_demo_world
