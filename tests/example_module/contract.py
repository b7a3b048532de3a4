"""The example module's contribution: one frame, one measure, one theme, one report section.

Its records are a constant here (a real module would read its own models): home
visits by LA and LA child ID, each on a day. Nothing outside this folder names it.
"""

from __future__ import annotations

import datetime as dt
from pathlib import Path

from safeguarding.core.modules import FrameSpec, ModuleContract, ReportSection, Theme

# Fourteen visits in 2020-21, all in Staffordshire (LA 860); the records cover 2019-21.
VISITS = [("860", f"C{n:03}", dt.date(2020, 4, 1) + dt.timedelta(days=20 * n))
          for n in range(14)]


def _visits(las: list[str]):
    return [row for row in VISITS if row[0] in las]


def _coverage(las: list[str]):
    return {"example_visits": [(la, dt.date(2019, 4, 1), dt.date(2021, 3, 31))
                               for la in las if la == "860"]}


CONTRACT = ModuleContract(
    app_label="example_module",
    frames=(FrameSpec("example_home_visits", {"la": "str", "child": "str", "visited_on": "date"},
                      _visits),),
    coverage=_coverage,
    catalogue=Path(__file__).with_name("catalogue.yaml"),
    themes=(Theme("home-visits", "example_home_visits", "Home visits",
                  "Visits to children at home by the example service."),),
    report_sections=(ReportSection("home-visits", "Home visits",
                                   measures=("example_home_visits",)),),
)
