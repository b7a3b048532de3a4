"""The governance measures come from the module's contract: computed by the engine from the
demo's meetings, actions and risk scorings, on the dashboard, in /api/indicators and in the
yearly report. They count meetings, agencies and risks, never people, so a board member
sees them in full."""

from __future__ import annotations

from django.urls import reverse

from safeguarding.core.models import Partnership
from safeguarding.reports import builder


def _figures(client, partnership="STAFFS", period="2020-21") -> dict:
    found = client.get("/api/indicators", {"partnership": partnership, "period": period}).json()
    return {i["id"]: i for i in found["indicators"] if i["id"].startswith("governance")}


def test_the_year_s_figures_come_from_the_records(governance_demo, client_for):
    figures = _figures(client_for("board.police"))
    values = {k: v["value"] for k, v in figures.items()}
    # Scrutiny and Assurance 3, the board 2, the Covid-19 sub-group 4 (one not quorate).
    assert values["governance_meetings"] == 9
    assert values["governance_meetings_quorate"] == 8
    assert round(values["governance_meetings_quorate_rate"], 1) == 88.9
    # Apologies: the police at one Scrutiny meeting, education at one Covid-19 meeting.
    expected = figures["governance_attendance_rate"]["denominator"]
    assert figures["governance_attendance_rate"]["numerator"] == expected - 2
    assert figures["governance_attendance_rate_police"]["numerator"] == (
        figures["governance_attendance_rate_police"]["denominator"] - 1)
    assert values["governance_actions_raised"] == 6
    # Due in the year: all six; the GP report closed late, the police data and the
    # Covid-19 recovery plan left open past their dates.
    assert values["governance_actions_due"] == 6
    assert values["governance_actions_late"] == 3
    # 4 Covid-19 risks scored 5 times, the strategic risk twice; red falls to green.
    assert values["governance_risk_scorings"] == 22
    assert values["governance_risk_scorings_red"] == 3
    # Stoke-on-Trent counts the joint Covid-19 sub-group's meetings, from the day it began
    # (June 2020): the whole year is not covered, its last quarter is.
    stoke = client_for("business.stoke")
    assert _figures(stoke, "STOKE")["governance_meetings"]["value"] is None
    assert _figures(stoke, "STOKE", "2020-Q4")["governance_meetings"]["value"] == 2


def test_the_theme_and_the_report_section_show_the_figures(governance_demo, client_for):
    page = client_for("board.police").get(
        reverse("measures:theme", args=["STAFFS", "governance"]), {"period": "2020-21"})
    assert page.status_code == 200 and "Board and sub-group meetings held" in page.content.decode()
    report = builder.build(Partnership.objects.get(code="STAFFS"), "2020-21")
    assert report.figures.by_key["governance_meetings"].value == 9
    assert "Governance and assurance" in builder.render_body(report)
