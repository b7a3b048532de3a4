"""An aggregate reader who solves every sum they know, to work out hidden small numbers.

The attacker reads a data kind's figures the API gives them for a financial year, its
quarters and its months, and solves every sum they know: a year is its quarters, a quarter
its months, and a catalogue disclosure group's total is its parts plus the records in none
of them (12 restraints and 11 filmed tell that one was not). Used by
tests/restraint/test_disclosure.py and tests/measures/test_disclosure_attack.py.
"""

from __future__ import annotations

from safeguarding.measures.catalogue import catalogue, disclosure_groups

Key = tuple[str, str]  # (measure id, period label)


def shown(client, periods, kind: str, partnership: str = "STAFFS") -> dict[Key, float | None]:
    """(measure, period) -> the count shown, or None where it is hidden; rates add what
    their numerator and denominator show."""
    defs = catalogue()
    seen: dict[Key, float | None] = {}
    for period in periods:
        found = client.get("/api/indicators", {"partnership": partnership,
                                               "period": period.label}).json()
        for item in found["indicators"]:
            ind = defs[item["id"]]
            if ind.data != kind:
                continue
            if ind.unit == "count":
                seen[(ind.id, period.label)] = item["value"]
                continue
            # A percentage's numerator and denominator are counts of other measures.
            for part, key in (("frame", "numerator"), ("of_frame", "denominator")):
                counted = [i.id for i in defs.values() if i.unit == "count" and i.data == kind
                           and i.extra.get("frame") == ind.extra.get(part)
                           and not i.extra.get("counts_distinct")]
                if item.get(key) is not None:
                    for measure_id in counted:
                        if seen.get((measure_id, period.label)) is None:
                            seen[(measure_id, period.label)] = item[key]
    return seen


def _period_sums(fy, measure_ids):
    sums = []
    for m in measure_ids:
        sums.append(((m, fy.label), [(m, q.label) for q in fy.quarters()]))
        sums.append(((m, fy.label), [(m, mo.label) for mo in fy.months()]))
        sums += [((m, q.label), [(m, mo.label) for mo in q.months()]) for q in fy.quarters()]
    return sums


def equations(fy, measure_ids, kind: str, additive=lambda measure_id: True):
    """Each sum an attacker knows: (total, [cells]); 'rest' keys are the records in no part.

    ``additive`` says which counts add up over periods (a count of distinct children over
    a year is not the sum of its months)."""
    sums = _period_sums(fy, [m for m in measure_ids if additive(m)])
    for n, group in enumerate(disclosure_groups()):
        if catalogue()[group.total].data != kind:
            continue
        rest = f"rest-{n}"
        for p in [fy, *fy.quarters(), *fy.months()]:
            sums.append(((group.total, p.label),
                         [*((part, p.label) for part in group.parts), (rest, p.label)]))
        if additive(group.total) and all(additive(p) for p in group.parts):
            sums += _period_sums(fy, [rest])
    return sums


def work_out(known: dict, sums) -> dict:
    """Solve every sum with one unknown, again and again, until nothing new is learnt."""
    known = dict(known)
    changed = True
    while changed:
        changed = False
        for total, cells in sums:
            members = [total, *cells]
            unknown = [k for k in members if known.get(k) is None]
            if len(unknown) != 1:
                continue
            (k,) = unknown
            value = (sum(known[c] for c in cells) if k == total
                     else known[total] - sum(known[c] for c in cells if c != k))
            known[k] = value
            changed = True
    return known
