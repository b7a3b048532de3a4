"""What the restraint module gives the rest of the house (core/modules.py, ADR 0013).

One pseudonymous frame per counted kind of restraint, each row (host LA, the child's
pseudonymous key, the day): the catalogue (catalogue.yaml) declares each measure as a
count of a frame's rows dated in the period. The frames are by LA: an establishment's
restraints carry the LA it sits in, and its recording covers every LA of its
partnership from the day recording began to the end of the month of its latest
restraint.
"""

from __future__ import annotations

from functools import partial
from pathlib import Path

from django.db.models import F, Q

from safeguarding.children.code_lists import ethnicity_group, plain_choices
from safeguarding.core.modules import FrameSpec, ModuleContract, ReportSection, Theme
from safeguarding.restraint import home as restraint_home
from safeguarding.restraint import selectors

COLUMNS = {"la": "str", "child": "str", "occurred_on": "date"}

WHERE: dict[str, Q | None] = {
    "restraints": None,
    "restraint_pit": Q(pit_used=True),
    "restraint_bwc": Q(body_worn_camera="Y"),
    "restraint_bwc_sound": Q(body_worn_camera="Y", sound_captured=True),
    "restraint_passive": Q(reasons__icontains='"PASSIVE"'),
    "restraint_prone": Q(prone=True),
    "restraint_reviewed_on_time": Q(review__reviewed_on__lte=F("review_due")),
    "restraint_sampled": Q(sample_items__isnull=False),
    "restraint_assaults_on_staff": Q(assault_on_staff=True),
    "restraint_injuries": Q(child_injured=True) | Q(staff_injured=True),
    "restraint_healthcare": Q(healthcare_attended=True),
}
ETHNIC_GROUPS = {"white": "White", "mixed": "Mixed", "asian": "Asian", "black": "Black",
                 "other": "Other", "not_known": "Not known"}
AGE_BANDS = {"age_10_14": (10, 14), "age_15": (15, 15), "age_16": (16, 16), "age_17": (17, 17)}


def _group_codes(group: str) -> list[str]:
    return [code for code, _ in plain_choices("ethnicity") if ethnicity_group(code) == group]


def _where() -> dict[str, Q | None]:
    found = dict(WHERE)
    for key, group in ETHNIC_GROUPS.items():
        found[f"restraints_ethnic_{key}"] = Q(child_ethnicity__in=_group_codes(group))
    for key, (lo, hi) in AGE_BANDS.items():
        found[f"restraints_{key}"] = Q(child_age__gte=lo, child_age__lte=hi)
    return found


def _coverage(las: list[str]):
    return {"restraint": selectors.coverage_spans(las)}


FRAMES = (
    *(FrameSpec(name, COLUMNS, partial(selectors.frame_rows, where=where))
      for name, where in _where().items()),
    FrameSpec("restraint_staff_refresher_overdue", COLUMNS, selectors.overdue_refresher_rows),
)

CONTRACT = ModuleContract(
    app_label="restraint",
    frames=FRAMES,
    coverage=_coverage,
    catalogue=Path(__file__).with_name("catalogue.yaml"),
    themes=(Theme("restraint", "restraint", "Restraint in a secure setting",
                  "Physical restraint of children in the demo young offender institution: "
                  "how often, how, what was filmed, and whether each was reviewed by the "
                  "next working day."),),
    report_sections=(ReportSection(
        "restraint-review", "Review of restraint in a secure setting",
        measures=("restraints", "restraint_pit", "restraint_bwc_rate", "restraint_bwc_sound_rate",
                  "restraint_passive", "restraint_prone", "restraint_reviewed_on_time_rate",
                  "restraint_sampled", "restraint_assaults_on_staff", "restraint_injuries",
                  "restraint_healthcare", "restraint_staff_refresher_overdue"),
        intro="The Review of Restraint Task Group reviews every restraint of a child in the "
              "young offender institution by the next working day and, each quarter, a "
              "sample again from footage and paperwork."),),
    home_items=restraint_home.home_items,  # reviews due (home.py)
)
