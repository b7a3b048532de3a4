"""Merge one looked-after child's versions from several years' 903 returns into one history.

Returns overlap: an episode open on 31 March is in that year's return with no
DEC and in the next year's with its DEC. So each row is keyed as DfE keys it
and, for each key, the latest return's version wins:

- an episode by its DECOM, a review by its date, a missing episode by its
  start, an adoption (AD1) by DATE_INT, a placement for adoption by DATE_PLACED;
- OC2, OC3 and previous permanence describe the child in one year, so each
  year's row is kept under its year.

The Header (sex, DOB, ethnicity, UPN) is the latest return's; the UASC row is
the latest return's that has one. A row a later return no longer carries is
kept from the return that did.
"""

from __future__ import annotations

from collections import Counter
from dataclasses import dataclass, field

from safeguarding.datasets.loader import merge as common
from safeguarding.datasets.loader.merge import compare, digest

# The column each list table is keyed by within a child; None: keyed by year.
KEYS: dict[str, str | None] = {
    "episodes": "DECOM", "reviews": "REVIEW", "missing": "MIS_START", "ad1": "DATE_INT",
    "placed_adoption": "DATE_PLACED", "oc2": None, "oc3": None, "prev_perm": None,
}


@dataclass
class MergedCla:
    header: dict
    uasc: dict | None
    first_year: int
    last_year: int
    # table -> key -> (year, row)
    rows: dict[str, dict[str, tuple[int, dict]]] = field(default_factory=dict)

    def digests(self, table: str) -> dict[str, str]:
        return {key: digest(row) for key, (_year, row) in self.rows.get(table, {}).items()}


def merge(versions: list[tuple[int, dict]]) -> MergedCla | None:
    """Fold (collection year, child record) pairs; None when there are none."""
    if not versions:
        return None
    ordered = sorted(versions, key=lambda pair: pair[0])
    latest_year, latest = ordered[-1]
    uasc = next((record["uasc"] for _y, record in reversed(ordered) if record.get("uasc")), None)
    merged = MergedCla(header=latest["header"], uasc=uasc, first_year=ordered[0][0],
                       last_year=latest_year, rows={table: {} for table in KEYS})
    for year, record in ordered:
        for table, key in KEYS.items():
            value = record.get(table)
            if not value:
                continue
            if key is None:
                merged.rows[table][str(year)] = (year, value)
            else:
                for row in value:
                    merged.rows[table][row[key]] = (year, row)
    return merged


def history_change(before: MergedCla | None, after: MergedCla | None) -> Counter:
    """How the merged episodes of one child changed: episodes_added, episodes_updated, ..."""
    change = compare(before.digests("episodes") if before else {},
                      after.digests("episodes") if after else {})
    return Counter({f"episodes_{what}": n for what, n in change.items()})


def _episodes(record: dict) -> dict[str, str]:
    return {ep["DECOM"]: digest(ep) for ep in record.get("episodes", [])}


def return_change(old: dict | None, new: dict | None) -> Counter:
    """How one child differs between two versions of the same year's return."""
    return common.return_change(old, new, {"episodes": _episodes})
