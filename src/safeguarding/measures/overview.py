"""A theme's overview (issue 18): one tile per measure, for one screen and the board pack.

A tile is made from a theme row (views._theme_rows): the same figures the theme page
shows, read from the cached results through the same disclosure view, never computed
again. What a tile adds is words and a picture of them: the direction since the last
period judged by the measure's polarity, the comparison on the basis DfE publishes
(ADR 0014), and a sparkline of the trend.
"""

from __future__ import annotations

import datetime as dt
from decimal import Decimal

from safeguarding.core.charts import sparkline
from safeguarding.measures.periods import Period, financial_year, financial_year_of

# What a move means, by polarity: up, down.
JUDGEMENT = {"higher_is_better": ("better", "worse"), "lower_is_better": ("worse", "better"),
             "neutral": ("neutral", "neutral")}


def _number(value, unit: str) -> str:
    if value is None:
        return "not recorded"
    if unit == "percent":
        return f"{Decimal(str(value)):.1f} %"
    number = Decimal(str(value))
    return f"{number:,.0f}" if number == number.to_integral_value() else f"{number:,.1f}"


def direction(indicator, value, previous, previous_label: str) -> dict | None:
    """Up, down or level since the last period, and whether that is better or worse."""
    if value is None or previous is None:
        return None
    now, then = Decimal(str(value)), Decimal(str(previous))
    was = f"{_number(previous, indicator.unit)} in {previous_label}"
    if now == then:
        return {"arrow": "→", "css": "level", "judgement": "neutral",
                "text": f"No change from {was}"}
    up = now > then
    judgement = JUDGEMENT.get(indicator.polarity, JUDGEMENT["neutral"])[0 if up else 1]
    words = {"better": ", better", "worse": ", worse", "neutral": ""}[judgement]
    return {"arrow": "↑" if up else "↓", "css": judgement, "judgement": judgement,
            "text": f"{'Up' if up else 'Down'} from {was}{words}"}


def comparison(row) -> dict | None:
    """This partnership beside England and the region, on DfE's basis (a rate per 10,000
    children for counts DfE publishes as rates, the percentage otherwise)."""
    b = row["benchmarks"] or {}
    if not b or b.get("reason") or (b.get("england") is None and b.get("region") is None):
        return None
    res = row["result"]
    per_10000 = b.get("basis") == "rate_per_10000"
    ours = res.rate_per_10000 if per_10000 else res.value
    unit = "count" if per_10000 else row["indicator"].unit
    return {"basis": "per 10,000 children" if per_10000 else "",
            "ours": _number(ours, unit) if ours is not None else None,
            "england": _number(b.get("england"), unit) if b.get("england") is not None else None,
            "region": _number(b.get("region"), unit) if b.get("region") is not None else None}


def tile(row, period: Period, scope: str = "") -> dict:
    """``scope`` starts the tile's ids where one measure shows in several themes (the
    board pack)."""
    ind = row["indicator"]
    labels = [label for label, _ in row["trend"]]
    values = [value for _, value in row["trend"]]
    return {
        **row,
        "direction": direction(ind, row["result"].value, row["previous"].value,
                               period.previous().label),
        "comparison": comparison(row),
        "sparkline": sparkline(values, labels=labels, title=f"{ind.title}, by {row['trend_step']}",
                               id_prefix=f"spark-{scope}{ind.id}") if row["has_trend"] else "",
    }


def period_choices(spans: list[tuple[dt.date, dt.date]], chosen: Period,
                   fallback: Period) -> list[tuple[str, list[Period]]]:
    """The periods to choose from: each financial year the data cover (newest first), its
    quarters and months; the chosen period is always among them."""
    starts = {financial_year_of(d).start.year for start, end in spans for d in (start, end)}
    if spans:
        low, high = min(starts), max(starts)
        starts = set(range(low, high + 1))
    starts |= {financial_year_of(chosen.start).start.year, fallback.start.year}
    years = [financial_year(y) for y in sorted(starts, reverse=True)]
    return [("Financial years", years),
            ("Quarters", [q for y in years for q in reversed(y.quarters())]),
            ("Months", [m for y in years for m in reversed(y.months())])]
