"""Year-on-year comparisons phrased from the numbers, never typed."""

from __future__ import annotations


def _fmt(n: float) -> str:
    return f"{n:,.0f}" if float(n).is_integer() else f"{n:,.1f}"


def change(current: float | None, previous: float | None, *, noun: str, unit: str = "count",
           noun_one: str = "") -> str:
    """Phrase a change, e.g. "an increase of 10 % (1,800 more referrals)"; ``noun_one`` is
    the noun for exactly one ("1 more referral"), where it differs."""
    if current is None or previous is None:
        return f"No comparison: {noun} not recorded for both years"
    if unit == "percent":
        diff = round(current - previous, 1)
        if diff == 0:
            return f"no change ({_fmt(current)} %)"
        word = "up" if diff > 0 else "down"
        return f"{word} {_fmt(abs(diff))} percentage points (from {_fmt(previous)} % to {_fmt(current)} %)"
    diff = current - previous

    def counted(n: float) -> str:
        return noun_one if n == 1 and noun_one else noun

    if diff == 0:
        return f"no change ({_fmt(current)} {counted(current)})"
    if previous == 0:
        return f"{_fmt(abs(diff))} more {counted(abs(diff))} (none the year before)"
    pct = round(abs(diff) / previous * 100)
    if diff > 0:
        return f"an increase of {pct} % ({_fmt(diff)} more {counted(diff)})"
    return f"a decrease of {pct} % ({_fmt(-diff)} fewer {counted(-diff)})"
