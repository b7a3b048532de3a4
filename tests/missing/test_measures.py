"""The missing measures come from the module's contract: computed from the recorded
episodes and interviews, on the module's missing children theme, in /api/indicators and in the
yearly report's section."""

from __future__ import annotations

import datetime as dt

from django.urls import reverse
from django.utils import timezone

from safeguarding.core.models import Partnership
from safeguarding.missing import services
from safeguarding.missing.models import Episode
from safeguarding.reports import builder
from tests.missing.conftest import csv_bytes, row


def at(text: str) -> dt.datetime:
    return timezone.make_aware(dt.datetime.strptime(text, "%Y-%m-%d %H:%M"))


def _year():
    """Eight children; S1 missing three times in 90 days; one absent episode; returns
    from missing need an interview: 5 offered in time, 1 late, 2 none; 4 held."""
    rows = [row(force_reference=f"E{n}", child_id=f"S00000000{n}",
                missing_from=f"2020-0{4 + n % 5}-1{n} 18:00",
                returned_at=f"2020-0{4 + n % 5}-1{n} 23:00") for n in range(1, 9)]
    rows += [row(force_reference="R2", missing_from="2020-06-01 18:00",
                 returned_at="2020-06-02 08:00"),
             row(force_reference="R3", missing_from="2020-07-01 18:00",
                 returned_at="2020-07-02 08:00"),
             row(force_reference="A1", category="A", child_id="S000000002",
                 missing_from="2021-03-01 18:00", returned_at="2021-03-01 20:00")]
    services.episodes_import(actor=None, partnership=Partnership.objects.get(code="STAFFS"),
                             file_name="year.csv", content=csv_bytes(*rows))
    needing = list(Episode.objects.filter(rhi_due_at__isnull=False).order_by("force_reference"))
    assert len(needing) == 10
    for n, episode in enumerate(needing[:8]):
        hours = 80 if n == 0 else 24
        held = n < 4
        services.interview_record(
            actor=None, episode=episode, offered_at=episode.returned_at + dt.timedelta(hours=hours),
            accepted=held, interview_at=(episode.returned_at + dt.timedelta(hours=hours + 2)
                                         if held else None),
            interviewer="Worker" if held else "", outcome="NFA" if held else "")


def _figures(client, period="2020-21") -> dict:
    found = client.get("/api/indicators", {"partnership": "STAFFS", "period": period}).json()
    return {i["id"]: i for i in found["indicators"] if i["id"].startswith("missing_")}


def test_the_year_s_figures_come_from_the_records(demo_world, client_for):
    _year()
    figures = _figures(client_for("business.staffs"))
    values = {k: v["value"] for k, v in figures.items()}
    assert values["missing_recorded_episodes"] == 11
    assert (values["missing_recorded_missing"], values["missing_recorded_absent"]) == (10, 1)
    assert values["missing_recorded_children"] == 8
    assert values["missing_repeat_children"] == 1
    assert values["missing_rhi_required"] == 10
    assert figures["missing_rhi_offered_72h_rate"]["numerator"] == 7
    assert figures["missing_rhi_offered_72h_rate"]["denominator"] == 10
    assert values["missing_rhi_offered_72h_rate"] == 70.0
    assert values["missing_rhi_completed_rate"] == 40.0
    # The agency-extract measures with the older ids are untouched: no extract, no figure.
    extract = client_for("business.staffs").get(
        "/api/indicators", {"partnership": "STAFFS", "period": "2020-21"}).json()
    old = {i["id"]: i for i in extract["indicators"]}["missing_episodes"]
    assert old["value"] is None
    # Before recording began: not recorded, never zero.
    before = _figures(client_for("business.staffs"), "2019-20")
    assert before["missing_recorded_episodes"]["value"] is None


def test_the_board_sees_small_numbers_hidden(demo_world, client_for):
    _year()
    figures = _figures(client_for("board.police"))
    assert figures["missing_recorded_episodes"]["value"] == 11
    assert figures["missing_repeat_children"]["value"] is None  # 1: fewer than 5
    assert figures["missing_recorded_absent"]["value"] is None


def test_the_dashboard_theme_and_the_report_section_show_the_figures(demo_world, client_for):
    _year()
    page = client_for("board.police").get(
        reverse("measures:theme", args=["STAFFS", "missing-children"]), {"period": "2020-21"})
    assert page.status_code == 200 and "Missing and absent episodes reported" in page.content.decode()
    report = builder.build(Partnership.objects.get(code="STAFFS"), "2020-21")
    assert report.figures.by_key["missing_recorded_episodes"].value == 11
    assert report.figures.by_key["missing_repeat_children"].display == "fewer than 5"
    body = builder.render_body(report)
    assert "Children missing from home or care" in body
