"""What Operation Encompass gives the rest of the house (core/modules.py, ADR 0013).

Pseudonymous frames of notifications, each row (the school's LA, the child's pseudonymous
key, the day of the incident); the catalogue (catalogue.yaml) counts a frame's rows dated
in the period, and a percentage names its denominator's frame. The schools' Key Adult
cover is a frame of school-months (one row per school per month end, the child column
holding the school's key), so "schools with a Key Adult" over a year is the share of
school-months with one. Coverage runs from the LA's first school to the end of the month
of its latest incident.
"""

from __future__ import annotations

from functools import partial
from pathlib import Path

from django.db.models import F, Q

from safeguarding.core.modules import FrameSpec, ModuleContract, ReportSection, Theme
from safeguarding.encompass import home as encompass_home
from safeguarding.encompass import selectors

COLUMNS = {"la": "str", "child": "str", "day": "date"}

WHERE: dict[str, Q | None] = {
    "encompass_notifications": None,
    "encompass_notified_on_time": Q(sent_at__isnull=False, sent_at__lte=F("due_at")),
    "encompass_acknowledged": Q(acknowledged_at__isnull=False),
    "encompass_acknowledged_in_time": Q(acknowledged_at__isnull=False,
                                        acknowledged_at__date__lte=F("acknowledge_by")),
}


def _coverage(las: list[str]):
    return {"encompass": selectors.coverage_spans(las)}


FRAMES = (
    *(FrameSpec(name, COLUMNS, partial(selectors.frame_rows, where=where))
      for name, where in WHERE.items()),
    FrameSpec("encompass_repeat_notifications", COLUMNS, selectors.repeat_rows),
    FrameSpec("encompass_school_months", COLUMNS,
              partial(selectors.school_month_rows, with_key_adult=False)),
    FrameSpec("encompass_school_months_key_adult", COLUMNS,
              partial(selectors.school_month_rows, with_key_adult=True)),
)

MEASURES = ("encompass_notifications", "encompass_notified_on_time_rate",
            "encompass_acknowledged_rate", "encompass_acknowledged_in_time_rate",
            "encompass_schools_with_key_adult_rate", "encompass_repeat_notifications",
            "encompass_repeat_notifications_rate")

# How the yearly report says each measure, for exactly one and for any other number.
REPORT_SENTENCES: dict[str, str | tuple[str, str]] = {
    "encompass_notifications": (
        "In {year} the police sent schools {value} Operation Encompass notification",
        "In {year} the police sent schools {value} Operation Encompass notifications"),
    "encompass_notified_on_time_rate": (
        "{value} of notifications reached the school before the start of the next school "
        "day{out_of}"),
    "encompass_acknowledged_rate": "{value} of notifications were acknowledged by the "
                                   "school{out_of}",
    "encompass_acknowledged_in_time_rate": (
        "{value} of notifications were acknowledged by the school in time{out_of}"),
    "encompass_schools_with_key_adult_rate": "{value} of schools had a Key Adult{out_of}",
    "encompass_repeat_notifications": (
        "{value} notification was about a child notified before in the year",
        "{value} notifications were about a child notified before in the year"),
    "encompass_repeat_notifications_rate": (
        "{value} of notifications were about a child notified before in the year{out_of}"),
}

CONTRACT = ModuleContract(
    app_label="encompass",
    frames=FRAMES,
    coverage=_coverage,
    catalogue=Path(__file__).with_name("catalogue.yaml"),
    themes=(Theme("operation-encompass", "operation_encompass", "Operation Encompass",
                  "Police notifications to schools of domestic abuse incidents with children "
                  "present: sent before the start of the next school day, acknowledged by "
                  "the school's Key Adult, and schools with a Key Adult."),),
    report_sections=(ReportSection(
        "operation-encompass", "Operation Encompass", measures=MEASURES,
        intro="When the police attend a domestic abuse incident with children present, the "
              "partnership tells each child's school before the start of the next school "
              "day, so the school's Key Adult can support the child.",
        part_of="critical-moments", sentences=REPORT_SENTENCES,
        nouns={"encompass_notifications": ("notifications", "notification"),
               "encompass_repeat_notifications": ("repeat notifications",
                                                  "repeat notification")}),),
    # Notifications awaiting acknowledgement, and escalations for the lead (home.py).
    home_items=encompass_home.home_items,
)
