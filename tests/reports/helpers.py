"""Helpers for the yearly report tests, and the targets the authorization matrix needs."""

from __future__ import annotations

import datetime as dt

import polars as pl
from lxml import html as lxml_html

from safeguarding.core.models import Partnership, User
from safeguarding.measures.engine import SCHEMAS, MeasureData, empty_frame
from safeguarding.reports import services
from safeguarding.reports.models import Block

YEAR = "2020-21"
TEXTS = {
    Block.FOREWORD_LA: "The local authority's foreword.",
    Block.FOREWORD_POLICE: "The police's foreword.",
    Block.FOREWORD_HEALTH: "Health's foreword.",
    Block.INTRODUCTION: "What this report covers.",
    Block.ARRANGEMENTS: "The arrangements did not change.",
    Block.EMERGING_RISKS: "How the partners responded to the pandemic.",
    Block.FOCUS: "Next year we will:\n\n- roll out the graded care profile\n- publish a neglect "
                 "strategy",
}


def write_all(partnership: Partnership, user: User, year: str = YEAR, **overrides) -> None:
    """Write every narrative block, so the report can be published."""
    for block, text in {**TEXTS, **overrides}.items():
        services.narrative_save(actor=user, partnership=partnership, year=year, block=block,
                                text=text)


def parse(content: bytes | str):
    return lxml_html.fromstring(content)


def report_root(document):
    """The report body (the <article>), wherever the page puts it."""
    found = document.xpath('//article[@id="report"]')
    assert found, "no report article on the page"
    return found[0]


def cin_data(la: str, referrals_by_year: dict[int, int]) -> MeasureData:
    """Hand-built CIN episodes: ``n`` referrals (one child each) in each financial year,
    with CIN census coverage for exactly those years."""
    rows = []
    for start_year, count in referrals_by_year.items():
        for i in range(count):
            day = dt.date(start_year, 5, 1) + dt.timedelta(days=i)
            rows.append((la, f"{start_year}-{i}", day, None, dt.date(2012, 1, 1), "1", "WBRI"))
    frames = {kind: empty_frame(kind) for kind in SCHEMAS}
    frames["cin_episodes"] = pl.DataFrame(rows, schema=list(SCHEMAS["cin_episodes"].items()),
                                          orient="row")
    coverage = {"cin": [(la, dt.date(y, 4, 1), dt.date(y + 1, 3, 31)) for y in referrals_by_year]}
    return MeasureData(**frames, coverage=coverage)
