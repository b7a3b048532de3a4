"""Who may see the dashboard, set targets and drill into the children behind a figure."""

import rules

from safeguarding.core import roles
from safeguarding.core.rules import holds_any, partnerships_where, seats

DASHBOARD_ROLES = frozenset({roles.Role.BUSINESS_UNIT, roles.Role.BOARD_MEMBER,
                             roles.Role.SUB_GROUP_MEMBER, roles.Role.ANALYST})
TARGET_SETTERS_SUB_GROUP = "Scrutiny and Assurance"


@rules.predicate
def sees_dashboard(user) -> bool:
    return holds_any(user, DASHBOARD_ROLES)


@rules.predicate
def sees_partnership_dashboard(user, partnership) -> bool:
    return partnership is not None and partnership.pk in partnerships_where(user, DASHBOARD_ROLES)


@rules.predicate
def sets_targets(user, partnership) -> bool:
    if partnership is None:
        return False
    if partnership.pk in partnerships_where(user, {roles.Role.BUSINESS_UNIT}):
        return True
    from safeguarding.core.models import SubGroup

    groups = {s.sub_group_id for s in seats(user)
              if s.role == roles.Role.SUB_GROUP_MEMBER and s.partnership_id == partnership.pk}
    return SubGroup.objects.filter(pk__in=groups, name=TARGET_SETTERS_SUB_GROUP).exists()


@rules.predicate
def drills_to_children(user, partnership) -> bool:
    return partnership is not None and partnership.pk in partnerships_where(
        user, roles.CHILD_RECORDS_PARTNERSHIP_WIDE)


rules.add_perm("measures.view_dashboard", sees_dashboard)
rules.add_perm("measures.view_partnership_dashboard", sees_partnership_dashboard)
rules.add_perm("measures.set_target", sets_targets)
rules.add_perm("measures.drill_to_children", drills_to_children)
