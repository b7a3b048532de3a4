"""Who may work the linkage review queue: the business unit of the record's partnership only.

Practitioners, analysts, board members and system administrators may not: the
queue shows identifiable records from every agency side by side.
"""

import rules

from safeguarding.core import roles
from safeguarding.core.rules import holds_any, partnerships_where

LINKAGE_REVIEWERS = frozenset({roles.Role.BUSINESS_UNIT})


@rules.predicate
def reviews_links(user) -> bool:
    return holds_any(user, LINKAGE_REVIEWERS)


@rules.predicate
def reviews_links_for(user, obj) -> bool:
    """``obj`` is a SourceRecord or a LinkCandidate; the test is its partnership."""
    if obj is None:
        return False
    record = getattr(obj, "source_record", obj)
    return record.partnership_id in partnerships_where(user, LINKAGE_REVIEWERS)


rules.add_perm("children.review_links", reviews_links)
rules.add_perm("children.decide_link", reviews_links_for)
rules.add_perm("children.view_source_record", reviews_links_for)
