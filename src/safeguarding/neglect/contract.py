"""What the GCP2 (neglect) module gives the rest of the house (core/modules.py, ADR 0013).

Pseudonymous frames by LA, each row (the partnership's first LA, a record key, the day):
assessments counted by agencies' summaries (dated the quarter's end), champions trained and
active, licences issued and current. The record keys are an assessment's place in a
summary, a champion's or a practitioner's number, never a name and never a child. GCP2 is
recorded for the partnership as a whole (selectors._hosts). The assessments are of
children, and how many showed neglect is a fact about them, so these figures go through
disclosure control for everyone but the business unit, like the census's (ADR 0039).

The measures carry the dashboard's "neglect" theme (measures/views.py), so they show on the
Neglect theme and in the yearly report's neglect priority (reports/modules/measures.py
lists every other measure of that theme), and the "learning_and_development" theme.

Home items: the business unit's licences expiring soon, and the assessment summaries an
agency seat's agency owes.
"""

from __future__ import annotations

from functools import partial
from pathlib import Path

from django.urls import reverse
from django.utils import timezone

from safeguarding.core.modules import FrameSpec, HomeItem, ModuleContract
from safeguarding.neglect import config, selectors

COLUMNS = {"la": "str", "child": "str", "day": "date"}

FRAMES = (
    *(FrameSpec(f"gcp2_assessments_{which}", COLUMNS,
                partial(selectors.assessment_rows, which=which))
      for which in ("completed", "graded", "concern", "reviewed", "improved")),
    FrameSpec("gcp2_champions_trained", COLUMNS, partial(selectors.champion_rows,
                                                         dated="trained")),
    FrameSpec("gcp2_champions_active", COLUMNS, selectors.champion_rows),
    FrameSpec("gcp2_licences_issued", COLUMNS, partial(selectors.licence_rows, dated="issued")),
    FrameSpec("gcp2_licences_current", COLUMNS, selectors.licence_rows),
)

MEASURES = ("gcp2_assessments_completed", "gcp2_assessments_concern_rate",
            "gcp2_reviews_improved_rate", "gcp2_champions_trained", "gcp2_champions_active",
            "gcp2_licences_issued", "gcp2_licences_current")


def _coverage(las: list[str]):
    return {"gcp2": selectors.coverage_spans(las)}


def home_items(user) -> list[HomeItem]:
    """The business unit: one item for the licences expiring soon in its partnership. An
    agency seat: each assessment summary its agency owes (a quarter ended with a licensed
    practitioner and no summary yet)."""
    from safeguarding.neglect.models import Licence
    from safeguarding.neglect.rules import agency_seats, managed

    today = timezone.localdate()
    items: list[HomeItem] = []
    for pid in sorted(managed(user)):
        soon = selectors.expiring(Licence.objects.filter(partnership_id=pid), today)
        count = soon.count()
        if count:
            first = soon.order_by("expires_on").first()
            items.append(HomeItem(
                kind="review",
                title=(f"{count} GCP2 licence{'s' if count != 1 else ''} "
                       f"expir{'e' if count != 1 else 'es'} in the next "
                       f"{config.expiring_soon_days()} days"),
                url=reverse("neglect:expiring"), due=first.expires_on if first else None,
                detail="Renew or let lapse"))
    pairs = [(p, a) for p, a in selectors.agencies_for(user)
             if (p.pk, a.pk) in agency_seats(user)]
    for found in selectors.owed(pairs, today):
        items.append(HomeItem(
            kind="return",
            title=f"GCP2 assessment summary for {found.agency.name}, {found.period}",
            url=reverse("neglect:summary-add") + f"?agency={found.agency.pk}"
                f"&partnership={found.partnership.pk}&period={found.period}",
            due=found.due, overdue=found.due < today))
    return items


CONTRACT = ModuleContract(
    app_label="neglect",
    frames=FRAMES,
    coverage=_coverage,
    catalogue=Path(__file__).with_name("catalogue.yaml"),
    records_feed_figures=True,
    home_items=home_items,
)
