"""Restraint reviews on a person's home page (core/home.py, issue 18): incidents not yet
reviewed, due within 5 working days or overdue, for the reviewers of the partnership's
establishments. Items give the establishment's incident key, never a name."""

from __future__ import annotations

from django.urls import reverse
from django.utils import timezone

from safeguarding.core.home import capped, horizon
from safeguarding.core.modules import HomeItem
from safeguarding.restraint.models import Incident
from safeguarding.restraint.selectors import establishments_for


def home_items(user) -> list[HomeItem]:
    establishments = list(establishments_for(user))
    if not establishments:
        return []
    on = timezone.localdate()
    last = horizon(on)
    items = []
    for est in establishments:
        due = (Incident.objects.filter(establishment=est, review__isnull=True,
                                       review_due__lte=last)
               .order_by("review_due", "pk").only("pk", "reference", "review_due"))
        found = [HomeItem(kind="review", title=f"Review restraint {i.reference}",
                          url=reverse("restraint:incident-review", args=[i.pk]),
                          due=i.review_due, overdue=i.review_due < on,
                          detail=f"{est.name}: reviewed by the next working day")
                 for i in due]
        items += capped(found, more="{n} more restraint reviews due or overdue",
                        url=reverse("restraint:due", args=[est.pk]), kind="review")
    return items
