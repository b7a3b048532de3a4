"""The demo's published 2020-21 report: the business unit wrote it, published it and sent it
to the national Panel and the What Works Centre the same day, so the compliance annex shows
every statutory item present from the records, each with its link; and an item goes missing
when its record does (a send later than 7 days, a send not made, no scrutiny findings)."""

from __future__ import annotations

import datetime as dt

import pytest
from django.test import override_settings
from django.urls import reverse
from django.utils import timezone

from safeguarding.core.models import Partnership
from safeguarding.reports import annex, selectors
from safeguarding.reports.models import PublishedReport, ReportSend
from tests.conftest import QUEUED_TASKS

from .helpers import YEAR, parse, report_root


@pytest.fixture(scope="module")
def module_published_demo(module_demo_world, django_db_blocker):
    """The demo world with the modules the annex reads (reviews, training, governance,
    voice), then the reports demo: written, published and sent as the business unit would."""
    from safeguarding.governance import demo as governance_demo
    from safeguarding.reports import demo as reports_demo
    from safeguarding.reviews import demo as reviews_demo
    from safeguarding.training import demo as training_demo
    from safeguarding.voice import demo as voice_demo

    # The published PDF is left queued for the worker, as after `make demo`.
    with django_db_blocker.unblock(), override_settings(TASKS=QUEUED_TASKS):
        partnerships = {p.code: p for p in Partnership.objects.all()}
        for step in (reviews_demo, training_demo, governance_demo, voice_demo, reports_demo):
            step.build(7, partnerships)
    return module_demo_world


@pytest.fixture
def demo_world(module_published_demo, db):
    return module_published_demo


def _annex_cells(content) -> dict[str, tuple[str, list[str]]]:
    """Item title -> (status, links) as the annex table on the page shows them."""
    (section,) = report_root(parse(content)).xpath('//section[@id="section-annex"]')
    found = {}
    for tr in section.xpath(".//tbody/tr"):
        cells = tr.xpath("./th|./td")
        found[cells[0].text_content().strip()] = (cells[1].text_content().strip(),
                                                   cells[2].xpath(".//a/@href"))
    return found


def test_the_demo_publishes_2020_21_with_every_annex_item_present(staffs, client_for):
    published = selectors.first_publication(staffs, YEAR)
    assert published is not None and published.published_by.username == "business.staffs"
    on = timezone.localtime(published.published_at).date()
    assert {r: s.sent_on for r, s in selectors.report_sends(staffs, YEAR).items()} == {
        "panel": on, "what_works": on}

    rows = annex.rows(staffs, selectors.report_year(YEAR))
    assert [r.key for r in rows if not r.present] == []
    assert all(r.url for r in rows)
    by_key = {r.key: r for r in rows}
    assert "within 7 days" in by_key["publication"].detail
    assert by_key["publication"].url == reverse("reports:sends", args=["STAFFS", YEAR])

    # The published report the board reads says the same, with a link on every row.
    client = client_for("board.police")
    page = client.get(reverse("reports:published", args=["STAFFS", YEAR, published.number]))
    assert page.status_code == 200
    shown = _annex_cells(page.content)
    assert len(shown) == len(rows)
    # The frozen copy was built before the sends were recorded; the live report has them.
    live = _annex_cells(client.get(reverse("reports:report", args=["STAFFS", YEAR])).content)
    assert {status for status, _links in live.values()} == {"Present"}
    assert all(len(links) == 1 for _status, links in live.values())
    # The focus lines became governance's commitments for next year's report.
    from safeguarding.core import modules

    made = modules.report_commitments(staffs, YEAR)
    assert made and any("Youth Commission" in c.text for c in made)


def test_an_item_goes_missing_when_its_record_does(staffs):
    period = selectors.report_year(YEAR)

    def item(key):
        return {r.key: r for r in annex.rows(staffs, period)}[key]

    # Published a year earlier, and sent only now: later than 7 days, so missing.
    PublishedReport.objects.filter(partnership=staffs, year=YEAR).update(
        published_at=timezone.make_aware(dt.datetime(2021, 9, 1, 10)))
    late = item("publication")
    assert not late.present
    assert "Published on 1 September 2021" in late.detail
    assert "later than 7 days" in late.detail

    # Sent within the 7 days to the Panel, never to the What Works Centre: missing.
    ReportSend.objects.filter(partnership=staffs, year=YEAR, recipient="panel").update(
        sent_on=dt.date(2021, 9, 6))
    ReportSend.objects.filter(partnership=staffs, year=YEAR, recipient="what_works").delete()
    unsent = item("publication")
    assert not unsent.present
    assert "sent to the national Panel on 6 September 2021, within 7 days" in unsent.detail
    assert "not yet sent to the What Works Centre" in unsent.detail

    # No scrutiny findings recorded in the year: independent scrutiny is missing.
    from safeguarding.governance.models import Decision

    Decision.objects.filter(meeting__body__partnership=staffs).delete()
    assert not item("independent_scrutiny").present
    assert item("voice").present  # the other items stand on their own records


def test_the_business_unit_publishes_and_sends_through_the_pages(staffs, client_for):
    """The done-when walk: publish the demo's 2020-21 report again from the publish page and
    record where it was sent from the sends page; the annex stays complete."""
    client = client_for("business.staffs")
    page = client.post(reverse("reports:publish", args=["STAFFS", YEAR]), {"confirm": "on"})
    assert page.status_code == 302
    assert [p.number for p in selectors.publications(staffs, YEAR)] == [2, 1]
    today = timezone.localdate()
    page = client.post(reverse("reports:sends", args=["STAFFS", YEAR]), {
        "recipient": "what_works", "sent_on_day": str(today.day),
        "sent_on_month": str(today.month), "sent_on_year": str(today.year),
        "published_url": "https://example.org/report.pdf"})
    assert page.status_code == 302
    assert selectors.report_sends(staffs, YEAR)["what_works"].published_url.endswith(".pdf")
    sends = client.get(reverse("reports:sends", args=["STAFFS", YEAR])).content.decode()
    assert "Sent to the What Works Centre" in sends and "(late)" not in sends
    assert f"{today.day} {today:%B %Y}" in sends
    live = _annex_cells(client.get(reverse("reports:report", args=["STAFFS", YEAR])).content)
    assert {status for status, _links in live.values()} == {"Present"}
