"""What the voice module gives the rest of the house (core/modules.py).

Frames by LA, one row per response, (LA, response key, day): every response, responses by
audience, and for each tracked result (data/config.yaml ``results``) the answers to the
tagged questions and those choosing the result's options, so the catalogue can say "62%
of young people were worried about knife crime". The record key is the response's own
("R" and its number), never a person. Survey figures are counts of people answering, so
they are seen through disclosure control by everyone (no ``sees_in_full``).
"""

from __future__ import annotations

from functools import partial
from pathlib import Path

from safeguarding.core.modules import (
    FrameSpec,
    ModuleContract,
    ReportSection,
    ReportText,
    Theme,
)
from safeguarding.voice import assurance, config, figures, selectors

COLUMNS = {"la": "str", "child": "str", "day": "date"}
AUDIENCES = ("children", "families", "practitioners")

FRAMES = (
    FrameSpec("voice_responses", COLUMNS, figures.response_rows),
    *(FrameSpec(f"voice_responses_{a}", COLUMNS, partial(figures.response_rows, audience=a))
      for a in AUDIENCES),
    *(spec for r in config.results() for spec in (
        FrameSpec(r["id"], COLUMNS, partial(figures.result_rows, result_id=r["id"],
                                            chosen=True)),
        FrameSpec(f"{r['id']}_answered", COLUMNS,
                  partial(figures.result_rows, result_id=r["id"], chosen=False)))),
)


def _report_text(partnership, period, figure) -> list[ReportText]:
    """The report's voice section says the surveys run, their tracked results (the Youth
    Commission's "62% worried about knife crime", the engine's figure) and what changed."""
    return [ReportText("voice", tuple(selectors.report_sentences(partnership, period,
                                                                 figure)))]


def _coverage(las: list[str]):
    return {"voice": figures.coverage_spans(las)}


CONTRACT = ModuleContract(
    app_label="voice",
    frames=FRAMES,
    coverage=_coverage,
    catalogue=Path(__file__).with_name("catalogue.yaml"),
    records_feed_figures=True,
    themes=(Theme("voice", "voice", "Voice of children, families and practitioners",
                  "What children, young people, families and practitioners told the "
                  "partnership in its surveys, and what changed as a result."),),
    report_sections=(ReportSection(
        "voice", "Voice of children, families and practitioners",
        measures=("voice_responses", *(f"voice_responses_{a}" for a in AUDIENCES),
                  *(f"{r['id']}_rate" for r in config.results())),
        intro="Children, young people, families and practitioners answered the partnership's "
              "surveys; each \u201cyou said, we did\u201d record links what they said to the "
              "actions taken in the board's action log."),),
    home_items=selectors.home_items,
    report_evidence=assurance.report_evidence,
    report_text=_report_text,
    triangulation=assurance.triangulation,
)
