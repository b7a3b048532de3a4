"""What we said we would do: the focus for next year blocks of a published report become
commitments in the business plan (governance), and next year's report shows each outcome."""

from __future__ import annotations

import datetime as dt

import pytest
from django.core.exceptions import ValidationError
from django.urls import reverse

from safeguarding.governance import selectors as governance_selectors
from safeguarding.governance import services as governance
from safeguarding.reports import builder, services

from .helpers import YEAR, parse, report_root, write_all

NEXT = "2021-22"


def _publish(staffs, business, focus, **blocks):
    write_all(staffs, business, focus=focus, **blocks)
    return services.report_publish(actor=business, partnership=staffs, year=YEAR)


def _made(staffs):
    return governance_selectors.partnership_commitments(staffs, YEAR)


def test_focus_lines_of_every_section_become_commitments_shown_in_next_years_report(
        staffs, business, client_for):
    _publish(staffs, business, "We will:\n- roll out the graded care profile\n- publish a "
                               "neglect strategy",
             focus_neglect="- train 30 neglect champions")
    made = _made(staffs)
    assert sorted((c.section, c.text) for c in made) == [
        ("focus", "publish a neglect strategy"), ("focus", "roll out the graded care profile"),
        ("neglect", "train 30 neglect champions")]
    assert all(c.status == "open" and c.made_in_report == 1 for c in made)
    champions = next(c for c in made if c.section == "neglect")
    assert champions.section_title == "Neglect"

    client = client_for("business.staffs")
    url = reverse("governance:commitment-update", args=[champions.pk])
    response = client.post(url, {"status": "kept", "evidence": "Trained 30 champions",
                                 "due_on_day": "31", "due_on_month": "3", "due_on_year": "2022",
                                 "owner": business.pk})
    assert response.status_code == 302, response.content.decode()[:3000]
    champions.refresh_from_db()
    assert (champions.status, champions.evidence, champions.owner) == (
        "kept", "Trained 30 champions", business)
    strategy = next(c for c in made if c.text == "publish a neglect strategy")
    governance.commitment_update(actor=business, commitment=strategy, status="missed",
                                 evidence="Delayed by the pandemic")

    page = client.get(reverse("reports:report", args=["STAFFS", NEXT])).content.decode()
    article = report_root(parse(page))
    (section,) = article.xpath('//section[@id="section-what-we-said"]')
    rows = {tuple(c.text_content().strip() for c in tr.xpath("./th|./td"))
            for tr in section.xpath(".//tbody/tr")}
    assert rows == {("Train 30 neglect champions", "Neglect", "Kept", "Trained 30 champions"),
                    ("Publish a neglect strategy", "The partnership", "Missed",
                     "Delayed by the pandemic"),
                    ("Roll out the graded care profile", "The partnership", "In progress",
                     "No evidence recorded")}
    text = " ".join(section.text_content().split())
    assert "we made 3 commitments for the year" in text
    assert "1 was kept, 1 was missed and 1 is still in progress" in text
    figure = builder.build(staffs, NEXT).figures.by_key["commitments"]
    assert (figure.value, figure.numerator) == (3, 1)
    # the report's own page lists them, for every reader of the report
    listing = client_for("board.police").get(reverse("reports:commitments",
                                                     args=["STAFFS", YEAR]))
    assert "Train 30 neglect champions".lower() in listing.content.decode().lower()


def test_kept_and_missed_need_evidence(staffs, business):
    _publish(staffs, business, "- one thing")
    (commitment,) = _made(staffs)
    with pytest.raises(ValidationError, match="Say what shows"):
        governance.commitment_update(actor=business, commitment=commitment, status="kept")


def test_republishing_keeps_commitments_with_progress_and_drops_untouched_ones(staffs,
                                                                               business):
    _publish(staffs, business, "- keep me\n- drop me")
    keep = next(c for c in _made(staffs) if c.text == "keep me")
    governance.commitment_update(actor=business, commitment=keep, status="in_progress",
                                 due_on=dt.date(2021, 9, 30))
    services.narrative_save(actor=business, partnership=staffs, year=YEAR, block="focus",
                            text="- something new")
    services.report_publish(actor=business, partnership=staffs, year=YEAR)
    assert sorted((c.text, c.status) for c in _made(staffs)) == [
        ("keep me", "in_progress"), ("something new", "open")]


def test_without_a_published_report_last_year_the_section_says_so(staffs):
    report = builder.build(staffs, NEXT)
    figure = report.figures.by_key["commitments"]
    assert figure.status == "not_recorded"
    assert "No yearly report for 2020-21" in figure.reason


def test_one_commitment_reads_in_the_singular(staffs, business):
    _publish(staffs, business, "- one thing")
    html = builder.render_body(builder.build(staffs, NEXT))
    text = " ".join(report_root(parse(html)).xpath('//section[@id="section-what-we-said"]')[0]
                    .text_content().split())
    assert "we made 1 commitment for the year" in text
    assert "none were kept, none were missed and 1 is still in progress" in text
