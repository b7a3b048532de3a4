"""Merge one child's versions from several years' returns into one history.

Returns overlap: an episode open across 31 March is in both years' returns,
and a later return may no longer carry what ended before its year began (an
assessment authorised last year, a plan that ended). So every part is keyed
as DfE keys it, and for each key the latest return's version wins:

- an episode by its referral date;
- an assessment, CIN plan or section 47 enquiry, within its episode, by its
  start date (and its place among parts starting the same day);
- a child protection plan by the child and its start date, under the
  episode of the version that won.

A part a later return no longer carries is kept from the return that did,
so look-back measures (re-referrals, previous plans) see the whole history.
"""

from __future__ import annotations

import hashlib
from collections import Counter
from collections.abc import Callable
from dataclasses import dataclass, field

import orjson

PARTS = {"assessments": "AssessmentActualStartDate", "cin_plans": "CINPlanStartDate",
         "section47s": "S47ActualStartDate"}


def canonical(value) -> str:
    """Compact JSON with sorted keys: the same value always gives the same text.

    orjson rather than the standard library: a census writes every child's
    snapshot, and json.dumps was a tenth of the import's time.
    """
    return orjson.dumps(value, option=orjson.OPT_SORT_KEYS).decode()


def digest(value) -> str:
    return digest_of_text(canonical(value))


def digest_of_text(text: str) -> str:
    return hashlib.sha256(text.encode()).hexdigest()[:32]


@dataclass
class MergedEpisode:
    year: int
    fields: dict
    parts: dict[str, dict[tuple[str, int], tuple[int, dict]]]


@dataclass
class Merged:
    child: dict
    first_year: int
    last_year: int
    episodes: dict[str, MergedEpisode] = field(default_factory=dict)
    cpps: dict[str, tuple[int, dict, str]] = field(default_factory=dict)

    def episode_digests(self) -> dict[str, str]:
        return {ref: digest([ep.fields, {part: sorted((key, item) for key, (_y, item) in v.items())
                                         for part, v in ep.parts.items()}])
                for ref, ep in self.episodes.items()}

    def cpp_digests(self) -> dict[str, str]:
        return {start: digest([plan, ref]) for start, (_year, plan, ref) in self.cpps.items()}


def merge(versions: list[tuple[int, dict]]) -> Merged | None:
    """Fold (collection year, record) pairs, oldest first; None when there are none."""
    if not versions:
        return None
    ordered = sorted(versions, key=lambda pair: pair[0])
    latest_year, latest = ordered[-1]
    merged = Merged(child={k: v for k, v in latest.items() if k != "episodes"},
                    first_year=ordered[0][0], last_year=latest_year)
    for year, record in ordered:
        for episode in record["episodes"]:
            ref = episode["CINreferralDate"]
            slot = merged.episodes.get(ref)
            if slot is None:
                slot = merged.episodes[ref] = MergedEpisode(year, {}, {p: {} for p in PARTS})
            slot.year = year
            slot.fields = {k: v for k, v in episode.items() if k not in PARTS and k != "cpps"}
            for part, key_field in PARTS.items():
                items = episode.get(part)
                if not items:
                    continue
                kept = slot.parts[part]
                seen: dict[str, int] = {}  # parts starting the same day: their places
                for item in items:
                    key = item[key_field]
                    place = seen.get(key, 0)
                    kept[(key, place)] = (year, item)
                    seen[key] = place + 1
            for plan in episode.get("cpps", ()):
                merged.cpps[plan["CPPstartDate"]] = (year, plan, ref)
    return merged


def compare(before: dict[str, str], after: dict[str, str]) -> Counter:
    """Keyed digests before and after: how many keys were added, updated, unchanged, removed."""
    counts: Counter = Counter()
    for key, value in after.items():
        if key not in before:
            counts["added"] += 1
        elif before[key] != value:
            counts["updated"] += 1
        else:
            counts["unchanged"] += 1
    counts["removed"] += sum(1 for key in before if key not in after)
    return counts


def history_change(before: Merged | None, after: Merged | None) -> Counter:
    """How the merged history of one child changed: episodes_added, cpps_updated, ..."""
    counts: Counter = Counter()
    if before is None and after is not None:
        # A child new to the history: everything is added, and digests would only cost.
        counts["episodes_added"] += len(after.episodes)
        counts["cpps_added"] += len(after.cpps)
        return counts
    pairs = (("episodes", lambda m: m.episode_digests()), ("cpps", lambda m: m.cpp_digests()))
    for name, digests in pairs:
        change = compare(digests(before) if before else {}, digests(after) if after else {})
        for what, n in change.items():
            counts[f"{name}_{what}"] += n
    return counts


def _cin_episodes(record: dict) -> dict[str, str]:
    return {ep["CINreferralDate"]: digest(ep) for ep in record["episodes"]}


def _cin_cpps(record: dict) -> dict[str, str]:
    return {plan["CPPstartDate"]: digest(plan) for ep in record["episodes"] for plan in ep["cpps"]}


CIN_PARTS: dict[str, Callable[[dict], dict[str, str]]] = {
    "episodes": _cin_episodes, "cpps": _cin_cpps}


def return_change(old: dict | None, new: dict | None,
                  parts: dict[str, Callable[[dict], dict[str, str]]] = CIN_PARTS) -> Counter:
    """How one child differs between two versions of the same year's return.

    ``parts`` names each part counted (episodes_added, ...) and keys its items'
    digests within a record: the CIN census's by default, the SSDA903's in
    ``ssda903_merge``.
    """
    counts: Counter = Counter()
    if old is None and new is None:
        return counts
    if old is None:
        counts["children_added"] += 1
    elif new is None:
        counts["children_removed"] += 1
    elif digest(old) != digest(new):
        counts["children_changed"] += 1
    else:
        counts["children_unchanged"] += 1
    for name, keyed in parts.items():
        change = compare(keyed(old) if old is not None else {},
                         keyed(new) if new is not None else {})
        counts[f"{name}_added"] += change["added"]
        counts[f"{name}_changed"] += change["updated"]
        counts[f"{name}_removed"] += change["removed"]
    return counts
