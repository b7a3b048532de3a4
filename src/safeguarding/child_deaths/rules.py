"""Who may see child death review records.

Case records go only to the panel and its business unit:
- members of a sub-group named "Child Death Overview Panel" in the case's
  partnership, or in the partnership that hosts a panel shared with it
  (core.PartnershipShare, function "child_death_review");
- the business unit of the case's partnership or of that hosting partnership.
Analysts see aggregates only (statistics, with small numbers suppressed).
Everyone else, system administrators included, is refused.

Themes belong to the panel, and so to the partnership hosting it (for a joint panel, the
owner of the share): only that partnership's business unit adds, retires and restores
them. The seeded list belongs to no partnership and no business unit changes it.
"""

from __future__ import annotations

from dataclasses import dataclass

import rules

from safeguarding.core.models import Partnership, PartnershipShare, SharedFunction, SubGroup
from safeguarding.core.roles import Role
from safeguarding.core.rules import partnerships_where, seats
from safeguarding.core.rules import shares as partnership_shares

PANEL_SUB_GROUP = "Child Death Overview Panel"
FUNCTION = SharedFunction.CHILD_DEATH_REVIEW


def _panel_member_partnerships(user) -> set[int]:
    """The partnerships whose panel the person sits on: a sub-group seat in the panel (a
    membership's sub-group is of its own partnership: ``Membership.clean``)."""
    panel = [s for s in seats(user) if s.role == Role.SUB_GROUP_MEMBER and s.sub_group_id]
    if not panel:
        return set()
    if any(s.sub_group_name is None for s in panel):  # seats not read by core.rules.seats
        return set(SubGroup.objects.filter(
            pk__in={s.sub_group_id for s in panel}, name__iexact=PANEL_SUB_GROUP)
            .values_list("partnership_id", flat=True))
    return {s.partnership_id for s in panel
            if (s.sub_group_name or "").lower() == PANEL_SUB_GROUP.lower()}


def case_partnerships(user) -> frozenset[int]:
    """The partnerships whose child death records the user may open (once per request)."""
    if not seats(user):
        return frozenset()
    cached = getattr(user, "_child_death_partnerships", None)
    if cached is None:
        direct = _panel_member_partnerships(user) | partnerships_where(user, {Role.BUSINESS_UNIT})
        shared = {with_id for owner, with_id in partnership_shares(user, FUNCTION)
                  if owner in direct}
        cached = frozenset(direct | shared)
        user._child_death_partnerships = cached
    return cached


def analyst_partnerships(user) -> frozenset[int]:
    return frozenset(partnerships_where(user, {Role.ANALYST}))


def hosting_partnership_id(partnership_id: int) -> int:
    """The partnership that hosts the panel reviewing this partnership's deaths."""
    host = (
        PartnershipShare.objects.filter(shared_with_id=partnership_id, function=FUNCTION)
        .order_by("owner_id")
        .values_list("owner_id", flat=True)
        .first()
    )
    return host or partnership_id


@dataclass(frozen=True)
class Scope:
    """What a statistic covers: one partnership, or a joint panel's partnerships."""

    key: str
    label: str
    partnership_ids: frozenset[int]


def scopes() -> list[Scope]:
    """Every partnership, then every joint panel (keyed "panel-" + the host's code)."""
    found = [Scope(p.code, p.name, frozenset({p.pk})) for p in Partnership.objects.all()]
    shares = PartnershipShare.objects.filter(function=FUNCTION).select_related("owner")
    panels: dict[int, set[int]] = {}
    hosts: dict[int, Partnership] = {}
    for share in shares:
        panels.setdefault(share.owner_id, {share.owner_id}).add(share.shared_with_id)
        hosts[share.owner_id] = share.owner
    for host_id, members in panels.items():
        host = hosts[host_id]
        found.append(
            Scope(f"panel-{host.code}", f"Joint panel hosted by {host.name}", frozenset(members))
        )
    return found


def scope_access(user, scope: Scope) -> str | None:
    """ "full", "suppressed" (analysts: small numbers hidden) or None (refused)."""
    if scope.partnership_ids and scope.partnership_ids <= case_partnerships(user):
        return "full"
    if scope.partnership_ids & analyst_partnerships(user):
        return "suppressed"
    return None


def scopes_for(user) -> list[tuple[Scope, str]]:
    return [(s, access) for s in scopes() if (access := scope_access(user, s))]


@rules.predicate
def works_on_panel(user) -> bool:
    return bool(case_partnerships(user))


@rules.predicate
def is_analyst(user) -> bool:
    return bool(analyst_partnerships(user))


@rules.predicate
def sees_case(user, case) -> bool:
    return case is not None and case.partnership_id in case_partnerships(user)


@rules.predicate
def may_link_child(user, child) -> bool:
    return child is not None and child.partnership_id in case_partnerships(user)


def theme_partnerships(user) -> frozenset[int]:
    """The partnerships hosting a panel whose themes the user manages (its business unit)."""
    return frozenset(
        p for p in partnerships_where(user, {Role.BUSINESS_UNIT}) if hosting_partnership_id(p) == p
    )


@rules.predicate
def is_panel_business_unit(user) -> bool:
    return bool(theme_partnerships(user))


@rules.predicate
def manages_theme(user, theme) -> bool:
    owner = getattr(theme, "partnership_id", None)
    return owner is not None and owner in theme_partnerships(user)


rules.add_perm("child_deaths.open", works_on_panel | is_analyst)
rules.add_perm("child_deaths.list_cases", works_on_panel)
rules.add_perm("child_deaths.notify", works_on_panel)
rules.add_perm("child_deaths.view_case", sees_case)
rules.add_perm("child_deaths.change_case", sees_case)
rules.add_perm("child_deaths.export_case", sees_case)
rules.add_perm("child_deaths.link_child", may_link_child)
rules.add_perm("child_deaths.view_statistics", works_on_panel | is_analyst)
rules.add_perm("child_deaths.manage_themes", is_panel_business_unit)
rules.add_perm("child_deaths.manage_theme", manages_theme)
