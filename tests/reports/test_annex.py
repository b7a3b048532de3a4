"""The compliance annex: each statutory item present or missing from the records, the
record of publication with its 7-day check, and the named narrative blocks."""

from __future__ import annotations

import datetime as dt

import pytest
from django.core.exceptions import PermissionDenied, ValidationError
from django.urls import reverse
from django.utils import timezone

from safeguarding.core import modules
from safeguarding.core.modules import EvidenceItem, ModuleContract
from safeguarding.reports import annex, builder, services
from safeguarding.reports.models import PublishedReport

from .helpers import YEAR, parse, report_root, write_all


def _annex_rows(report_html: str) -> dict[str, str]:
    article = report_root(parse(report_html))
    (section,) = article.xpath('//section[@id="section-annex"]')
    rows = {}
    for tr in section.xpath(".//tbody/tr"):
        cells = [c.text_content().strip() for c in tr.xpath("./th|./td")]
        rows[cells[0]] = cells[1]
    return rows


def test_without_records_each_item_says_missing(staffs):
    rows = annex.rows(staffs, builder.selectors.report_year(YEAR))
    assert [r.key for r in rows] == ["independent_scrutiny", "voice", "training_impact",
                                     "review_decisions", "publication"]
    by_key = {r.key: r for r in rows}
    assert not by_key["voice"].present
    # The voice app answers: nothing heard from children or families, nothing changed.
    assert by_key["voice"].detail.startswith("no responses from children and families")
    assert not by_key["publication"].present
    html = builder.render_body(builder.build(staffs, YEAR))
    shown = _annex_rows(html)
    assert shown["Feedback from children and families, and what changed because of it"] == \
        "Missing"


def test_a_later_app_answers_its_item_through_the_contract(staffs):
    def voice(partnership, period):
        return {"voice": EvidenceItem("Voice", True, "2 surveys closed; 3 changes made.",
                                      "/voice/")}

    modules.register(ModuleContract(app_label="test_voice", report_evidence=voice))
    try:
        rows = {r.key: r for r in annex.rows(staffs, builder.selectors.report_year(YEAR))}
    finally:
        modules.unregister("test_voice")
    assert rows["voice"].present and rows["voice"].url == "/voice/"


def test_sending_within_seven_days_makes_publication_present(staffs, business):
    write_all(staffs, business)
    published = services.report_publish(actor=business, partnership=staffs, year=YEAR)
    day = dt.date(2021, 9, 1)
    PublishedReport.objects.filter(pk=published.pk).update(
        published_at=timezone.make_aware(dt.datetime(2021, 9, 1, 10)))
    services.report_send_record(actor=business, partnership=staffs, year=YEAR,
                                recipient="panel", sent_on=day + dt.timedelta(days=7))
    period = builder.selectors.report_year(YEAR)
    record = annex.publication_record(staffs, period)
    assert record.within == {"panel": True, "what_works": False} and not record.complete
    services.report_send_record(actor=business, partnership=staffs, year=YEAR,
                                recipient="what_works", sent_on=day + dt.timedelta(days=8))
    record = annex.publication_record(staffs, period)
    assert record.within == {"panel": True, "what_works": False}
    item = {r.key: r for r in annex.rows(staffs, period)}["publication"]
    assert not item.present and "later than 7 days" in item.detail
    services.report_send_record(actor=business, partnership=staffs, year=YEAR,
                                recipient="what_works", sent_on=day + dt.timedelta(days=2))
    item = {r.key: r for r in annex.rows(staffs, period)}["publication"]
    assert item.present and item.url == reverse("reports:sends", args=["STAFFS", YEAR])


def test_working_days_are_a_configuration(db):
    assert annex.days_after(dt.date(2021, 9, 3), dt.date(2021, 9, 13), "calendar") == 10
    assert annex.days_after(dt.date(2021, 9, 3), dt.date(2021, 9, 13), "working") == 6


def test_sending_is_recorded_by_the_business_unit_only_after_publishing(staffs, business,
                                                                        demo_world):
    from safeguarding.core.models import User

    with pytest.raises(ValidationError, match="Publish the report"):
        services.report_send_record(actor=business, partnership=staffs, year=YEAR,
                                    recipient="panel", sent_on=dt.date(2021, 9, 1))
    with pytest.raises(PermissionDenied):
        services.report_send_record(actor=User.objects.get(username="board.police"),
                                    partnership=staffs, year=YEAR, recipient="panel",
                                    sent_on=dt.date(2021, 9, 1))


def test_named_blocks_for_sections_render_where_written_and_are_optional(staffs, business):
    write_all(staffs, business, priority_neglect="Neglect features in most plans.",
              focus_scrutiny="- build a multi-agency dashboard")
    report = builder.build(staffs, YEAR)
    assert not report.draft_blocks  # the optional blocks not written are not drafts
    html = builder.render_body(report)
    article = report_root(parse(html))
    neglect = article.xpath('//section[@id="section-neglect"]')[0].text_content()
    assert "Neglect features in most plans." in neglect
    scrutiny = article.xpath('//section[@id="section-scrutiny"]')[0].text_content()
    assert "build a multi-agency dashboard" in scrutiny
    focus = " ".join(article.xpath('//section[@id="section-focus"]')[0].text_content().split())
    assert "This report makes 3 commitments across its sections" in focus


def test_sub_group_sentences_read_right_for_none_and_one(staffs):
    from safeguarding.core.modules import BodySummary

    def bodies(partnership, period):
        return [BodySummary("Quiet group"),
                BodySummary("Review of Restraint Task Group", section="scrutiny",
                            meetings_held=1, meetings_quorate=0,
                            attendance=(("Police", 1, 1),), decisions=("Meet monthly.",),
                            commitments_kept=1)]

    modules.register(ModuleContract(app_label="test_bodies", report_bodies=bodies))
    try:
        html = builder.render_body(builder.build(staffs, YEAR))
    finally:
        modules.unregister("test_bodies")
    article = report_root(parse(html))
    quiet = " ".join(article.xpath('//section[@id="section-quiet-group"]')[0]
                     .text_content().split())
    assert "Quiet group held no meetings in 2020-21." in quiet
    scrutiny = " ".join(article.xpath('//section[@id="section-scrutiny"]')[0]
                        .text_content().split())
    assert "held 1 meeting in 2020-21, of which none were quorate." in scrutiny
    assert "1 decision was recorded: Meet monthly." in scrutiny
    assert "Of the 1 commitment it led, 1 was kept, none were missed and none are still open." \
        in scrutiny


def test_an_app_says_sentences_from_its_records_in_a_section(staffs):
    from safeguarding.core.modules import ReportText

    def text(partnership, period, figure):
        return [ReportText("scrutiny", ("1 audit of neglect was completed.",)),
                ReportText("scrutiny", ("Its <finding> was recorded.",)),
                ReportText("no-such-section", ("Never said.",))]

    modules.register(ModuleContract(app_label="test_text", report_text=text))
    try:
        html = builder.render_body(builder.build(staffs, YEAR))
    finally:
        modules.unregister("test_text")
    article = report_root(parse(html))
    scrutiny = " ".join(article.xpath('//section[@id="section-scrutiny"]')[0]
                        .text_content().split())
    assert "1 audit of neglect was completed. Its <finding> was recorded." in scrutiny
    assert "Never said." not in html and "&lt;finding&gt;" in html
