"""The dashboard overview (issue 18): a theme on one screen, one tile a measure with its
value, target, direction, comparison and trend, each opening the measure page; the period
chosen from a list; every theme as one board-pack PDF, a page a theme."""

from __future__ import annotations

import io
import re
import shutil
import subprocess
from decimal import Decimal
from pathlib import Path

import pytest
from django.core.management import call_command
from django.urls import reverse

from safeguarding.core.charts import sparkline
from safeguarding.core.models import Partnership, User
from safeguarding.measures import overview
from safeguarding.measures.catalogue import by_theme
from safeguarding.measures.models import Target
from safeguarding.measures.views import themes

DFE = Path(__file__).resolve().parents[2] / "data" / "dfe"
CLA = DFE / "cla_number_and_rate_per_10k_children.csv"
C1 = DFE / "c1_children_in_need_referrals_and_rereferrals_2013_to_2025.csv"
PAGE = "?period=2020-21"


@pytest.fixture(scope="module")
def dfe_world(module_demo_world, django_db_blocker):
    with django_db_blocker.unblock():
        call_command("import", "dfe-benchmarks", str(CLA), str(C1), "--partnership", "STAFFS",
                     stdout=io.StringIO())
    return module_demo_world


@pytest.fixture
def demo_world(dfe_world, db):
    return dfe_world


def _overview(client_for, username="analyst.staffs", theme="core-pathway", query=PAGE):
    response = client_for(username).get(
        reverse("measures:overview", args=["STAFFS", theme]) + query)
    assert response.status_code == 200
    return response.content.decode()


def test_a_tile_per_measure_each_opening_the_measure_page(client_for):
    page = _overview(client_for)
    ids = re.findall(r'data-tile="([^"]+)"', page)
    assert ids == [ind.id for ind in by_theme("core_pathway")]
    for indicator_id in ids:
        assert (reverse("measures:measure", args=["STAFFS", indicator_id]) + PAGE) in page
    # The tiles are a list with a heading each, not a grid of divs.
    assert page.count('<li class="app-tile') == len(ids)
    assert page.count('<h2 class="app-tile__title"') == len(ids)
    assert "style=" not in page  # strict CSP: no inline styles, the sparklines included


def test_england_and_the_region_beside_the_rate_per_10000(client_for):
    page = _overview(client_for)
    tile = re.search(r'data-compare="referrals">(.*?)</p>', page).group(1)
    assert tile.startswith("Per 10,000 children")
    assert "England 507.1; region 499.7" in tile


def test_target_and_rag_are_told_in_words(client_for):
    Target.objects.create(partnership=Partnership.objects.get(code="STAFFS"),
                          indicator_id="assessments_within_45_working_days_rate",
                          target=Decimal("85"), amber_tolerance=Decimal("5"),
                          set_by=User.objects.get(username="business.staffs"))
    page = _overview(client_for)
    tile = page[page.index('data-tile="assessments_within_45_working_days_rate"'):]
    tile = tile[:tile.index("</li>")]
    assert "Target 85" in tile
    assert "Not recorded" in tile  # no return loaded: no value, so not rated


@pytest.mark.parametrize(("polarity", "value", "previous", "arrow", "judgement"), [
    ("higher_is_better", 80, 70, "↑", "better"),
    ("higher_is_better", 60, 70, "↓", "worse"),
    ("lower_is_better", 20, 25, "↓", "better"),
    ("lower_is_better", 30, 25, "↑", "worse"),
    ("neutral", 300, 250, "↑", "neutral"),
    ("neutral", 250, 250, "→", "neutral"),
])
def test_the_arrow_is_judged_by_the_measures_polarity(polarity, value, previous, arrow,
                                                      judgement):
    indicator = type("I", (), {"polarity": polarity, "unit": "count"})()
    found = overview.direction(indicator, value, previous, "2019-20")
    assert (found["arrow"], found["judgement"]) == (arrow, judgement)
    assert "2019-20" in found["text"]  # the text alternative of the arrow
    assert overview.direction(indicator, value, None, "2019-20") is None


def test_the_period_is_chosen_from_a_list_of_the_periods_held(client_for):
    page = _overview(client_for)
    select = page[page.index('<select class="govuk-select" id="period"'):]
    select = select[:select.index("</select>")]
    assert '<option value="2020-21" selected>' in select
    assert '<option value="2020-Q3">' in select and '<option value="2020-06">' in select
    assert 'type="text"' not in page[:page.index('id="period"') + 200]
    theme = client_for("analyst.staffs").get(
        reverse("measures:theme", args=["STAFFS", "core-pathway"]) + PAGE).content.decode()
    assert '<select class="govuk-select" id="period" name="period">' in theme


def test_the_overview_is_for_the_dashboards_people_of_the_partnership(client_for):
    url = reverse("measures:overview", args=["STAFFS", "core-pathway"])
    assert client_for("analyst.stoke").get(url).status_code == 403
    assert client_for("social.worker").get(url).status_code == 403
    assert client_for("board.police").get(url).status_code == 200
    assert client_for("analyst.staffs").get(
        reverse("measures:overview", args=["STAFFS", "no-such-theme"])).status_code == 404
    assert client_for("analyst.stoke").get(
        reverse("measures:board-pack", args=["STAFFS"])).status_code == 403


def test_every_theme_has_an_overview(client_for):
    for slug in themes():
        page = _overview(client_for, theme=slug)
        key = themes()[slug][0]
        assert page.count("data-tile=") == len(by_theme(key)), slug


def test_a_sparkline_is_an_accessible_svg_with_no_inline_style():
    svg = sparkline([1, 2, None, 4, 5], labels=["a", "b", "c", "d", "e"], title="Referrals",
                    id_prefix="spark-referrals")
    assert 'role="img"' in svg and "<title" in svg and "Values: a: 1; b: 2; d: 4; e: 5" in svg
    assert "style" not in svg
    assert svg.count("<polyline") == 2  # the gap where c is not recorded
    assert "<polyline" not in sparkline([None, None], title="Nothing", id_prefix="x")


def test_the_board_pack_is_one_pdf_with_a_page_per_theme(client_for):
    response = client_for("board.police").get(
        reverse("measures:board-pack", args=["STAFFS"]) + PAGE)
    assert response.status_code == 200
    assert response["Content-Type"] == "application/pdf"
    assert response.content.startswith(b"%PDF")
    pdftotext = shutil.which("pdftotext")
    if pdftotext is None:
        pytest.skip("pdftotext (poppler-utils) is not installed")
    text = subprocess.run([pdftotext, "-layout", "-", "-"], input=response.content,  # noqa: S603
                          capture_output=True, check=True).stdout.decode()
    pages = text.split("\f")
    titles = [title for _, title, _ in themes().values()]
    starts = []
    for title in titles:
        found = [i for i, page in enumerate(pages) if page.lstrip().startswith(title + "\n")]
        assert found, f"no page starts with the theme {title}"
        starts.append(found[0])
    assert len(set(starts)) == len(titles)  # each theme on a page of its own
    assert starts == sorted(starts)
    assert "Referrals to children" in pages[starts[0]]  # the first tile, on the theme's page
    assert "England 507.1" in pages[starts[0]]
