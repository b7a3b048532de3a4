"""Issue 18's report: the joint child death panel's figures beside this partnership's share,
matching the panel's statistics page; a "Critical moments" section declared through the
module contracts; and sentences that read right for 0, 1 and many."""

from __future__ import annotations

import re

import pytest

from safeguarding.core import modules
from safeguarding.measures.periods import parse_financial_year
from safeguarding.measures.phrasing import change
from safeguarding.reports import builder
from safeguarding.reports.figures import RECORDED, Figure, by_count, sentence
from safeguarding.reports.modules import child_deaths as report_deaths
from safeguarding.reports.modules import measures as report_measures

from .helpers import parse, report_root


def _text(html) -> str:
    return re.sub(r"\s+", " ", parse(f"<p>{html}</p>").text_content()).strip()


def _said(template, value) -> str:
    fig = Figure(key="k", title="T", unit="count", definition="", source="", value=value,
                 numerator=value, status=RECORDED)
    return _text(sentence(fig, by_count(fig, template), year="2020-21"))


def _statistics_headline(client, scope: str) -> dict[str, str]:
    page = parse(client.get("/child-deaths/statistics/",
                            {"scope": scope, "year": "2020-21"}).content)
    table = page.xpath("//table[caption[contains(., 'Notifications and reviews')]]")[0]
    return {re.sub(r"\s+", " ", row.xpath("string(th/text())")).strip():
            re.sub(r"\s+", " ", row.xpath("string(td[1])")).strip()
            for row in table.xpath(".//tbody/tr")}


def test_the_child_death_section_gives_the_joint_panels_figures_as_its_statistics_page_does(
        staffs, stoke, client_for):
    from safeguarding.child_deaths import demo

    demo.build(seed=7, partnerships={"STAFFS": staffs, "STOKE": stoke})
    report = builder.build(staffs, "2020-21")
    article = report_root(parse(builder.render_body(report)))
    figures = report.figures.by_key
    page = _statistics_headline(client_for("business.staffs"), "panel-STAFFS")
    own = _statistics_headline(client_for("business.staffs"), "STAFFS")
    panel_notified, own_notified = figures["child_deaths.panel.notified"], figures[
        "child_deaths.notified"]
    assert f"{panel_notified.value:,}" == page["Child deaths notified"]
    assert f"{figures['child_deaths.panel.reviewed'].value:,}" == page[
        "Deaths reviewed by the panel"]
    assert f"{own_notified.value:,}" == own["Child deaths notified"]
    assert panel_notified.value > own_notified.value > 0
    # Both beside each other in the share table, and the joint panel named.
    table = article.xpath("//table[caption[contains(., \"joint panel's figures\")]]")[0]
    first = table.xpath(".//tbody/tr")[0]
    assert [c.text_content() for c in first.xpath("td")] == [
        f"{panel_notified.value:,}", f"{own_notified.value:,}"]
    text = re.sub(r"\s+", " ", article.text_content())
    assert ("reviewed by the joint panel hosted by Staffordshire Safeguarding Children Board, "
            "which also reviews the deaths of children from Stoke-on-Trent") in text
    assert article.xpath('//figure[@data-chart="chart.child_deaths.panel.notified"]')


def test_critical_moments_is_a_section_of_the_report_from_the_contracts(staffs):
    parts = [d.key for d in modules.report_sections() if d.part_of == "critical-moments"]
    assert {"operation-encompass", "domestic-abuse", "exclusions-and-absence"} <= set(parts)
    report = builder.build(staffs, "2020-21")
    titles = [s.title for s in report.sections]
    assert titles.index("Critical moments") == titles.index("Our priorities") + 1
    section = next(s for s in report.sections if s.key == "critical-moments")
    assert [p.key for p in section.children] == parts
    declared = {m for d in modules.report_sections() if d.part_of == "critical-moments"
                for m in d.measures}
    assert {"persistent_absence_children_in_need_rate",
            "permanent_exclusions_children_known_to_social_care",
            "encompass_notifications"} <= declared
    for key in declared:
        assert key in report.figures.by_key  # each told, recorded or listed as not recorded


@pytest.mark.parametrize("value, expected", [
    (0, "In 2020-21 the police attended 0 domestic abuse incidents with a child present"),
    (1, "In 2020-21 the police attended 1 domestic abuse incident with a child present"),
    (2, "In 2020-21 the police attended 2 domestic abuse incidents with a child present"),
])
def test_a_contract_sentence_reads_right_for_0_1_and_many(value, expected):
    section = next(d for d in modules.report_sections() if d.key == "domestic-abuse")
    said = _said(section.sentences["da_incidents_children_present"], value)
    assert said.startswith(expected)


def test_every_declared_count_sentence_has_a_form_for_one_and_one_for_other_numbers():
    """A count's sentence with a plural noun in it needs its singular form too."""
    for declared in modules.report_sections():
        for measure_id, template in declared.sentences.items():
            if isinstance(template, tuple):
                one, many = (_said(template, 1), _said(template, 3))
                assert one != many.replace("3", "1"), measure_id
                assert " were" not in one and " 1 " in f" {one}", measure_id


@pytest.mark.parametrize("value, words", [
    (0, ["0 deaths of children", "0 children's deaths", "0 of the deaths notified were"]),
    (1, ["1 death of a child", "1 child's death", "1 of the deaths notified was of a child"]),
    (7, ["7 deaths of children", "7 children's deaths", "7 of the deaths notified were"]),
])
def test_the_child_death_sentences_read_right_for_0_1_and_many(value, words):
    said = " ".join([_said(report_deaths.PANEL_TEMPLATES["notified"], value),
                     _said(report_deaths.PANEL_TEMPLATES["reviewed"], value),
                     _said(report_deaths.SHARE_TEMPLATES["notified"], value),
                     _said(report_deaths.TEMPLATES["notified"], value)])
    for word in words:
        assert word in said


@pytest.mark.parametrize("now, before, expected", [
    (1, 0, "1 more death notified (none the year before)"),
    (3, 2, "an increase of 50 % (1 more death notified)"),
    (1, 1, "no change (1 death notified)"),
    (0, 2, "a decrease of 100 % (2 fewer deaths notified)"),
])
def test_year_on_year_phrases_use_the_singular_for_one(now, before, expected):
    assert change(now, before, noun="deaths notified", noun_one="death notified") == expected


def test_the_report_nouns_are_kept_for_the_comparison():
    assert report_measures.NOUNS  # the catalogue parts keep their own nouns
    fig = report_deaths._figure(type("Item", (), {
        "id": "notified", "title": "Child deaths notified", "unit": "count", "value": 1,
        "numerator": 1, "denominator": None, "definition": "", "reason": "",
        "suppressed": False})())
    assert (fig.noun, fig.noun_one) == ("deaths notified", "death notified")
    assert parse_financial_year("2020-21").label == "2020-21"


@pytest.mark.parametrize("value, words", [
    (0, ["0 rapid reviews", "0 practice reviews", "0 actions from reviews were overdue",
         "0 learning events", "0 practitioners"]),
    (1, ["1 rapid review ", "1 practice review ", "1 action from reviews was overdue",
         "1 learning event ", "1 practitioner"]),
    (6, ["6 rapid reviews", "6 practice reviews", "6 actions from reviews were overdue",
         "6 learning events", "6 practitioners"]),
])
def test_the_practice_review_sentences_read_right_for_0_1_and_many(value, words):
    from safeguarding.reports.modules import practice_reviews as report_reviews

    fig = Figure(key="k", title="T", unit="count", definition="", source="", value=value,
                 numerator=value, status=RECORDED)
    said = " ".join([
        _said("In {year} the partnership started {value} "
              + report_reviews._noun(fig, "rapid_reviews") + " in all", value),
        _said("They published {value} " + report_reviews._noun(fig, "practice_reviews_published")
              + " in {year}", value),
        _said(report_reviews.TEMPLATES["overdue_review_actions"], value),
        _said("In {year} the partnership held {value} "
              + report_reviews._noun(fig, "learning_events") + " to share learning", value),
        _said("They reached {value} " + report_reviews._noun(fig, "learning_reach"), value)])
    for word in words:
        assert word in said, (word, said)


@pytest.mark.parametrize("value", [0, 1, 4])
def test_every_critical_moments_count_sentence_agrees_with_its_number(value):
    """No "1 notifications", no "1 ... were" and no "4 ... was" in Critical moments."""
    for declared in modules.report_sections():
        if declared.part_of != "critical-moments":
            continue
        for measure_id, template in declared.sentences.items():
            if measure_id.endswith("_rate"):
                continue  # a percentage: "40 % of notifications were"
            said = _said(template, value)
            if value == 1:
                assert " were " not in said and not re.search(r"\b1 \w+s\b", said), said
            else:
                assert " was " not in said, said
