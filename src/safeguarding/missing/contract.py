"""What the missing children module gives the rest of the house (core/modules.py, ADR 0013).

Pseudonymous frames by the child's home LA, each row (LA, the child's pseudonymous key, a
day): episodes by the day they began, missing episodes needing a return interview by the
day of return, and the days the repeat-missing rule was met. The catalogue
(catalogue.yaml) declares each measure as a count of a frame's rows dated in the period,
or of its distinct children (``counts_distinct``). These are the partnership's own
records; the ``missing_episodes`` agency-extract measures (datasets) are left as they are
(ADR 0022).
"""

from __future__ import annotations

from functools import partial
from pathlib import Path

from django.db.models import F, Q

from safeguarding.core.modules import FrameSpec, ModuleContract, ReportSection, Theme
from safeguarding.missing import home as missing_home
from safeguarding.missing import selectors

COLUMNS = {"la": "str", "child": "str", "day": "date"}

EPISODES: dict[str, Q | None] = {
    "missing_recorded_episodes": None,
    "missing_recorded_missing": Q(category="M"),
    "missing_recorded_absent": Q(category="A"),
}
RETURNS: dict[str, Q | None] = {
    "missing_rhi_required": None,
    "missing_rhi_offered_72h": Q(interview__offered_at__lte=F("rhi_due_at")),
    "missing_rhi_completed": Q(interview__interview_at__isnull=False),
}


def _coverage(las: list[str]):
    return {"missing_work": selectors.coverage_spans(las)}


FRAMES = (
    *(FrameSpec(name, COLUMNS, partial(selectors.episode_rows, where=where))
      for name, where in EPISODES.items()),
    *(FrameSpec(name, COLUMNS, partial(selectors.return_rows, where=where))
      for name, where in RETURNS.items()),
    FrameSpec("missing_repeat_flags", COLUMNS, selectors.repeat_rows),
)

CONTRACT = ModuleContract(
    app_label="missing",
    frames=FRAMES,
    coverage=_coverage,
    catalogue=Path(__file__).with_name("catalogue.yaml"),
    # A theme of its own, not child_exploitation: the report's exploitation section tables
    # every measure of that theme, and would repeat these outside the published section.
    themes=(Theme("missing-children", "missing_children", "Missing children",
                  "Episodes of children missing or absent reported by the police, repeat-"
                  "missing children, and return home interviews offered within 72 hours of "
                  "the return (the partnership's own records)."),),
    report_sections=(ReportSection(
        "missing-children", "Children missing from home or care",
        measures=("missing_recorded_episodes", "missing_recorded_children",
                  "missing_repeat_children", "missing_rhi_offered_72h_rate",
                  "missing_rhi_completed_rate"),
        intro="The police report each episode of a child missing or absent; the Strategic "
              "Missing Group follows every child who goes missing again and again, and each "
              "child back from a missing episode is offered a return home interview within "
              "72 hours."),),
    home_items=missing_home.home_items,  # return home interviews due (home.py)
)
