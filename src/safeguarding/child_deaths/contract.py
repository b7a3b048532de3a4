"""What child death reviews give the rest of the house (core/modules.py, ADR 0013).

Case frames for the measure engine (measures/case_measures.py): record ids, dates,
codes and the child's pseudonym, never a name. A partnership's child deaths are
those of its children.
"""

from __future__ import annotations

import datetime as dt
from pathlib import Path

from django.db.models import Min

from safeguarding.child_deaths import home as child_deaths_home
from safeguarding.child_deaths.models import CdopReview, ChildDeath
from safeguarding.child_deaths.rules import Scope, scope_access
from safeguarding.core.models import Partnership
from safeguarding.core.modules import FrameSpec, ModuleContract


def _child_deaths(partnership: Partnership):
    deaths = ChildDeath.objects.filter(partnership=partnership)
    return [(pk, pseudonym, notified_on, age_days, expected, len(triggers or []))
            for pk, pseudonym, notified_on, age_days, expected, triggers in deaths.values_list(
                "pk", "child__pseudonym", "notified_on", "age_at_death_days", "expected",
                "jar_triggers")]


def _cdop_reviews(partnership: Partnership):
    return CdopReview.objects.filter(case__partnership=partnership).values_list(
        "case_id", "review_date", "category", "modifiable")


def first_death_day(partnership: Partnership) -> dt.date | None:
    return ChildDeath.objects.filter(partnership=partnership).aggregate(
        d=Min("notified_on"))["d"]


FRAMES = (
    FrameSpec("child_deaths", {"case": "int", "child": "str", "notified_on": "date",
                               "age_at_death_days": "int", "expected": "str",
                               "jar_triggers": "int"}, _child_deaths, scope="partnership"),
    FrameSpec("cdop_reviews", {"case": "int", "review_date": "date", "category": "int",
                               "modifiable": "str"}, _cdop_reviews, scope="partnership"),
)

def sees_in_full(user, partnership: Partnership) -> bool:
    """Child death figures in full go to the panel and its business unit only (rules.py);
    everyone else sees them with small numbers hidden."""
    scope = Scope(partnership.code, partnership.name, frozenset({partnership.pk}))
    return scope_access(user, scope) == "full"


CONTRACT = ModuleContract(
    app_label="child_deaths", frames=FRAMES, first_case_day={"child_deaths": first_death_day},
    catalogue=Path(__file__).with_name("catalogue.yaml"), records_feed_figures=True,
    sees_in_full={"child_deaths": sees_in_full},
    # The panel's clocks on a person's home page (home.py, issue 18).
    home_items=child_deaths_home.home_items, home_picture=child_deaths_home.home_picture)
