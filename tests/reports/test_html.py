"""The report pages keep the site's rules: no inline styles or scripts, headings in order,
tables with captions and headers, every chart with a title and description."""

from __future__ import annotations

import pytest
from django.test import Client
from django.urls import reverse

from safeguarding.core.models import Partnership, User
from safeguarding.reports import services
from tests.conftest import sign_in

from .helpers import YEAR, cin_data, parse, write_all


@pytest.fixture
def demo_world(module_demo_world, db):
    """The demo world built once for this module (tests/conftest.py); each test rolls back."""
    return module_demo_world


@pytest.fixture(scope="module")
def pages(module_demo_world, django_db_blocker):
    """The report's pages as the business unit reads them, fetched once for the module (the
    tests only read the HTML); what the fetch wrote is rolled back with the module's world."""
    with django_db_blocker.unblock(), pytest.MonkeyPatch.context() as patch:
        yield _fetched(patch)


def _fetched(monkeypatch) -> dict[str, str]:
    from safeguarding.measures import sources

    staffs = Partnership.objects.get(code="STAFFS")
    business = User.objects.get(username="business.staffs")
    monkeypatch.setattr(sources, "measure_data", lambda las: cin_data("860", {2019: 20, 2020: 22}))
    write_all(staffs, business)
    services.report_publish(actor=business, partnership=staffs, year=YEAR)
    client = sign_in(Client(), business)
    urls = [
        reverse("reports:home"),
        reverse("reports:report", args=["STAFFS", YEAR]),
        reverse("reports:narrative", args=["STAFFS", YEAR]),
        reverse("reports:narrative-edit", args=["STAFFS", YEAR, "focus"]),
        reverse("reports:narrative-history", args=["STAFFS", YEAR, "focus"]),
        reverse("reports:narrative-version", args=["STAFFS", YEAR, "focus", 1]),
        reverse("reports:publish", args=["STAFFS", YEAR]),
        reverse("reports:published-list", args=["STAFFS", YEAR]),
        reverse("reports:published", args=["STAFFS", YEAR, 1]),
        reverse("reports:commitments", args=["STAFFS", YEAR]),
        reverse("reports:sends", args=["STAFFS", YEAR]),
        reverse("reports:report", args=["STAFFS", "2021-22"]),
    ]
    found = {}
    for url in urls:
        response = client.get(url)
        assert response.status_code == 200, url
        found[url] = response.content.decode()
    return found


def test_no_inline_style_attributes_or_inline_scripts(pages):
    for url, content in pages.items():
        document = parse(content)
        assert not document.xpath("//@style"), f"{url} has a style attribute"
        assert not document.xpath("//style"), f"{url} has a <style> element"
        inline = [s for s in document.xpath("//script") if not s.get("src")]
        assert not inline, f"{url} has an inline script"
        assert not document.xpath("//@*[starts-with(name(), 'on')]"), f"{url} has an on* handler"


def test_headings_go_down_one_level_at_a_time_from_a_single_h1(pages):
    for url, content in pages.items():
        main = parse(content).xpath("//main")[0]
        levels = [int(h.tag[1]) for h in main.iter("h1", "h2", "h3", "h4", "h5", "h6")]
        assert levels.count(1) == 1 and levels[0] == 1, (url, levels)
        for before, after in zip(levels, levels[1:], strict=False):
            assert after <= before + 1, f"{url}: h{before} followed by h{after}"


def test_tables_have_captions_and_header_cells(pages):
    for url, content in pages.items():
        for table in parse(content).xpath("//main//table"):
            assert table.xpath("./caption"), f"{url}: a table without a caption"
            assert table.xpath(".//th[@scope='col']"), f"{url}: a table without column headers"


def test_landmarks_come_from_the_base_template_and_ids_are_unique(pages):
    for url, content in pages.items():
        document = parse(content)
        assert len(document.xpath("//main")) == 1
        assert document.xpath("//header[@role='banner']") and document.xpath("//footer")
        ids = document.xpath("//@id")
        assert len(ids) == len(set(ids)), f"{url}: duplicate ids " + ", ".join(
            sorted({i for i in ids if ids.count(i) > 1}))


def test_every_chart_has_a_title_a_description_and_a_table(pages):
    content = pages[reverse("reports:report", args=["STAFFS", YEAR])]
    charts = parse(content).xpath("//figure[@data-chart]")
    assert charts
    for chart in charts:
        svg = chart.xpath(".//*[local-name()='svg']")[0]
        assert svg.get("role") == "img"
        assert svg.xpath("./*[local-name()='title']") and svg.xpath("./*[local-name()='desc']")
        assert chart.xpath(".//table/caption") and chart.xpath("./figcaption")


def test_the_report_never_names_a_child(pages, staffs):
    from safeguarding.children.models import Child

    content = pages[reverse("reports:report", args=["STAFFS", YEAR])]
    text = parse(content).xpath("string(//main)")
    for child in Child.objects.filter(partnership=staffs)[:30]:
        assert f"{child.first_name} {child.last_name}" not in text
