"""One figure type for the modules' own statistics (learning reviews, child deaths).

A figure carries its definition, numerator, denominator and, where there is nothing
to count, ``value=None`` with the reason. Its ``id`` is the catalogue measure's id
where the catalogue has the same measure (measures/catalogue/*.yaml), so the yearly
report and the dashboard can be checked against each other.
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
