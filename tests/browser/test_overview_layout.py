"""The core pathway at a glance fits on one 1280 x 900 screen (issue 18): every tile
inside the viewport at the default zoom, with no scrolling, each readable (its title,
value and link shown, nothing cut off sideways). Runs without the full accessibility
walk: ``pytest -m browser tests/browser/test_overview_layout.py``."""

from __future__ import annotations

import pytest
from django.urls import reverse

from safeguarding.measures.catalogue import by_theme

TILE_BOXES = """() => [...document.querySelectorAll('.app-tile')].map(tile => {
    const box = tile.getBoundingClientRect();
    const title = tile.querySelector('.app-tile__title');
    return {id: tile.dataset.tile, top: box.top, left: box.left, bottom: box.bottom,
            right: box.right, titleFits: title.scrollWidth <= title.clientWidth + 1,
            text: tile.innerText};
})"""


@pytest.mark.browser
def test_the_core_pathway_overview_fits_one_1280_by_900_screen(site):
    page = site.page("board.police")
    page.goto(site.url(reverse("measures:overview", args=["STAFFS", "core-pathway"])
                       + "?period=2020-21"))
    assert page.viewport_size == {"width": 1280, "height": 900}
    tiles = page.evaluate(TILE_BOXES)
    assert [t["id"] for t in tiles] == [ind.id for ind in by_theme("core_pathway")]
    outside = [t["id"] for t in tiles
               if t["top"] < 0 or t["left"] < 0 or t["bottom"] > 900 or t["right"] > 1280]
    assert not outside, (f"tiles outside the 1280 x 900 screen: {outside} (first {tiles[0]}, "
                         f"last {tiles[-1]})")
    assert all(t["titleFits"] for t in tiles)
    assert all(t["text"].strip() for t in tiles)
    # Each tile's link is reachable and opens the measure page.
    first = page.locator(".app-tile__link").first
    first.click()
    page.wait_for_url("**/measures/**")
