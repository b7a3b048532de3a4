"""The training measures from the demo programme: on the learning and development theme of
the dashboard, and in the yearly report's Training section (replacing the "not recorded"
lines), published through disclosure control."""

from __future__ import annotations

from django.urls import reverse

from safeguarding.core.models import Partnership
from safeguarding.reports import builder
from safeguarding.training import demo


def test_the_theme_and_the_report_s_training_section_show_the_programme(demo_world,
                                                                        client_for):
    partnerships = {p.code: p for p in Partnership.objects.all()}
    demo.build(7, partnerships)
    page = client_for("board.police").get(
        reverse("measures:theme", args=["STAFFS", "learning-and-development"]),
        {"period": "2020-21"})
    assert page.status_code == 200 and "Training sessions delivered" in page.content.decode()
    found = client_for("business.staffs").get(
        "/api/indicators", {"partnership": "STAFFS", "period": "2020-21"}).json()
    values = {i["id"]: i for i in found["indicators"] if i["id"].startswith("training")}
    assert values["training_sessions_delivered"]["value"] == 8
    assert values["training_conference_attended"]["value"] == 53
    assert values["training_confidence_improved_rate"]["value"] > 50

    report = builder.build(partnerships["STAFFS"], "2020-21")
    assert "training.attended" not in report.figures.by_key  # the "not recorded" line is gone
    assert report.figures.by_key["training_sessions_delivered"].value == 8
    training = next(s for s in report.sections if s.key == "training")
    assert "learner by learner" in builder.render_body(report)
    assert training.title == "Training"
