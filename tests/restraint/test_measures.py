"""The restraint measures come from the module's contract: computed by the engine from the
recorded incidents, on the dashboard, in /api/indicators and in the yearly report."""

from __future__ import annotations

from django.urls import reverse

from safeguarding.core.models import Partnership, User
from safeguarding.reports import builder
from safeguarding.restraint import services
from tests.restraint.conftest import csv_bytes, row


def _year(yoi):
    rows = [row(incident_ref=f"R{n}", occurred_at=f"2020-{5 + n % 6:02d}-1{n % 9} 10:00")
            for n in range(12)]
    rows[0] = row(incident_ref="R0", occurred_at="2020-05-11 10:00", pit_used="Y",
                  pit_technique="WRIST_FLEXION", pit_justification="Risk to life",
                  primary_reason="PASSIVE", body_worn_camera="N", camera_ids="",
                  sound_captured="N", assault_on_staff="Y")
    rows[1] = row(incident_ref="R1", occurred_at="2020-06-11 10:00", other_reasons="PASSIVE",
                  sound_captured="N", child_injured="Y", staff="S0009:2018-01-01")
    rows[2] = row(incident_ref="R2", occurred_at="2021-03-31 10:00")  # fixes the coverage
    services.incidents_import(actor=None, establishment=yoi, file_name="year.csv",
                              content=csv_bytes(*rows))
    # Two reviewed on the next working day, one a day late.
    from safeguarding.restraint.models import Incident

    for ref, late in (("R0", 0), ("R3", 0), ("R4", 1)):
        incident = Incident.objects.get(reference=ref)
        services.review_record(actor=None, incident=incident,
                               reviewed_on=incident.review_due.__class__.fromordinal(
                                   incident.review_due.toordinal() + late),
                               proportionate="Y", concerns=[], referral="NONE")


def _figures(client, period="2020-21") -> dict:
    found = client.get("/api/indicators", {"partnership": "STAFFS", "period": period}).json()
    return {i["id"]: i for i in found["indicators"] if i["id"].startswith("restraint")}


def test_the_year_s_figures_come_from_the_records(yoi, client_for):
    _year(yoi)
    figures = _figures(client_for("business.staffs"))
    values = {k: v["value"] for k, v in figures.items()}
    assert values["restraints"] == 12
    assert values["restraint_pit"] == 1
    assert values["restraint_passive"] == 2  # primary on one, another reason on the other
    assert values["restraint_bwc"] == 11 and values["restraint_bwc_sound"] == 10
    assert values["restraint_reviewed_on_time"] == 2
    # The percentages divide by the restraints of the period (12).
    assert figures["restraint_bwc_rate"]["numerator"] == 11
    assert figures["restraint_bwc_rate"]["denominator"] == 12
    assert round(values["restraint_bwc_rate"], 1) == 91.7
    assert round(values["restraint_bwc_sound_rate"], 1) == 83.3
    assert round(values["restraint_reviewed_on_time_rate"], 1) == 16.7
    assert values["restraint_assaults_on_staff"] == 1 and values["restraint_injuries"] == 1
    assert values["restraint_healthcare"] == 12
    # Every incident has S0002, last refreshed 2019-01-10 (over 12 months before), and R1's
    # S0009 too: 13 involvements past the refresher interval.
    assert values["restraint_staff_refresher_overdue"] == 13
    assert values["restraints_ethnic_white"] == 12
    assert (values["restraints_age_16"], values["restraints_age_17"]) == (11, 1)  # R2: 17
    # Before recording began the figures are not recorded, never zero.
    before = _figures(client_for("business.staffs"), "2019-20")
    assert before["restraints"]["value"] is None and before["restraints"]["reason"]


def test_small_numbers_are_hidden_from_aggregate_roles(yoi, client_for):
    _year(yoi)
    figures = _figures(client_for("board.police"))
    assert figures["restraints"]["value"] == 12
    assert figures["restraint_pit"]["value"] is None  # 1: fewer than 5


def test_the_dashboard_theme_and_the_report_section_show_the_figures(yoi, client_for):
    _year(yoi)
    page = client_for("board.police").get(reverse("measures:theme", args=["STAFFS",
                                                                          "restraint"]),
                                          {"period": "2020-21"})
    assert page.status_code == 200 and "Restraints of children" in page.content.decode()
    report = builder.build(Partnership.objects.get(code="STAFFS"), "2020-21")
    assert report.figures.by_key["restraints"].value == 12
    # The report is published: it hides what the board's figures hide (11 of 12 filmed
    # would tell that one restraint was not).
    board = _figures(client_for("board.police"))
    for key in ("restraints", "restraint_pit", "restraint_bwc_rate", "restraint_passive"):
        figure = report.figures.by_key[key]
        assert figure.value == board[key]["value"]
        assert (figure.status == "suppressed") == (board[key]["value"] is None)
    assert report.figures.by_key["restraint_pit"].display == "fewer than 5"
    body = builder.render_body(report)
    assert "Review of restraint in a secure setting" in body
    assert User.objects.filter(username="board.police").exists()
