"""The yearly report pages for the browser tests (tests/browser/site_map.py calls walk).

Staffordshire's 2020-21 report is written and published first, through the services, so
the narrative's versions, the published version and the commitments it made exist.
"""

from __future__ import annotations

from django.urls import reverse

SKIPPED = {
    "reports/<slug:code>/<str:year>/pdf/": "file download, not a page",
    "reports/<slug:code>/<str:year>/published/<int:number>/pdf/": "file download, not a page",
}
YEAR = "2020-21"
FOCUS = "Next year we will:\n\n- roll out the graded care profile\n- publish a neglect strategy"
BLOCKS = {"foreword_la": "The local authority's foreword.",
          "foreword_police": "The police's foreword.", "foreword_health": "Health's foreword.",
          "introduction": "What this report covers.",
          "arrangements": "The arrangements did not change.",
          "emerging_risks": "How the partners responded to the pandemic.", "focus": FOCUS}


def walk(w) -> None:
    from safeguarding.core.models import Partnership, User
    from safeguarding.reports import services

    staffs = Partnership.objects.get(code="STAFFS")
    writer = User.objects.get(username="business.staffs")
    for block, text in BLOCKS.items():
        services.narrative_save(actor=writer, partnership=staffs, year=YEAR, block=block,
                                text=text)
    services.narrative_save(actor=writer, partnership=staffs, year=YEAR, block="introduction",
                            text="What this report covers, and for whom.", note="For whom")
    services.report_publish(actor=writer, partnership=staffs, year=YEAR)

    def url(name, *args):
        return reverse(f"reports:{name}", args=["STAFFS", YEAR, *args])

    pages = [
        (reverse("reports:home"), "Yearly reports"),
        (url("report"), "Yearly report"),
        (url("narrative"), "Yearly report, narrative"),
        (url("narrative-edit", "introduction"), "Write a narrative block"),
        (url("narrative-history", "introduction"), "A narrative block's history"),
        (url("narrative-version", "introduction", 1), "A narrative block's earlier version"),
        (url("publish"), "Publish the report"),
        (url("published-list"), "Published versions"),
        (url("published", 1), "Published report"),
        (url("commitments"), "Commitments"),
        (url("sends"), "Record of publication"),
    ]
    for path, label in pages:
        page = w.open("business.staffs", path, label)
        if path == url("report"):
            # The report's stylesheet loaded and its first chart fits the text column.
            width = page.evaluate("document.querySelector('figure[data-chart] svg')"
                                  ".getBoundingClientRect().width")
            assert 200 < width < 900, f"the report's chart is {width} px wide"

    # A form shown again with its errors: a narrative block saved empty.
    page = w.open("business.staffs", url("narrative-edit", "focus"), "Write the focus")
    page.fill("#id_text", "")
    w.submit(page, "Write the focus, empty (error summary)",
             expect_path=url("narrative-edit", "focus"))

    # Board members read the report, the draft of a year not yet written, and what is published.
    w.open("board.police", reverse("reports:home"), "Yearly reports, board member")
    w.open("board.police", reverse("reports:report", args=["STAFFS", "2021-22"]),
           "Yearly report, nothing written yet")
    w.open("board.police", url("published", 1), "Published report, board member")
