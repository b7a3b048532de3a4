"""A figure of the yearly report: its value, where it comes from and how it is said.

Every number in the report is a ``Figure``. Each carries its definition and
source (listed in the notes annex) and, where the platform does not hold the
data, ``status = "not_recorded"`` with the reason; such a figure is shown as
"not recorded" and never as a number. Year-on-year comparisons are phrased
from the two numbers by ``measures.phrasing.change``.
"""

from __future__ import annotations

from dataclasses import asdict, dataclass, field

from django.utils.html import format_html
from django.utils.safestring import SafeString

from safeguarding.core.disclosure import HIDDEN_TEXT, SECONDARY_REASON
from safeguarding.measures.phrasing import change

RECORDED = "recorded"
NOT_RECORDED = "not_recorded"
SUPPRESSED = "suppressed"
SUPPRESSED_TEXT = HIDDEN_TEXT  # made from core/disclosure.py's THRESHOLD
# A number hidden because, with the others shown, it would give a small one away.
WITHHELD_TEXT = "withheld"


def number(value: float | int | None, unit: str = "count") -> str:
    """6,431 or 26.1 %: thousands separated, one decimal only where there is one."""
    if value is None:
        return "not recorded"
    text = f"{value:,.0f}" if float(value).is_integer() else f"{value:,.1f}"
    return f"{text} %" if unit == "percent" else text


@dataclass
class Figure:
    key: str
    title: str
    unit: str  # count, percent, or series/table for a chart or table of values
    definition: str
    source: str
    value: float | int | None = None
    numerator: int | None = None
    denominator: int | None = None
    numerator_text: str = ""
    denominator_text: str = ""
    status: str = RECORDED
    reason: str = ""
    previous: float | int | None = None
    previous_label: str = ""
    comparison: str = ""
    noun: str = ""
    # The noun for exactly one ("1 more death notified"), where it differs from ``noun``.
    noun_one: str = ""
    number: int = 0
    shown_in: list[str] = field(default_factory=list)

    @property
    def recorded(self) -> bool:
        return self.status == RECORDED

    @property
    def note_id(self) -> str:
        return "note-" + self.key.replace(".", "-").replace("_", "-")

    @property
    def chart_id(self) -> str:
        """The prefix of a chart's ids (core.charts ``id_prefix``), unique in the report."""
        return self.note_id.removeprefix("note-")

    @property
    def display(self) -> str:
        if self.status == SUPPRESSED:
            return WITHHELD_TEXT if self.reason == SECONDARY_REASON else SUPPRESSED_TEXT
        if self.status == NOT_RECORDED or self.unit in ("series", "table"):
            return "not recorded" if self.status == NOT_RECORDED else "see the table"
        return number(self.value, self.unit)

    @property
    def previous_display(self) -> str:
        return number(self.previous, self.unit)

    @property
    def out_of(self) -> str:
        """"(412 of 642)" for a percentage, or nothing."""
        if self.recorded and self.unit == "percent" and self.denominator:
            return f"{self.numerator:,} of {self.denominator:,}"
        return ""

    def as_dict(self) -> dict:
        data = asdict(self)
        data["display"] = self.display
        return data


def compare(figure: Figure, previous: float | int | None, previous_label: str) -> Figure:
    """Set the year-on-year phrase, computed from the two numbers."""
    figure.previous = previous
    figure.previous_label = previous_label
    if figure.recorded and figure.unit in ("count", "percent"):
        figure.comparison = change(figure.value, previous, noun=figure.noun or figure.title.lower(),
                                   unit=figure.unit, noun_one=figure.noun_one)
    return figure


def by_count(figure: Figure, template: str | tuple[str, str]) -> str:
    """The template for the figure's number: a (one, many) pair gives "one" for a count of
    exactly 1 ("1 child was") and "many" for 0 and more than 1 ("0 children were")."""
    if isinstance(template, str):
        return template
    one, many = template
    return one if figure.recorded and figure.unit == "count" and figure.value == 1 else many


def has_comparison(figure: Figure) -> bool:
    return bool(figure.comparison) and not figure.comparison.startswith("No comparison")


class Register:
    """The report's figures in order of first appearance, numbered for the notes."""

    def __init__(self):
        self.by_key: dict[str, Figure] = {}

    def add(self, figure: Figure, section: str) -> Figure:
        found = self.by_key.get(figure.key)
        if found is None:
            figure.number = len(self.by_key) + 1
            self.by_key[figure.key] = found = figure
        if section not in found.shown_in:
            found.shown_in.append(section)
        return found

    def __iter__(self):
        return iter(self.by_key.values())

    def __len__(self) -> int:
        return len(self.by_key)


# How a figure is said ---------------------------------------------------------------------


def value_html(figure: Figure) -> SafeString:
    """The figure's value, marked with its key so that every number can be traced."""
    css = "app-figure" if figure.recorded else "app-figure app-figure--missing"
    return format_html('<span class="{}" data-figure="{}">{}</span>', css, figure.key,
                       figure.display)


def note_ref(figure: Figure) -> SafeString:
    return format_html('<a class="govuk-link app-note-ref" href="#{}">note {}</a>',
                       figure.note_id, figure.number)


def sentence(figure: Figure, template: str, *, year: str, **extra) -> SafeString:
    """A sentence about one figure: the template where it is recorded, a plain "not
    recorded" otherwise; the comparison with the year before, and the note number.

    ``template`` uses {value}, {out_of}, {year} and any ``extra``; it has no
    full stop, which is added after the comparison.
    """
    if figure.status == NOT_RECORDED:
        return format_html(
            "{} for {}: {} ({}).", figure.title, year, value_html(figure), note_ref(figure))
    if figure.status == SUPPRESSED:
        return format_html(
            "{} for {}: {}, so the number is not published ({}).", figure.title, year,
            value_html(figure), note_ref(figure))
    out_of: SafeString | str = format_html(" ({})", figure.out_of) if figure.out_of else ""
    body = format_html(template, value=value_html(figure), out_of=out_of, year=year, **extra)
    tail: SafeString | str
    if has_comparison(figure):
        tail = format_html(', {} compared with {}', format_html(
            '<span data-comparison="{}">{}</span>', figure.key, figure.comparison),
            figure.previous_label)
    elif figure.unit in ("count", "percent"):
        tail = format_html("; the figure for {} is not recorded, so there is no comparison",
                           figure.previous_label) if figure.previous_label else ""
    else:
        tail = ""
    return format_html("{}{} ({}).", body, tail, note_ref(figure))
