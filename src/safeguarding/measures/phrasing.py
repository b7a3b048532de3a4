"""Year-on-year comparisons phrased from the numbers, never typed."""

from __future__ import annotations


def _fmt(n: float) -> str:
    return f"{n:,.0f}" if float(n).is_integer() else f"{n:,.1f}"


def change(current: float | None, previous: float | None, *, noun: str, unit: str = "count") -> str:
    """Phrase a change, e.g. "an increase of 10 % (1,800 more referrals)"."""
    if current is None or previous is None:
        return f"No comparison: {noun} not recorded for both years"
    if unit == "percent":
        diff = round(current - previous, 1)
        if diff == 0:
            return f"no change ({_fmt(current)} %)"
        word = "up" if diff > 0 else "down"
        return f"{word} {_fmt(abs(diff))} percentage points (from {_fmt(previous)} % to {_fmt(current)} %)"
    diff = current - previous
    if diff == 0:
        return f"no change ({_fmt(current)} {noun})"
    if previous == 0:
        return f"{_fmt(abs(diff))} more {noun} (none the year before)"
    pct = round(abs(diff) / previous * 100)
    if diff > 0:
        return f"an increase of {pct} % ({_fmt(diff)} more {noun})"
    return f"a decrease of {pct} % ({_fmt(-diff)} fewer {noun})"
