"""The review of child deaths part, from ``child_deaths.statistics``.

The report is a public document, so small numbers (1 to 4) are suppressed as
the module suppresses them for analysts; a suppressed figure says "fewer than 5"
and is listed in the notes.
"""

from __future__ import annotations

from django.utils.html import format_html

from safeguarding.core.charts import line_chart
from safeguarding.core.models import SharedFunction
from safeguarding.reports import selectors
from safeguarding.reports.figures import (
    NOT_RECORDED,
    RECORDED,
    SUPPRESSED,
    SUPPRESSED_TEXT,
    Figure,
    compare,
    note_ref,
)
from safeguarding.reports.figures import number as fmt
from safeguarding.reports.modules import absent

SOURCE = "Child death review module (child_deaths.statistics.compute), small numbers suppressed"
NOUNS = {"notified": "deaths notified", "reviewed": "deaths reviewed"}
TEMPLATES = {
    "notified": "In {year} the child death overview panel was notified of {value} deaths of "
                "children from the partnership's area",
    "neonatal": "{value} of these children died within 28 days of birth{out_of}",
    "unexpected_jar": "{value} of the deaths were unexpected and needed a joint agency "
                      "response{out_of}",
    "reviewed": "The panel completed its review of {value} children's deaths in {year}",
    "modifiable": "It found modifiable factors in {value} of the deaths it reviewed{out_of}",
}


def _figure(item) -> Figure:
    status = SUPPRESSED if item.suppressed else (RECORDED if item.value is not None
                                                  else NOT_RECORDED)
    return Figure(
        key=f"child_deaths.{item.id}", title=item.title, unit=item.unit, value=item.value,
        numerator=item.numerator, denominator=item.denominator if item.unit == "percent" else None,
        definition=item.definition, source=SOURCE, status=status, reason=item.reason or "",
        noun=NOUNS.get(item.id, item.title.lower()))


def section(builder, part) -> None:
    year = builder.year
    data = selectors.child_death_figures(builder.partnership, builder.period)
    if isinstance(data, selectors.Unavailable):
        builder.tell(part, builder.add(absent.figure(
            "child_deaths.notified", "Child deaths notified", data.reason, source=SOURCE), part))
        return
    hosted_for, host = selectors.joint_function(builder.partnership,
                                                SharedFunction.CHILD_DEATH_REVIEW)
    if host:
        builder.say(part, format_html(
            "The deaths of children from the partnership's area are reviewed by the joint "
            "child death overview panel hosted by {}. The figures below are for this "
            "partnership's children only.", host))
    elif hosted_for:
        builder.say(part, format_html(
            "The partnership hosts a joint child death overview panel that also reviews the "
            "deaths of children from {}. The figures below are for this partnership's "
            "children only.", " and ".join(hosted_for)))
    current = data[year]
    before = data.get(builder.previous.label)
    previous = {f.id: f for f in before["headline"]} if before else {}
    said = []
    for item in current["headline"]:
        fig = _figure(item)
        prev = previous.get(item.id)
        compare(fig, prev.value if prev is not None and not prev.suppressed else None,
                builder.previous.label)
        said.append((builder.add(fig, part),
                     TEMPLATES.get(item.id, item.title + ": {value}{out_of}")))
    builder.tell(part, *said[:3])  # notifications
    builder.tell(part, *said[3:])  # reviews
    _trend(builder, part, data)
    _themes(builder, part, current)


def _trend(builder, part, data) -> None:
    labels = list(data)
    values = []
    for label in labels:
        notified = next((f for f in data[label]["headline"] if f.id == "notified"), None)
        values.append(notified.value if notified is not None and not notified.suppressed
                      else None)
    first = data[labels[0]]["headline"][0]
    figure = Figure(
        key="chart.child_deaths.notified", unit="series",
        title=f"Child deaths notified, {labels[0]} to {labels[-1]}",
        definition=f"{first.definition} Counted for each financial year.", source=SOURCE)
    if sum(v is not None for v in values) < 2:
        figure.status = NOT_RECORDED
        figure.reason = "Fewer than two years of notifications are recorded, so no trend is shown"
        builder.missing(part, [builder.add(figure, part)])
        return
    builder.add(figure, part)
    svg = line_chart(labels=labels, values=values, title=figure.title, unit="count",
                     id_prefix=figure.chart_id)
    rows = [[format_html("{}", label), _value(figure, value)]
            for label, value in zip(labels, values, strict=True)]
    builder.chart(part, figure, svg=svg, caption=figure.title, head=["Year", "Deaths notified"],
                  rows=rows, numeric=[False, True])


def _themes(builder, part, current) -> None:
    shown = [f for f in current["by_theme"] if f.suppressed or (f.value or 0) > 0]
    if not shown:
        return
    figure = builder.add(Figure(
        key="child_deaths.themes", unit="table",
        title=f"Themes in the deaths reviewed, {builder.year}",
        definition=shown[0].definition, source=SOURCE), part)
    rows = [[format_html("{}", f.title), format_html(
        '<span class="app-figure" data-figure="{}">{}</span>', figure.key,
        SUPPRESSED_TEXT if f.suppressed else fmt(f.value))] for f in shown]
    builder.say(part, format_html("The themes the panel recorded most often are in the table "
                                  "below ({}).", note_ref(figure)))
    part.add("table", caption=figure.title, head=["Theme", "Deaths reviewed"],
             numeric=[False, True], rows=rows, figure=figure)


def _value(figure: Figure, value):
    if value is None:
        return format_html('<span class="app-figure--missing" data-figure="{}">{}</span>',
                           figure.key, f"not recorded or {SUPPRESSED_TEXT}")
    return format_html('<span class="app-figure" data-figure="{}">{}</span>', figure.key,
                       fmt(value))
