"""The demo year of Operation Encompass, its figures on the dashboard, in /api/indicators
and in the yearly report, and small numbers hidden from aggregate roles."""

from __future__ import annotations

from django.core import mail
from django.urls import reverse

from safeguarding.core.models import Partnership
from safeguarding.encompass import demo, selectors
from safeguarding.encompass.models import Message, Notification, School
from safeguarding.reports import builder


def _figures(client, period="2020-21") -> dict:
    found = client.get("/api/indicators", {"partnership": "STAFFS", "period": period}).json()
    return {i["id"]: i for i in found["indicators"] if i["id"].startswith("encompass")}


def _build():
    partnerships = {p.code: p for p in Partnership.objects.all()}
    return demo.build(7, partnerships)


def test_the_demo_year(demo_world):
    notices = _build()
    assert notices == Notification.objects.count() >= 30
    assert School.objects.filter(key_adult_email="").count() == 1
    # Moorfield has no Key Adult: its notifications are never sent and stay on escalation.
    assert not Notification.objects.filter(school__urn="900004", sent_at__isnull=False).exists()
    # Most notices are on time and acknowledged; some are repeats; the last are still open.
    on_time = sum(n.on_time for n in Notification.objects.all())
    assert notices * 0.6 < on_time < notices
    assert Notification.objects.filter(acknowledged_at__isnull=True, sent_at__isnull=False
                                       ).exists()
    assert selectors.repeat_rows(["860"])
    # Holiday contacts were told of the notices due after a holiday; the e-mails went to
    # the in-memory backend and name no child.
    assert Message.objects.filter(kind=Message.Kind.HOLIDAY).exists()
    names = set(Notification.objects.values_list("last_name", flat=True))
    assert len(mail.outbox) == Message.objects.count()
    assert not [m for m in mail.outbox if any(name in m.body for name in names)]


def test_the_figures_and_the_report_section(demo_world, client_for):
    _build()
    full = _figures(client_for("business.staffs"))
    # The demo holds 2019-20 to 2021-22; the figures are 2020-21's, by the incident's day.
    in_year = Notification.objects.filter(
        incident__partnership__code="STAFFS", incident__occurred_at__date__gte="2020-04-01",
        incident__occurred_at__date__lte="2021-03-31")
    total = in_year.count()
    assert 0 < total < Notification.objects.filter(incident__partnership__code="STAFFS").count()
    assert full["encompass_notifications"]["value"] == total
    on_time = sum(n.on_time for n in in_year)
    assert full["encompass_notified_on_time_rate"]["numerator"] == on_time
    assert full["encompass_notified_on_time_rate"]["denominator"] == total
    # Three Staffordshire schools, one with no Key Adult: two in three school-months.
    assert round(full["encompass_schools_with_key_adult_rate"]["value"]) == 67
    assert full["encompass_repeat_notifications"]["value"] >= 1
    # Before the first school was set up (April 2019) the figures are not recorded, never zero.
    before = _figures(client_for("business.staffs"), "2018-19")
    assert before["encompass_notifications"]["value"] is None
    assert before["encompass_notifications"]["reason"]
    # A board member sees the counts through disclosure control: 1 to 4 hidden.
    board = client_for("board.police")
    months = [_figures(board, f"2020-{m:02d}") for m in (4, 5, 6, 7, 8, 9, 10, 11, 12)]
    shown = [f["encompass_notifications"]["value"] for f in months]
    assert not any(v is not None and 1 <= v <= 4 for v in shown)
    assert None in shown
    page = board.get(reverse("measures:theme", args=["STAFFS", "operation-encompass"]),
                     {"period": "2020-21"})
    assert page.status_code == 200 and "Operation Encompass notifications" in \
        page.content.decode()
    report = builder.build(Partnership.objects.get(code="STAFFS"), "2020-21")
    assert report.figures.by_key["encompass_notifications"].value == total
    assert "Operation Encompass" in builder.render_body(report)
