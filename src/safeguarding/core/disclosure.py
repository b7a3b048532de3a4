"""Statistical disclosure control: the one rule for every figure a person sees as an aggregate.

Anyone who does not see identifiable child records (analysts, board members, sub-group
members outside the panel) sees counts only through this module. The rule, from the
statistical disclosure practice DfE and ONS follow for children's social care and
child death statistics (docs/adr/0010-disclosure-control.md):

- primary suppression: a count from 1 to 4 is hidden; 0 may be shown;
- a percentage is hidden where its numerator, its denominator or the difference
  between them is from 1 to 4 (that difference is a count of children too);
- complementary (secondary) suppression: where cells add up to a total that is also
  shown (a table and its total, a year and its quarters or months, a partnership and
  its local authorities, a joint panel and its partnerships), a hidden cell must not
  be recoverable by subtraction. So while a group has exactly one hidden member, or
  its hidden cells could only all be 1, the next smallest non-zero cell is hidden too
  (the total, when no cell is left).

A group is applied only where its cells really add up to its total (checked on the
true values): where they do not (a count at the end of a period, children counted
once in a year but in several months), subtraction recovers nothing exact.

This module knows no domain app: callers hand it numbers keyed however they like.
"""

from __future__ import annotations

from collections.abc import Hashable, Iterable, Mapping
from dataclasses import dataclass
from typing import Generic, TypeVar

# The rule as data. Changing it here changes every output.
THRESHOLD = 5  # counts from 1 to THRESHOLD - 1 are hidden
SHOW_ZERO = True
SOURCE = ("DfE and ONS statistical disclosure practice for children's social care and child "
          "death statistics: counts of 1 to 4 are suppressed, 0 may be shown, and further "
          "cells are suppressed so that a suppressed count cannot be worked out from totals")

# Every text that names the threshold is made from it.
HIDDEN_TEXT = f"fewer than {THRESHOLD}"
SMALL_RANGE_TEXT = f"{1 if SHOW_ZERO else 0} to {THRESHOLD - 1}"  # the counts hidden
PRIMARY_REASON = (f"{HIDDEN_TEXT.capitalize()}: hidden so that children and families cannot "
                  "be identified (small numbers are hidden for everyone who sees figures only "
                  "as totals)")
SECONDARY_REASON = ("Hidden because another figure that adds up to the same total is "
                    f"{HIDDEN_TEXT} and could otherwise be worked out by subtraction")



def hidden_as_small(reason: str | None) -> bool:
    """Whether a figure's reason says it was hidden as a small number (so "fewer than 5" is
    true of it); one hidden by subtraction, or not recorded, may be any size."""
    return reason == PRIMARY_REASON


K = TypeVar("K", bound=Hashable)
Count = int | float | None  # a count; float where a cache row was stored as one


def is_small(n: int | float | None) -> bool:
    """A count that must be hidden: from 1 to 4 (0 may be shown)."""
    if n is None:
        return False
    return 0 < n < THRESHOLD if SHOW_ZERO else 0 <= n < THRESHOLD


def rate_disclosive(numerator: Count, denominator: Count) -> bool:
    """A percentage that would give away a small count: its numerator, its denominator or
    the children counted in the denominator but not the numerator number 1 to 4."""
    parts = [numerator, denominator]
    if numerator is not None and denominator is not None:
        parts.append(denominator - numerator)
    return any(is_small(n) for n in parts)


@dataclass(frozen=True)
class Group(Generic[K]):
    """Cells that add up to a total, all of which one person can see."""

    total: K
    cells: tuple[K, ...]

    def members(self) -> tuple[K, ...]:
        return (self.total, *self.cells)


def group(total: K, cells: Iterable[K]) -> Group[K]:
    return Group(total, tuple(cells))


def _adds_up(values: Mapping, g: Group) -> bool:
    known = [values.get(k) for k in g.members()]
    if any(v is None for v in known) or not g.cells:
        return False
    return sum(values[k] for k in g.cells) == values[g.total]


def _exposed(values: Mapping, g: Group, hidden: Mapping) -> bool:
    """Whether subtraction would give away a hidden member of the group."""
    hidden_members = [k for k in g.members() if k in hidden]
    if not hidden_members:
        return False
    if len(hidden_members) == 1:
        return True
    cells = [k for k in g.cells if k in hidden]
    # Only cells hidden and all of them 1: their known sum pins each to 1.
    return g.total not in hidden and all(values[k] == 1 for k in cells)


def suppress(values: Mapping[K, Count], groups: Iterable[Group[K]] = (),
             *, hidden: Mapping[K, str] | None = None) -> dict[K, str]:
    """The keys to hide, each with its reason (PRIMARY_REASON or SECONDARY_REASON).

    ``values`` holds true counts (None where there is nothing to count); ``hidden`` is
    what is hidden already for another reason (a percentage hidden by its parts, a cell
    hidden in another view of the same numbers). Groups whose cells do not add up to
    their total are left out. Repeats until no group gives a hidden cell away.
    """
    out: dict[K, str] = dict(hidden or {})
    for key, value in values.items():
        if is_small(value) and key not in out:
            out[key] = PRIMARY_REASON
    return _complement_only(values, list(groups), out)


def suppress_rates(numerators: Mapping[K, Count], denominators: Mapping[K, Count],
                   groups: Iterable[Group[K]] = (), *,
                   hidden: Mapping[K, str] | None = None) -> dict[K, str]:
    """Hidden percentages: each whose parts are disclosive, then as many more as stop the
    hidden numerators or denominators being worked out from a group's totals."""
    groups = list(groups)
    out: dict[K, str] = dict(hidden or {})
    out |= {k: PRIMARY_REASON for k in numerators
            if k not in out and rate_disclosive(numerators[k], denominators.get(k))}
    while True:
        before = len(out)
        out = _complement_only(numerators, groups, out)
        out = _complement_only(denominators, groups, out)
        if len(out) == before:
            return out


def _complement_only(values: Mapping[K, Count], groups: list[Group[K]],
                     hidden: dict[K, str]) -> dict[K, str]:
    """Complementary suppression without primary suppression of ``values`` themselves."""
    out = dict(hidden)
    live = [g for g in groups if _adds_up(values, g)]
    changed = True
    while changed:
        changed = False
        for g in live:
            if not _exposed(values, g, out):
                continue
            spare = sorted((values[k], str(k), k) for k in g.cells
                           if k not in out and values[k])
            if spare:
                out[spare[0][2]] = SECONDARY_REASON
            elif g.total not in out:
                out[g.total] = SECONDARY_REASON
            else:
                continue
            changed = True
    return out


def protect_difference(whole: Mapping[K, Count], part: Mapping[K, Count],
                       hidden_whole: Mapping[K, str], hidden_part: Mapping[K, str],
                       groups: Iterable[Group[K]] = ()) -> dict[K, str]:
    """Hide more of ``whole`` so that ``whole - part`` (the figures of something the person
    may not see, such as a partnership inside a joint panel) gives nothing small away.

    A cell of the difference is known where both figures are shown; where it is 1 to 4 the
    whole's cell is hidden. The differences then get complementary suppression in their own
    groups, again by hiding cells of the whole. Returns the whole's hidden keys.
    """
    groups = list(groups)
    out = dict(hidden_whole)
    diff = {k: (None if whole.get(k) is None else whole[k] - (part.get(k) or 0))  # type: ignore[operator]
            for k in whole}
    while True:
        before = len(out)
        for k, d in diff.items():
            if k not in out and k not in hidden_part and is_small(d):
                out[k] = SECONDARY_REASON
        # A difference is unknown wherever either side is hidden.
        unknown = dict(out) | {k: r for k, r in hidden_part.items() if k in diff}
        extra = _complement_only(diff, groups, unknown)
        for k, reason in extra.items():
            if k not in unknown:
                out[k] = reason
        # What the whole now hides must not be given away by the whole's own totals.
        out = _complement_only(whole, groups, out)
        if len(out) == before:
            return out
