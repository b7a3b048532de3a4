"""What the briefings module gives the rest of the house (core/modules.py, ADR 0013).

Pseudonymous frames by LA (the partnership's first LA, a record key, the day): briefings
issued, (briefing, expected agency) pairs and those with a recorded use, both dated the day
the briefing was issued, campaigns and the people they reached, dated the campaign's start.
No person and no child. The report section "learning_in_practice" is told inside the
yearly report's own "Learning in practice" section (reports/builder.py, OWN_PLACE).

Home items: each briefing an agency seat's agency is expected to use and has not yet
recorded a use of.
"""

from __future__ import annotations

from functools import partial
from pathlib import Path

from django.urls import reverse

from safeguarding.briefings import selectors
from safeguarding.core.modules import FrameSpec, HomeItem, ModuleContract, ReportSection

COLUMNS = {"la": "str", "child": "str", "day": "date"}

FRAMES = (
    FrameSpec("briefings_issued", COLUMNS, selectors.briefing_rows),
    FrameSpec("briefings_agencies_expected", COLUMNS, selectors.expected_rows),
    FrameSpec("briefings_agencies_used", COLUMNS, partial(selectors.expected_rows, used=True)),
    FrameSpec("campaigns_run", COLUMNS, selectors.campaign_rows),
    FrameSpec("campaigns_reach", COLUMNS, partial(selectors.campaign_rows, reach=True)),
)

MEASURES = ("briefings_issued", "briefings_agencies_evidencing_use_rate", "campaigns_run",
            "campaign_reach")


def _coverage(las: list[str]):
    return {"briefings": selectors.coverage_spans(las)}


def home_items(user) -> list[HomeItem]:
    return [HomeItem(kind="return",
                     title=f"Record how {agency.name} used the briefing \u201c{b.title}\u201d",
                     url=reverse("briefings:use-add", args=[b.pk]), due=None,
                     detail=f"Issued {b.issued_on:%-d %B %Y}")
            for b, agency in selectors.pending_for(user)]


CONTRACT = ModuleContract(
    app_label="briefings",
    frames=FRAMES,
    coverage=_coverage,
    catalogue=Path(__file__).with_name("catalogue.yaml"),
    records_feed_figures=True,
    counts_no_person=frozenset({"briefings"}),
    home_items=home_items,
    report_sections=(ReportSection(
        "learning_in_practice", "Learning in practice", measures=MEASURES,
        intro="Learning from rapid reviews, practice reviews, audits and national reviews "
              "went to practitioners as short briefings for team meetings; each agency "
              "recorded how its teams used them. The partnership's campaigns took the same "
              "messages to families and the public."),),
)
