"""The performance dashboard pages for the browser tests (tests/browser/site_map.py calls walk).

The demo loads synthetic CIN census returns, so the figures, charts and the children behind
a figure have something to show; should Staffordshire's 2020-21 return (LA 860) be missing,
one is loaded here through the data import service.
"""

from __future__ import annotations

import tempfile
from pathlib import Path

from django.urls import reverse

SKIPPED = {
    "dashboard/": "a redirect, not a page: it sends a reader to their partnership's core "
                  "pathway theme, which is visited through it",
    "dashboard/<slug:code>/<slug:theme>.<str:fmt>": "file download, not a page",
    "dashboard/<slug:code>/board-pack.pdf": "a PDF download, not a page (tests/measures/"
                                            "test_overview.py reads it)",
}
PERIOD = "?period=2020-21"


def _load_census() -> None:
    from safeguarding.core.models import Partnership
    from safeguarding.datasets import models as ds
    from safeguarding.datasets import services, synthetic

    if ds.CinReturn.objects.filter(local_authority__old_code="860", collection_year=2021,
                                   status=ds.ReturnStatus.CURRENT).exists():
        return
    path = Path(tempfile.mkdtemp(prefix="browser-dashboard-")) / "cin_860_2021.xml"
    synthetic.write_cin_census(path, la_code="860", year=2021, children=40, seed=11)
    services.import_file(actor=None, partnership=Partnership.objects.get(code="STAFFS"),
                         kind=ds.ImportKind.CIN_CENSUS, path=path)


def _figures_ready() -> None:
    """Compute and store the dashboard's figures before its pages are opened, as the demo
    build and an import's recompute do.

    Each page then reads stored results rather than computing every measure inside the
    request while the browser waits. Its charts are drawn when the page is first shown,
    as after the demo build: drawing every chart of every year first took over a minute
    and showed nothing more.
    """
    from safeguarding.core.models import Partnership
    from safeguarding.measures import cache

    cache.results_rebuild(actor=None, partnership=Partnership.objects.get(code="STAFFS"),
                          warm_charts=False)


def walk(w) -> None:
    _load_census()
    _figures_ready()
    core = reverse("measures:theme", args=["STAFFS", "core-pathway"])
    w.open("board.police", reverse("measures:home"), "Dashboard, core pathway",
           expect_path=core)
    pages = [
        ("analyst.staffs", reverse("measures:theme", args=["STAFFS", "neglect"]) + PERIOD,
         "Dashboard, neglect"),
        ("board.police", reverse("measures:theme", args=["STAFFS", "demand"]) + PERIOD,
         "Dashboard, demand"),
        ("board.police", reverse("measures:theme", args=["STAFFS", "child-exploitation"]),
         "Dashboard, a theme with no measures yet"),
        ("business.staffs", reverse("measures:measure", args=["STAFFS", "referrals"]) + PERIOD,
         "Measure, business unit"),
        ("business.staffs",
         reverse("measures:measure-children", args=["STAFFS", "referrals"]) + PERIOD,
         "Children behind a measure"),
        ("board.police", reverse("measures:measure", args=["STAFFS", "cpp_starts"]) + PERIOD,
         "Measure, board member"),
        ("board.police", reverse("measures:theme", args=["STAFFS", "learning-reviews"]) + PERIOD,
         "Dashboard, learning reviews"),
        ("analyst.staffs", reverse("measures:theme", args=["STAFFS", "child-deaths"]) + PERIOD,
         "Dashboard, child deaths, small numbers hidden"),
        ("cdop.member", reverse("measures:theme", args=["STAFFS", "child-deaths"]) + PERIOD,
         "Dashboard, child deaths, the panel"),
        ("business.staffs",
         reverse("measures:measure", args=["STAFFS", "child_deaths_reviewed_category_suicide"])
         + PERIOD, "Measure, a child-death category"),
        ("board.police", reverse("measures:overview", args=["STAFFS", "core-pathway"]) + PERIOD,
         "Dashboard overview, core pathway tiles"),
        ("analyst.staffs", reverse("measures:overview", args=["STAFFS", "child-deaths"]) + PERIOD,
         "Dashboard overview, child deaths, small numbers hidden"),
    ]
    for username, path, label in pages:
        page = w.open(username, path, label)

    # The theme download is a file, not a page: it still answers, as a CSV.
    download = page.request.get(
        reverse("measures:theme-download", args=["STAFFS", "core-pathway", "csv"]) + PERIOD)
    assert download.status == 200, download.status
    assert download.headers["content-type"].startswith("text/csv"), download.headers
    pack = page.request.get(reverse("measures:board-pack", args=["STAFFS"]) + PERIOD)
    assert pack.status == 200 and pack.headers["content-type"] == "application/pdf", pack.status

    # A form shown again with its errors: the Scrutiny and Assurance group sets no target.
    page = w.open("scrutiny.member",
                  reverse("measures:measure", args=["STAFFS", "rereferrals_within_12_months_rate"])
                  + PERIOD, "Measure, with the target form")
    w.submit(page, "Measure, target set empty (error summary)")
