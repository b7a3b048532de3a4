"""Every figure is traceable: a note with its definition and source; none is invented."""

from __future__ import annotations

import re

import pytest

from safeguarding.measures import sources
from safeguarding.measures.periods import parse_financial_year
from safeguarding.measures.phrasing import change
from safeguarding.reports import builder, narrative, selectors
from safeguarding.reports.figures import NOT_RECORDED

from .helpers import cin_data, parse, report_root

DIGIT = re.compile(r"\d")


def _render(partnership, year="2020-21"):
    report = builder.build(partnership, year)
    return report, report_root(parse(builder.render_body(report)))


def _with_referrals(monkeypatch, by_year):
    monkeypatch.setattr(sources, "measure_data", lambda las: cin_data("860", by_year))


def test_every_figure_in_the_report_has_a_note_with_definition_and_source(staffs, monkeypatch):
    _with_referrals(monkeypatch, {2019: 20, 2020: 22})
    report, article = _render(staffs)
    shown = {el.get("data-figure") for el in article.xpath("//*[@data-figure]")}
    noted = {el.get("data-note"): el for el in article.xpath("//li[@data-note]")}
    assert shown, "the report shows no figures"
    assert shown <= set(noted), f"figures without a note: {sorted(shown - set(noted))}"
    assert set(noted) == {f.key for f in report.figures}
    for key, note in noted.items():
        definition = note.xpath(".//dd[@data-definition]")[0].text_content().strip()
        source = note.xpath(".//dd[@data-source]")[0].text_content().strip()
        assert definition and source, f"note for {key} lacks a definition or source"
        assert note.get("id") and article.xpath(f'//a[@href="#{note.get("id")}"]'), (
            f"nothing in the report links to the note for {key}")


def test_a_figure_with_no_data_is_listed_as_not_recorded_and_never_shown_as_a_number(staffs):
    report, article = _render(staffs)  # the demo world imports no CIN census and no reviews
    missing = {f.key: f for f in report.figures if f.status == NOT_RECORDED}
    for key in ("referrals", "restraints", "training_places_filled", "children_discussed_at_mace",
                "reviews.rapid_reviews"):
        assert key in missing, key
        listed = article.xpath(f'//tr[@data-not-recorded="{key}"]')
        assert listed, f"{key} is not in the not-recorded list"
        assert missing[key].reason in listed[0].text_content()
    for key in missing:
        for el in article.xpath(f'//*[@data-figure="{key}"]'):
            assert not DIGIT.search(el.text_content()), f"{key} shown as {el.text_content()!r}"
        note = article.xpath(f'//li[@data-note="{key}"]//dd[@data-note-value]')[0]
        assert note.text_content().strip() == "not recorded"
        assert not article.xpath(f'//*[@data-comparison="{key}"]')
    assert report.figures.by_key["referrals"].reason.startswith("No CIN census return covers")


def test_a_year_on_year_phrase_is_computed_from_the_two_numbers(staffs, monkeypatch):
    _with_referrals(monkeypatch, {2019: 20, 2020: 22})
    report, article = _render(staffs)
    figure = report.figures.by_key["referrals"]
    assert (figure.value, figure.previous) == (22, 20)
    expected = change(22, 20, noun="referrals")
    assert expected == "an increase of 10 % (2 more referrals)"
    phrases = [el.text_content() for el in article.xpath('//*[@data-comparison="referrals"]')]
    assert expected in phrases
    prose = " ".join(p.text_content() for p in article.xpath("//p"))
    assert "There were 22 referrals to children's social care, an increase of 10 % " \
           "(2 more referrals) compared with 2019-20" in prose


def test_a_fall_is_phrased_as_a_decrease(staffs, monkeypatch):
    _with_referrals(monkeypatch, {2019: 20, 2020: 15})
    report, article = _render(staffs)
    assert report.figures.by_key["referrals"].comparison == "a decrease of 25 % (5 fewer referrals)"


def test_no_comparison_when_the_year_before_is_not_recorded(staffs, monkeypatch):
    _with_referrals(monkeypatch, {2020: 15})
    report, article = _render(staffs)
    figure = report.figures.by_key["referrals"]
    assert figure.value == 15 and figure.previous is None
    assert not article.xpath('//*[@data-comparison="referrals"]')
    prose = " ".join(p.text_content() for p in article.xpath("//p"))
    assert "the figure for 2019-20 is not recorded, so there is no comparison" in prose


def test_a_quarterly_chart_has_alt_text_and_the_same_numbers_in_a_table(staffs, monkeypatch):
    _with_referrals(monkeypatch, {2019: 20, 2020: 22})
    report, article = _render(staffs)
    (chart,) = article.xpath('//figure[@data-chart="chart.referrals.quarters"]')
    svg = chart.xpath(".//*[local-name()='svg']")[0]
    assert svg.get("role") == "img"
    assert svg.xpath("./*[local-name()='title']")[0].text.startswith("Referrals to children")
    desc = svg.xpath("./*[local-name()='desc']")[0].text
    table = chart.xpath(".//table")[0]
    assert table.xpath("./caption") and table.xpath(".//th[@scope='col']")
    cells = [td.text_content().strip() for td in table.xpath(".//tbody//td")]
    assert cells == ["20", "0", "0", "0", "22", "0", "0", "0"]
    assert "20" in desc and "22" in desc
    assert "style=" not in chart.xpath("string(.)") and not svg.xpath(".//@style")


def test_child_death_figures_come_from_the_module(staffs, stoke):
    from safeguarding.child_deaths import demo, statistics

    demo.build(seed=7, partnerships={"STAFFS": staffs, "STOKE": stoke})
    report, article = _render(staffs)
    expected = statistics.compute(partnership_ids={staffs.pk}, scope_label=staffs.name,
                                  year=parse_financial_year("2020-21"), suppress=True)
    notified = next(f for f in expected["headline"] if f.id == "notified")
    figure = report.figures.by_key["child_deaths.notified"]
    assert figure.value == notified.value is not None
    shown = article.xpath('//*[@data-figure="child_deaths.notified"]')[0].text_content()
    assert shown == f"{notified.value:,}"
    # The panel is joint (STAFFS hosts it for STOKE), so the chart is the joint panel's.
    assert article.xpath('//figure[@data-chart="chart.child_deaths.panel.notified"]')


def test_a_module_that_cannot_give_its_figures_shows_them_as_not_recorded(staffs, monkeypatch):
    monkeypatch.setattr(selectors, "practice_review_figures",
                        lambda p, y: selectors.Unavailable("The reviews module is being built"))
    monkeypatch.setattr(selectors, "child_death_figures",
                        lambda p, y: selectors.Unavailable("The panel's module is being built"))
    report, _ = _render(staffs)
    figures = report.figures.by_key
    assert figures["reviews.rapid_reviews"].status == NOT_RECORDED
    assert figures["reviews.rapid_reviews"].reason == "The reviews module is being built"
    assert figures["child_deaths.notified"].reason == "The panel's module is being built"


def test_a_partnership_without_an_la_gets_no_zero_figures(db):
    from safeguarding.core.models import Partnership

    lonely = Partnership.objects.create(code="LONELY", name="A partnership with no LA")
    report = builder.build(lonely, "2020-21")
    assert report.figures.by_key["referrals"].status == NOT_RECORDED
    assert "no local authority area" in report.figures.by_key["referrals"].reason


@pytest.mark.parametrize("block", list(narrative.SPECS))
def test_draft_placeholders_hold_no_figures(block):
    assert not DIGIT.search(narrative.SPECS[block].placeholder)
    assert narrative.SPECS[block].placeholder.startswith("Draft text:")


def test_draft_blocks_are_marked_as_draft_in_the_report(staffs):
    report, article = _render(staffs)
    drafts = article.xpath('//div[contains(@class, "app-narrative--draft")]')
    assert len(drafts) == sum(1 for s in narrative.SPECS.values() if s.required)
    assert all("Draft text" in d.text_content() for d in drafts)
