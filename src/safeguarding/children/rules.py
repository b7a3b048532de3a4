"""Who may see and change a child's identifiable record."""

import rules

from safeguarding.core import roles
from safeguarding.core.rules import agencies_where, holds_any, partnerships_where

CHILD_ROLES = roles.CHILD_RECORDS_PARTNERSHIP_WIDE | roles.CHILD_RECORDS_WHERE_AGENCY_INVOLVED


def involved_agency_ids(child) -> set[int]:
    cached = getattr(child, "_involved_agency_ids", None)
    if cached is None:
        cached = {
            inv.agency_id for inv in child.involvements.all() if inv.ended_on is None
        }
        child._involved_agency_ids = cached
    return cached


@rules.predicate
def sees_child(user, child) -> bool:
    """The business unit of the child's partnership, or a seat of that same partnership
    whose agency has an open involvement with the child.

    A seat acts only for its own partnership: an agency that serves two partnerships
    does not carry one partnership's seat into the other's children. No partnership
    share grants the child index today (shares name their own functions).
    """
    if child is None:
        return False
    if child.partnership_id in partnerships_where(user, roles.CHILD_RECORDS_PARTNERSHIP_WIDE):
        return True
    own = agencies_where(user, roles.CHILD_RECORDS_WHERE_AGENCY_INVOLVED)
    return bool(own.get(child.partnership_id, set()) & involved_agency_ids(child))


@rules.predicate
def works_with_children(user) -> bool:
    return holds_any(user, CHILD_ROLES)


rules.add_perm("children.list_children", works_with_children)
rules.add_perm("children.view_child", sees_child)
rules.add_perm("children.change_child", sees_child)
rules.add_perm("children.add_child", works_with_children)

# Record linkage registers its permissions (review queue, agency records) here.
from safeguarding.children.linkage import rules as _linkage_rules  # noqa: E402,F401
