"""One figure type for the modules' own statistics (learning reviews, child deaths).

A figure is a catalogue measure's stored result (``measures.selectors.case_figures``)
with its definition: numerator, denominator and, where there is nothing to count,
``value=None`` with the reason. The engine computes it once; the statistics pages,
their API and the yearly report only read it and hide small numbers
(core/disclosure.py).
"""

from __future__ import annotations

from dataclasses import asdict, dataclass, field


@dataclass
class Figure:
    id: str
    title: str
    definition: str
    unit: str  # "percent" or "count"
    value: float | int | None = None
    numerator: int | None = None
    denominator: int | None = None
    reason: str = ""
    suppressed: bool = False
    rules: tuple[str, ...] = ()
    detail: dict = field(default_factory=dict)

    def as_dict(self) -> dict:
        return asdict(self)

    @classmethod
    def of(cls, result, indicator) -> Figure:
        """A stored engine result (``engine.Result``) with its catalogue definition."""
        return cls(id=result.id, title=result.title, definition=indicator.description,
                   unit=result.unit, value=result.value, numerator=result.numerator,
                   denominator=result.denominator, reason=result.reason or "",
                   rules=tuple(indicator.extra.get("rules", ())))


def percent(numerator: int, denominator: int) -> float | None:
    """A percentage to one decimal place, rounded half up as DfE publishes (not Python's
    round-half-even); None when the denominator is 0."""
    if denominator == 0:
        return None
    return float(int(numerator * 1000 / denominator + 0.5)) / 10


def per_10000(count: int, population: int) -> float | None:
    """A rate per 10,000 children to one decimal place, rounded half up in exact integer
    arithmetic; None when there is no population."""
    if not population:
        return None
    return ((count * 100_000 * 2 + population) // (2 * population)) / 10
