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
    value_html,
)
from safeguarding.reports.figures import number as fmt
from safeguarding.reports.modules import absent

SOURCE = "Child death review module (child_deaths.statistics.compute), small numbers suppressed"
PANEL_SOURCE = ("Child death review module (child_deaths.statistics.compute over the joint "
                "panel's partnerships, as on its statistics page), small numbers suppressed")
NOUNS = {"notified": ("deaths notified", "death notified"),
         "reviewed": ("deaths reviewed", "death reviewed")}
# (exactly one, any other number): "1 death", "0 deaths", "69 deaths".
TEMPLATES = {
    "notified": ("In {year} the child death overview panel was notified of {value} death of a "
                 "child from the partnership's area",
                 "In {year} the child death overview panel was notified of {value} deaths of "
                 "children from the partnership's area"),
    "neonatal": "{value} of these children died within 28 days of birth{out_of}",
    "unexpected_jar": "{value} of the deaths were unexpected and needed a joint agency "
                      "response{out_of}",
    "reviewed": ("The panel completed its review of {value} child's death in {year}",
                 "The panel completed its review of {value} children's deaths in {year}"),
    "modifiable": "It found modifiable factors in {value} of the deaths it reviewed{out_of}",
}
PANEL_TEMPLATES = {
    "notified": ("In {year} the joint panel was notified of {value} death of a child from "
                 "the areas it covers",
                 "In {year} the joint panel was notified of {value} deaths of children from "
                 "the areas it covers"),
    "neonatal": "{value} of these children died within 28 days of birth{out_of}",
    "unexpected_jar": "{value} of the deaths were unexpected and needed a joint agency "
                      "response{out_of}",
    "reviewed": ("The joint panel completed its review of {value} child's death in {year}",
                 "The joint panel completed its review of {value} children's deaths in {year}"),
    "modifiable": "It found modifiable factors in {value} of the deaths it reviewed{out_of}",
}
# This partnership's share of the joint panel's counts, said after the panel's.
SHARE_TEMPLATES = {
    "notified": ("{value} of the deaths notified was of a child from this partnership's area",
                 "{value} of the deaths notified were of children from this partnership's "
                 "area"),
    "reviewed": ("{value} of the deaths reviewed was of a child from this partnership's area",
                 "{value} of the deaths reviewed were of children from this partnership's "
                 "area"),
}


def _figure(item, *, prefix: str = "child_deaths", source: str = SOURCE,
            title: str = "") -> Figure:
    status = SUPPRESSED if item.suppressed else (RECORDED if item.value is not None
                                                  else NOT_RECORDED)
    many, one = NOUNS.get(item.id, (item.title.lower(), ""))
    return Figure(
        key=f"{prefix}.{item.id}", title=title or item.title, unit=item.unit, value=item.value,
        numerator=item.numerator, denominator=item.denominator if item.unit == "percent" else None,
        definition=item.definition, source=source, status=status, reason=item.reason or "",
        noun=many, noun_one=one)


def section(builder, part) -> None:
    data = selectors.child_death_figures(builder.partnership, builder.period)
    if isinstance(data, selectors.Unavailable):
        builder.tell(part, builder.add(absent.figure(
            "child_deaths.notified", "Child deaths notified", data.reason, source=SOURCE), part))
        return
    panel = selectors.joint_child_death_figures(builder.partnership, builder.period)
    if panel is not None:
        _joint(builder, part, panel, data)
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
    said = _headline(builder, part, data)
    builder.tell(part, *said[:3])  # notifications
    builder.tell(part, *said[3:])  # reviews
    _trend(builder, part, data)
    _themes(builder, part, data[builder.year])


def _headline(builder, part, data, *, prefix: str = "child_deaths", source: str = SOURCE,
              templates=None, title: str = "{}") -> list:
    """Each headline figure of the year, compared with the year before, with its sentence."""
    current = data[builder.year]
    before = data.get(builder.previous.label)
    previous = {f.id: f for f in before["headline"]} if before else {}
    said = []
    for item in current["headline"]:
        fig = _figure(item, prefix=prefix, source=source, title=title.format(item.title))
        prev = previous.get(item.id)
        compare(fig, prev.value if prev is not None and not prev.suppressed else None,
                builder.previous.label)
        said.append((builder.add(fig, part),
                     (templates or TEMPLATES).get(item.id, item.title + ": {value}{out_of}")))
    return said


def _joint(builder, part, panel, own) -> None:
    """The joint panel's figures, as its statistics page gives them, with this
    partnership's share beside them (issue 18: the seed reports the panel's figures)."""
    others = [m for m in panel.members if m != builder.partnership.name]
    builder.say(part, format_html(
        "The deaths of children from the partnership's area are reviewed by the {}, which also "
        "reviews the deaths of children from {}. The figures below are the joint panel's, as "
        "it reports them, with this partnership's share beside them.",
        panel.label[:1].lower() + panel.label[1:], " and ".join(others) or "no other area"))
    said = _headline(builder, part, panel.figures, prefix="child_deaths.panel",
                     source=PANEL_SOURCE, templates=PANEL_TEMPLATES,
                     title="{} (joint panel)")
    shares = {fig.key.rsplit(".", 1)[-1]: fig for fig, _ in
              _headline(builder, part, own)}
    builder.tell(part, *said[:3])
    if shares["notified"].status != NOT_RECORDED:
        builder.tell(part, (shares["notified"], SHARE_TEMPLATES["notified"]))
    builder.tell(part, *said[3:])
    if shares["reviewed"].status != NOT_RECORDED:
        builder.tell(part, (shares["reviewed"], SHARE_TEMPLATES["reviewed"]))
    _share_table(builder, part, [fig for fig, _ in said], shares)
    _trend(builder, part, panel.figures, prefix="chart.child_deaths.panel",
           title="Child deaths notified to the joint panel")
    _themes(builder, part, panel.figures[builder.year])


def _share_table(builder, part, panel_figures, shares) -> None:
    figure = builder.add(Figure(
        key="child_deaths.share", unit="table",
        title=f"The joint panel's figures and this partnership's share, {builder.year}",
        definition="Each figure for the joint panel (all the partnerships whose child deaths "
                   "it reviews) and for this partnership's children alone. Each death belongs "
                   "to one partnership, so the panel's counts are the sum of its "
                   "partnerships'.", source=PANEL_SOURCE), part)
    rows = []
    for fig in panel_figures:
        own = shares.get(fig.key.rsplit(".", 1)[-1])
        rows.append([format_html("{} ({})", fig.title.removesuffix(" (joint panel)"),
                                 note_ref(fig)),
                     value_html(fig), value_html(own) if own is not None else "–"])
    builder.say(part, format_html("The table below sets the joint panel's figures beside "
                                  "this partnership's ({}).", note_ref(figure)))
    part.add("table", caption=figure.title,
             head=["Measure", "Joint panel", builder.partnership.name],
             numeric=[False, True, True], rows=rows, figure=figure)


def _trend(builder, part, data, *, prefix: str = "chart.child_deaths",
           title: str = "Child deaths notified") -> None:
    labels = list(data)
    values = []
    for label in labels:
        notified = next((f for f in data[label]["headline"] if f.id == "notified"), None)
        values.append(notified.value if notified is not None and not notified.suppressed
                      else None)
    first = data[labels[0]]["headline"][0]
    figure = Figure(
        key=f"{prefix}.notified", unit="series",
        title=f"{title}, {labels[0]} to {labels[-1]}",
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
