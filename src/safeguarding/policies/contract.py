"""What the policies module gives the rest of the house (core/modules.py, ADR 0013).

Pseudonymous frames by LA, each row (the partnership's first LA, a review or policy
number, the day): policies falling overdue for review, reviews done and those done by their
date. The measures join the "Learning and development" theme that training declares (the
catalogue's ``themes``). ``home_items`` gives a policy's owner the policies due or overdue
for review. The figures count policies, never people, so everyone sees them in full.
"""

from __future__ import annotations

from functools import partial
from pathlib import Path

from django.urls import reverse

from safeguarding.core.modules import FrameSpec, HomeItem, ModuleContract
from safeguarding.policies import selectors

COLUMNS = {"la": "str", "child": "str", "on": "date"}

FRAMES = (
    FrameSpec("policies_overdue", COLUMNS, selectors.overdue_rows),
    FrameSpec("policies_reviewed", COLUMNS, selectors.review_rows),
    FrameSpec("policies_reviewed_on_time", COLUMNS,
              partial(selectors.review_rows, on_time=True)),
)


def _coverage(las: list[str]):
    return {"policies": selectors.coverage_spans(las)}


def home_items(user) -> list[HomeItem]:
    """Policies the person owns that are due for review soon or overdue."""
    from safeguarding.core.modules import today

    day = today()
    return [HomeItem(kind="review", title=f"Review the policy: {p.title}",
                     url=reverse("policies:policy", args=[p.pk]), due=p.review_due,
                     overdue=p.review_due < day,
                     detail="Overdue for review" if p.review_due < day else "Due for review")
            for p in selectors.owned_due(user, day) if user.has_perm("policies.manage", p)]


CONTRACT = ModuleContract(
    app_label="policies",
    frames=FRAMES,
    coverage=_coverage,
    catalogue=Path(__file__).with_name("catalogue.yaml"),
    records_feed_figures=True,
    home_items=home_items,
    counts_no_person=frozenset({"policies"}),
)
