"""What the governance module gives the rest of the house (core/modules.py).

Frames by LA, one row per record, (LA, record key, day): held meetings and the quorate
ones, member agencies expected at held meetings and those present (all, and by kind of
agency for the safeguarding partners and education), actions raised and fallen due and
those not done by their due date, and risk scorings by RAG. A partnership's records are
counted under its home LA (the lowest LA code of the partnership), a joint body's under
each of its partnerships'. The record key is the meeting's, action's or risk's own, never
a child's. The figures count meetings, agencies and risks, never people, so no disclosure
control applies to them (``counts_no_person``, ADR 0039).
"""

from __future__ import annotations

from functools import partial
from pathlib import Path

from safeguarding.core.modules import FrameSpec, ModuleContract, ReportSection, Theme
from safeguarding.governance import assurance, figures
from safeguarding.governance import home as governance_home

COLUMNS = {"la": "str", "child": "str", "day": "date"}
KINDS = ("la_childrens_services", "police", "health", "education")

FRAMES = (
    FrameSpec("governance_meetings", COLUMNS, partial(figures.meeting_rows, quorate=False)),
    FrameSpec("governance_meetings_quorate", COLUMNS,
              partial(figures.meeting_rows, quorate=True)),
    FrameSpec("governance_attendance_expected", COLUMNS,
              partial(figures.attendance_rows, present=False)),
    FrameSpec("governance_attendance_present", COLUMNS,
              partial(figures.attendance_rows, present=True)),
    *(FrameSpec(f"governance_attendance_expected_{kind}", COLUMNS,
                partial(figures.attendance_rows, present=False, kind=kind)) for kind in KINDS),
    *(FrameSpec(f"governance_attendance_present_{kind}", COLUMNS,
                partial(figures.attendance_rows, present=True, kind=kind)) for kind in KINDS),
    FrameSpec("governance_actions_raised", COLUMNS, partial(figures.action_rows, dated="raised")),
    FrameSpec("governance_actions_due", COLUMNS, partial(figures.action_rows, dated="due")),
    FrameSpec("governance_actions_late", COLUMNS,
              partial(figures.action_rows, dated="due", late=True)),
    FrameSpec("governance_risk_scorings", COLUMNS, figures.risk_rows),
    FrameSpec("governance_commitments_due", COLUMNS, figures.commitment_rows),
    FrameSpec("governance_commitments_kept", COLUMNS,
              partial(figures.commitment_rows, kept=True)),
    *(FrameSpec(f"governance_risk_scorings_{rag}", COLUMNS, partial(figures.risk_rows, rag=rag))
      for rag in ("red", "amber", "green")),
)


def _coverage(las: list[str]):
    return {"governance": figures.coverage_spans(las)}


def _home_items(user) -> list:
    """Actions and meetings (home.py), and the commitments the person owns (assurance.py)."""
    return [*governance_home.home_items(user), *assurance.home_items(user)]


CONTRACT = ModuleContract(
    app_label="governance",
    frames=FRAMES,
    coverage=_coverage,
    catalogue=Path(__file__).with_name("catalogue.yaml"),
    records_feed_figures=True,
    counts_no_person=frozenset({"governance"}),
    themes=(Theme("governance", "governance", "Governance and assurance",
                  "How the board and its sub-groups worked: meetings held and quorate, "
                  "attendance by agency, the action log and the risk registers."),),
    report_sections=(ReportSection(
        "governance", "Governance and assurance",
        measures=("governance_meetings", "governance_meetings_quorate_rate",
                  "governance_attendance_rate",
                  *(f"governance_attendance_rate_{kind}" for kind in KINDS),
                  "governance_actions_raised", "governance_actions_due",
                  "governance_actions_late", "governance_risk_scorings_red",
                  "governance_risk_scorings_amber", "governance_risk_scorings_green",
                  "governance_commitments_due", "governance_commitments_met"),
        intro="The board and its sub-groups met under their terms of reference, kept one "
              "action log and reviewed their risk registers."),),
    home_items=_home_items,
    report_evidence=assurance.report_evidence,
    triangulation=assurance.triangulation,
    report_commitments=assurance.report_commitments,
    report_priorities=assurance.report_priorities,
    report_bodies=assurance.report_bodies,
)
