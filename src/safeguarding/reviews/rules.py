"""Who may do what with learning reviews.

Each person gets a level per partnership, from their seats:

- the partnership's business unit: ``FULL`` (everything);
- members of its Practice Reviews sub-group: ``CONTRIBUTE`` (read, and add returns,
  chronology, findings, recommendations, actions, learning events);
- board members: ``SUMMARY`` (reviews without child identities);
- analysts: ``AGGREGATE`` (statistics only).

A partnership that shares practice-review coordination with another
(``PartnershipShare``, function ``practice_reviews``) lets the other partnership's
people see its records at their own level, capped at ``READ``: the other business
unit reads in full but does not change.

Practitioners and school key adults have no level; they see and update the actions
their own agency owns.

Themes: a business unit adds, renames and retires its own partnership's themes and no
other's; system administrators look after the national list (themes with no
partnership) and may correct any theme.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from enum import IntEnum

import rules

from safeguarding.children.rules import sees_child
from safeguarding.core.roles import Role
from safeguarding.core.rules import seats, shares, sub_groups_named

# Sub-groups that do the practice-review work, matched on the name without case.
PRACTICE_REVIEW_SUB_GROUPS = frozenset({
    "practice reviews", "practice review group", "cspr", "cspr sub-group",
    "child safeguarding practice reviews",
})
ACTION_OWNER_ROLES = frozenset({Role.PRACTITIONER, Role.SCHOOL_KEY_ADULT})


class Level(IntEnum):
    NONE = 0
    AGGREGATE = 1
    SUMMARY = 2
    READ = 3
    CONTRIBUTE = 4
    FULL = 5


_ROLE_LEVEL: dict[str, Level] = {
    Role.BUSINESS_UNIT: Level.FULL,
    Role.BOARD_MEMBER: Level.SUMMARY,
    Role.ANALYST: Level.AGGREGATE,
}


@dataclass
class ReviewAccess:
    levels: dict[int, Level] = field(default_factory=dict)
    # (partnership, agency) pairs whose actions the user updates: a seat's agency owns
    # actions only in the seat's own partnership.
    action_seats: frozenset[tuple[int, int]] = frozenset()
    manages_themes: bool = False
    manages_all_themes: bool = False
    theme_partnerships: frozenset[int] = frozenset()

    def level(self, partnership_id: int | None) -> Level:
        return self.levels.get(partnership_id, Level.NONE) if partnership_id else Level.NONE

    def partnerships(self, at_least: Level) -> set[int]:
        return {p for p, lvl in self.levels.items() if lvl >= at_least}

    def best(self) -> Level:
        return max(self.levels.values(), default=Level.NONE)


def review_access(user) -> ReviewAccess:
    """Work out the user's levels once per user object (once per request)."""
    cached = getattr(user, "_reviews_access", None)
    if cached is not None:
        return cached
    access = ReviewAccess()
    held = seats(user)
    if held:
        review_groups = sub_groups_named(held, PRACTICE_REVIEW_SUB_GROUPS)
        levels: dict[int, Level] = {}
        agencies = set()
        for seat in held:
            if seat.role == Role.SUB_GROUP_MEMBER:
                level = Level.CONTRIBUTE if seat.sub_group_id in review_groups else Level.NONE
            else:
                level = _ROLE_LEVEL.get(seat.role, Level.NONE)
            if level > levels.get(seat.partnership_id, Level.NONE):
                levels[seat.partnership_id] = level
            if seat.role in ACTION_OWNER_ROLES:
                agencies.add((seat.partnership_id, seat.agency_id))
            if seat.role == Role.SYSTEM_ADMINISTRATOR:
                access.manages_themes = access.manages_all_themes = True
            if seat.role == Role.BUSINESS_UNIT:
                access.manages_themes = True
                access.theme_partnerships |= {seat.partnership_id}
        own = dict(levels)  # a share grants from the person's own levels, never onwards
        for owner_id, shared_with_id in shares(user, "practice_reviews"):
            if shared_with_id not in own:
                continue
            granted = min(own[shared_with_id], Level.READ)
            if granted > levels.get(owner_id, Level.NONE):
                levels[owner_id] = granted
        access.levels = {p: lvl for p, lvl in levels.items() if lvl > Level.NONE}
        access.action_seats = frozenset(agencies)
    user._reviews_access = access
    return access


def partnership_of(obj) -> int | None:
    """The owning partnership of any review record."""
    from safeguarding.core.models import Partnership
    from safeguarding.reviews import models as m

    if obj is None:
        return None
    if isinstance(obj, Partnership):
        return obj.pk
    if isinstance(obj, m.RapidReview):
        return obj.incident.partnership_id
    if isinstance(obj, m.AgencyReturn | m.ChronologyEntry):
        return obj.rapid_review.incident.partnership_id
    if isinstance(obj, m.Finding):
        return partnership_of(obj.review)
    if isinstance(obj, m.Recommendation):
        return partnership_of(obj.finding)
    return getattr(obj, "partnership_id", None)


def _at_least(name: str, level: Level):
    @rules.predicate(name=name)
    def predicate(user, obj) -> bool:
        return review_access(user).level(partnership_of(obj)) >= level

    return predicate


manages = _at_least("manages_review_record", Level.FULL)
contributes = _at_least("contributes_to_review_record", Level.CONTRIBUTE)
reads = _at_least("reads_review_record", Level.READ)
reads_summary = _at_least("reads_review_summary", Level.SUMMARY)


@rules.predicate
def opens_reviews(user) -> bool:
    access = review_access(user)
    return access.best() > Level.NONE or bool(access.action_seats) or access.manages_themes


@rules.predicate
def adds_incidents(user) -> bool:
    return review_access(user).best() >= Level.FULL


@rules.predicate
def lists_reviews(user) -> bool:
    return review_access(user).best() >= Level.SUMMARY


@rules.predicate
def contributes_somewhere(user) -> bool:
    return review_access(user).best() >= Level.CONTRIBUTE


@rules.predicate
def lists_actions(user) -> bool:
    access = review_access(user)
    return access.best() >= Level.SUMMARY or bool(access.action_seats)


@rules.predicate
def sees_statistics(user) -> bool:
    return review_access(user).best() >= Level.AGGREGATE


@rules.predicate
def manages_themes(user) -> bool:
    return review_access(user).manages_themes


@rules.predicate
def manages_theme(user, theme) -> bool:
    """Themes of the user's own partnership (business unit), or any (system administrator).

    ``theme`` may also be a partnership (may add a theme for it) or None (the national list).
    """
    from safeguarding.core.models import Partnership

    access = review_access(user)
    if access.manages_all_themes:
        return True
    owner = theme.pk if isinstance(theme, Partnership) else getattr(theme, "partnership_id", None)
    return owner is not None and owner in access.theme_partnerships


@rules.predicate
def owns_action(user, action) -> bool:
    return action is not None and (
        (action.partnership_id, action.owner_agency_id) in review_access(user).action_seats)


@rules.predicate
def names_child_in_review(user, child) -> bool:
    """A child's identity, read from a review: the child rule, or a review read in full."""
    if child is None:
        return False
    if sees_child(user, child):
        return True
    readable = review_access(user).partnerships(Level.READ)
    if not readable:
        return False
    from safeguarding.reviews.models import SeriousIncident

    return SeriousIncident.objects.filter(children=child, partnership_id__in=readable).exists()


@rules.predicate
def links_child_to_review(user, child) -> bool:
    """Naming a child in a review record: the child rule, or the business unit of a
    partnership that coordinates practice reviews for the child's partnership."""
    if child is None:
        return False
    if sees_child(user, child):
        return True
    managed = review_access(user).partnerships(Level.FULL)
    if not managed:
        return False
    from safeguarding.core.models import PartnershipShare

    return PartnershipShare.objects.filter(
        function="practice_reviews", owner_id__in=managed,
        shared_with_id=child.partnership_id).exists()


rules.add_perm("reviews.open", opens_reviews)
rules.add_perm("reviews.add_incident", adds_incidents)
rules.add_perm("reviews.list_records", lists_reviews)
rules.add_perm("reviews.contribute_somewhere", contributes_somewhere)
rules.add_perm("reviews.list_actions", lists_actions)
rules.add_perm("reviews.view_statistics", sees_statistics)
rules.add_perm("reviews.manage_themes", manages_themes)
rules.add_perm("reviews.manage_theme", manages_theme)
# Object permissions: ``obj`` is any record of the app, judged by its partnership.
rules.add_perm("reviews.manage_record", manages)
rules.add_perm("reviews.contribute_record", contributes)
rules.add_perm("reviews.view_record", reads)
rules.add_perm("reviews.view_summary", reads_summary)
rules.add_perm("reviews.view_action", reads_summary | owns_action)
rules.add_perm("reviews.update_action", contributes | owns_action)
rules.add_perm("reviews.view_child", names_child_in_review)
rules.add_perm("reviews.link_child", links_child_to_review)
