"""The linkage pairs on a person's home page (core/home.py, issue 18): pairs waiting for a
decision, for those who may decide (the business unit of the record's partnership).
Items give the agency and the match score, never a name or a date of birth."""

from __future__ import annotations

from django.urls import reverse

from safeguarding.core.modules import HomeItem
from safeguarding.core.rules import partnerships_where

# Pairs listed one by one; beyond this the queue links to the whole review list.
SHOWN = 10


def home_items(user) -> list[HomeItem]:
    from safeguarding.children.linkage.rules import LINKAGE_REVIEWERS
    from safeguarding.children.linkage.selectors import review_queue

    if not partnerships_where(user, LINKAGE_REVIEWERS):
        return []
    pending = review_queue(actor=user)
    total = pending.count()
    items = [HomeItem(kind="linkage",
                      title=f"Record from {c.source_record.agency.name}: a possible match "
                            f"({c.match_probability:.0%})",
                      url=reverse("children:linkage-decide", args=[c.pk]),
                      detail=f"{c.source_record.partnership.name}, waiting since "
                             f"{c.created_at:%-d %B %Y}")
             for c in pending[:SHOWN]]
    if total > SHOWN:
        items.append(HomeItem(kind="linkage", title=f"{total - SHOWN} more pairs to decide",
                              url=reverse("children:linkage-review")))
    return items
