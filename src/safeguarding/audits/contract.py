"""What the audits module gives the rest of the house (core/modules.py).

Frames by LA, one row per record, (LA, record key, day): audits planned (the month
planned) and those of them completed, audits completed (the day), agencies' returns due
and those on time, and the grades moderation agreed, by band. The figures count audits,
returns and grades, never people, so no disclosure control applies to them, on the
dashboard or in the published report (``counts_no_person``, ADR 0039). The
measures join governance's "Governance and assurance" theme; the yearly report gets an
"Multi-agency case audits" section; the home page gets the returns an agency owes, the
moderation due and the re-audits due.
"""

from __future__ import annotations

from functools import partial
from pathlib import Path

from django.urls import reverse

from safeguarding.audits import assurance, config, figures
from safeguarding.core.modules import (
    FrameSpec,
    HomeItem,
    ModuleContract,
    ReportSection,
    ReportText,
)
from safeguarding.core.modules import today as clock_today

COLUMNS = {"la": "str", "child": "str", "day": "date"}
BANDS = ("good", "requires_improvement", "inadequate")

FRAMES = (
    FrameSpec("audits_planned", COLUMNS, partial(figures.audit_rows, dated="planned")),
    FrameSpec("audits_planned_completed", COLUMNS,
              partial(figures.audit_rows, dated="planned", completed=True)),
    FrameSpec("audits_completed", COLUMNS, partial(figures.audit_rows, dated="completed")),
    FrameSpec("audits_returns_due", COLUMNS, figures.return_rows),
    FrameSpec("audits_returns_on_time", COLUMNS, partial(figures.return_rows, on_time=True)),
    FrameSpec("audits_grades", COLUMNS, figures.grade_rows),
    *(FrameSpec(f"audits_grades_{band}", COLUMNS, partial(figures.grade_rows, band=band))
      for band in BANDS),
)


def _coverage(las: list[str]):
    return {"audits": figures.coverage_spans(las)}


def home_items(user) -> list[HomeItem]:
    """Returns the person's agencies owe, moderation due and re-audits due; by reference."""
    from safeguarding.audits import selectors

    on = clock_today()
    items = []
    for r in selectors.returns_owed(user, on):
        items.append(HomeItem(
            "return", f"Audit return {r.case.reference} for {r.agency.name}",
            reverse("audits:return-edit", args=[r.pk]), due=r.due_on,
            overdue=bool(r.due_on and r.due_on < on),
            detail=f"{config.theme_title(r.case.audit.theme)} audit {r.case.audit.reference}"))
    for audit in selectors.moderation_due(user):
        items.append(HomeItem("review", f"Moderate audit {audit.reference}: every return is in",
                              reverse("audits:audit-detail", args=[audit.pk]),
                              due=audit.returns_due))
    for audit in selectors.re_audits_due(user, on):
        items.append(HomeItem("review", f"Re-audit due: {audit.reference} ({audit.title})",
                              reverse("audits:audit-detail", args=[audit.pk]),
                              due=audit.re_audit_on,
                              overdue=bool(audit.re_audit_on and audit.re_audit_on < on)))
    return items


def report_text(partnership, period, figure) -> list[ReportText]:
    """The report's audits section says the audits completed in the year (the engine's
    count, ``figure``) and their findings."""
    from safeguarding.audits import selectors

    return [ReportText("audits", tuple(selectors.report_sentences(partnership, period,
                                                                  figure)))]


CONTRACT = ModuleContract(
    app_label="audits",
    frames=FRAMES,
    coverage=_coverage,
    catalogue=Path(__file__).with_name("catalogue.yaml"),
    records_feed_figures=True,
    counts_no_person=frozenset({"audits"}),
    home_items=home_items,
    triangulation=assurance.triangulation,
    report_text=report_text,
    report_sections=(ReportSection(
        "audits", "Multi-agency case audits",
        measures=("audits_completed", "audits_completed_rate", "audits_returns_on_time_rate",
                  "audits_grades", "audits_grades_good_rate", "audits_grades_inadequate"),
        intro="The Scrutiny and Assurance sub-group drew cases at random within each audit's "
              "theme; each agency involved audited its own work, and a multi-agency "
              "moderation agreed the grades, findings and actions."),),
)
