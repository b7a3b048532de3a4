"""The parts of the report built from the indicator catalogue (``measures``): demand,
the three priorities' measures, the core pathway table and the scrutiny and assurance
group's targets. ``b`` is the report builder (``builder._Builder``)."""

from __future__ import annotations

from typing import TYPE_CHECKING

from django.utils.html import format_html
from django.utils.safestring import SafeString

from safeguarding.core.charts import bar_chart, line_chart
from safeguarding.core.disclosure import PRIMARY_REASON, SECONDARY_REASON
from safeguarding.measures.catalogue import by_theme
from safeguarding.measures.periods import Period
from safeguarding.reports import selectors
from safeguarding.reports.figures import (
    NOT_RECORDED,
    SUPPRESSED,
    Figure,
    compare,
    has_comparison,
    note_ref,
    number,
    value_html,
)
from safeguarding.reports.modules import absent

if TYPE_CHECKING:
    from safeguarding.reports.builder import Section

# Nouns for year-on-year phrases ("1,800 more referrals"), by catalogue measure.
NOUNS = {
    "referrals": "referrals", "early_help_referrals": "early help episodes",
    "cin_at_period_end": "children in need", "cpp_starts": "plans started",
    "cpp_at_period_end": "children on a plan", "cla_at_period_end": "children looked after",
    "cla_starts": "children starting to be looked after",
    "cla_ceased": "children ceasing to be looked after",
}
CATEGORY_RATES = [("cpp_initial_category_neglect_rate", "Neglect"),
                  ("cpp_initial_category_physical_rate", "Physical abuse"),
                  ("cpp_initial_category_emotional_rate", "Emotional abuse"),
                  ("cpp_initial_category_sexual_rate", "Sexual abuse"),
                  ("cpp_initial_category_multiple_rate", "Multiple categories")]


def measure(b, indicator_id: str, section: Section, *, title: str | None = None,
            period: Period | None = None, compared: bool = True,
            published: bool = False) -> Figure:
    """A catalogue measure for the year (or ``period``), compared with the year before.

    ``published`` hides small numbers by the one rule, as the dashboard does for the board
    (the sections the apps' contracts add, whose counts are often small)."""
    period = period or b.period
    key = indicator_id if period == b.period else f"{indicator_id}.{period.label}"
    if key in b.register.by_key:
        return b.add(b.register.by_key[key], section)
    ind = b.catalogue.get(indicator_id)
    if ind is None:
        return b.add(absent.figure(
            key, title or indicator_id.replace("_", " ").capitalize(),
            f"No measure '{indicator_id}' is in the indicator catalogue",
            source="Indicator catalogue (measures)"), section)
    figure = Figure(
        key=key, title=title or ind.title, unit=ind.unit, definition=ind.description,
        source=f"Indicator catalogue, measure {ind.id}: {ind.source}",
        numerator_text=ind.numerator, denominator_text=ind.denominator or "",
        noun=NOUNS.get(ind.id, ind.title[0].lower() + ind.title[1:]))
    if b.reader is None:
        figure.status, figure.reason = NOT_RECORDED, (
            f"{b.partnership.name} has no local authority area on the platform, so "
            "no statutory return can be counted for it")
        return b.add(figure, section)
    read = b.reader.published_result if published else b.reader.result
    result = read(ind, period)
    if result.value is None and result.reason in (PRIMARY_REASON, SECONDARY_REASON):
        figure.status, figure.reason = SUPPRESSED, result.reason
    elif result.value is None:
        figure.status, figure.reason = NOT_RECORDED, result.reason or "No data"
    else:
        figure.value, figure.numerator = result.value, result.numerator
        figure.denominator = result.denominator
    if compared:
        before = read(ind, period.previous())
        compare(figure, before.value, period.previous().label)
    return b.add(figure, section)


def measure_table(b, section: Section, caption: str, ids: list[str], *,
                  published: bool = False) -> None:
    """Measures with the year before, this year and the change, one row each (``published``:
    small numbers hidden by the one rule, as for the apps' own sections)."""
    figs = [measure(b, indicator_id, section, published=published) for indicator_id in ids]
    if not any(f.recorded for f in figs):
        b.missing(section, figs)
        return
    rows = []
    for fig in figs:
        change = (format_html('<span data-comparison="{}">{}</span>', fig.key,
                              fig.comparison) if has_comparison(fig) else "No comparison")
        rows.append([format_html("{} ({})", fig.title, note_ref(fig)),
                     previous_html(b, fig), value_html(fig), change])
    section.add("table", caption=caption,
                head=["Measure", b.previous.label, b.year, "Change"],
                numeric=[False, True, True, False], rows=rows)


def previous_html(b, fig: Figure) -> SafeString:
    if not fig.recorded:
        return format_html("{}", "–")
    return format_html('<span class="app-figure" data-figure="{}" data-previous="1">{}</span>',
                       fig.key, fig.previous_display)


def quarterly_chart(b, section: Section, indicator_id: str, title: str) -> None:
    ind = b.catalogue.get(indicator_id)
    quarters = b.previous.quarters() + b.period.quarters()
    key = f"chart.{indicator_id}.quarters"
    figure = Figure(
        key=key, title=f"{title}, {b.previous.label} and {b.year}", unit="series",
        definition=(f"{ind.description} Counted for each quarter of the financial year "
                    "(April to June is the first).") if ind else "",
        source=f"Indicator catalogue, measure {indicator_id}: {ind.source}" if ind else "")
    values = ([b.reader.result(ind, q).value for q in quarters]
              if ind is not None and b.reader is not None else [None] * len(quarters))
    if all(v is None for v in values):
        figure.status = NOT_RECORDED
        figure.reason = (b.reader.result(ind, quarters[-1]).reason
                         if ind is not None and b.reader is not None else
                         "The measure cannot be computed for this partnership")
        b.missing(section, [b.add(figure, section)])
        return
    b.add(figure, section)
    labels = [_quarter_label(q) for q in quarters]
    svg = line_chart(labels=[f"{q.start:%b %y}" for q in quarters], values=values,
                     title=figure.title, unit=ind.unit, id_prefix=figure.chart_id)
    rows = [[format_html("{}", lab), _cell(figure, v)]
            for lab, v in zip(labels, values, strict=True)]
    b.chart(section, figure, svg=svg, caption=figure.title, head=["Quarter", "Number"],
            rows=rows, numeric=[False, True])


RATE_DEFINITION = (
    "{title}, per 10,000 children aged 0 to 17: the count divided by the population of "
    "children aged 0 to 17 in the partnership's local authority areas, times 10,000, to one "
    "decimal place. The population is DfE's for the year (the one DfE's own rates use), "
    "summed over the areas.")
COMPARISON_DEFINITION = (
    "Each measure per 10,000 children aged 0 to 17 for England, the partnership's region and "
    "the mean of its statistical neighbours' rates: DfE's published count for each place "
    "divided by DfE's population of children aged 0 to 17 for the same place and year. "
    "England and regional counts are rounded by DfE to the nearest 10. A value DfE withheld "
    "is left out, never counted as 0. Counts are compared for the partnership only: the "
    "number of children in England or the region says nothing about a partnership of this "
    "size.")


def comparison_table(b, section: Section) -> None:
    """The partnership's counts DfE publishes as rates, each with its rate per 10,000
    children beside England's, the region's and the statistical neighbours' rates."""
    inds = [i for i in b.catalogue.values() if i.extra.get("per_10000")]
    if not inds or b.reader is None:
        return
    source = inds[0].extra["per_10000"].get("source", "")
    table_fig = Figure(
        key="comparisons.per_10000", unit="table",
        title=f"Comparisons per 10,000 children aged 0 to 17, {b.year}",
        definition=COMPARISON_DEFINITION,
        source="DfE, Characteristics of children in need (tables B1, C1, D3, D5) and Children "
               "looked after in England (number and rate per 10,000 children, with its "
               f"population of children aged 0 to 17); {source}")
    rows, marks, rates, reasons = [], [], [], []
    for ind in inds:
        count = measure(b, ind.id, section)
        result = b.reader.result(ind, b.period)
        rate = Figure(
            key=f"{ind.id}.per_10000", unit="rate", title=f"{ind.title} per 10,000 children",
            definition=RATE_DEFINITION.format(title=ind.title),
            source=f"Indicator catalogue, measure {ind.id}; {ind.extra['per_10000']['source']}",
            numerator_text=ind.numerator, denominator_text="Children aged 0 to 17 (DfE)")
        if result.rate_per_10000 is None:
            rate.status = NOT_RECORDED
            rate.reason = result.reason or result.rate_reason or "No population recorded"
        else:
            rate.value, rate.numerator = result.rate_per_10000, result.value
            rate.denominator = result.population
        rates.append(b.add(rate, section))
        bench = b.reader.benchmarks(ind, b.period) or {}
        marks.append(bench)
        if bench.get("reason"):
            reasons.append(bench["reason"])
        rows.append([format_html("{} ({})", ind.title, note_ref(count)), value_html(count),
                     format_html("{} ({})", value_html(rate), note_ref(rate))]
                    + [_compared(table_fig, bench, place)
                       for place in ("england", "region", "statistical_neighbours")])
    if not any(r.recorded for r in rates) and all(m.get("reason") for m in marks):
        b.missing(section, rates)
        return
    b.add(table_fig, section)
    if all(m.get("reason") for m in marks):
        table_fig.status, table_fig.reason = NOT_RECORDED, reasons[0]
        b.missing(section, [table_fig])
    neighbours = next((m.get("neighbours_reason") for m in marks
                       if m.get("neighbours_reason")), None)
    section.add("table", caption=format_html(
        "{} per 10,000 children aged 0 to 17, compared with England, the region and "
        "statistical neighbours ({})", b.year, note_ref(table_fig)),
        head=["Measure", "Number", "Per 10,000 children", "England", "Region",
              "Statistical neighbours"],
        numeric=[False, True, True, True, True, True], rows=rows)
    if neighbours:
        b.say(section, format_html("{}", neighbours))


def _compared(figure: Figure, bench: dict, place: str) -> SafeString:
    value = bench.get(place)
    if value is None:
        text = ("not available" if place == "statistical_neighbours"
                and bench.get("neighbours_reason") else "not published")
        return format_html('<span class="app-figure--missing" data-figure="{}">{}</span>',
                           figure.key, text)
    return format_html('<span class="app-figure" data-figure="{}" data-place="{}">{}</span>',
                       figure.key, place, number(value, "rate"))


def neglect(b, part: Section) -> None:
    neglect = measure(b, "cpp_initial_category_neglect_rate", part)
    rereferrals = measure(b, "rereferrals_within_12_months_rate", part)
    b.tell(part, (neglect, "On {end}, neglect was the initial category of abuse for {value} "
                           "of the child protection plans open{out_of}",
                  {"end": f"{b.period.end:%-d %B %Y}"}),
           (rereferrals, "{value} of referrals in {year} came within 12 months of an earlier "
                         "referral of the same child{out_of}"))
    category_chart(b, part)
    others = [i.id for i in by_theme("neglect")
              if i.id not in {"cpp_initial_category_neglect_rate",
                              "rereferrals_within_12_months_rate"}]
    if others:
        measure_table(b, part, "Other measures the partnership watches for neglect", others)


def category_chart(b, section: Section) -> None:
    figs = [measure(b, i, section) for i, _ in CATEGORY_RATES]
    key = "chart.cpp_initial_category"
    figure = Figure(
        key=key, title=f"Child protection plans open on {b.period.end:%-d %B %Y} by "
                       "initial category of abuse", unit="series",
        definition="Of plans open at the end of the year, the percentage in each initial "
                   "category of abuse (one category per plan, so they add up to 100 %).",
        source="Indicator catalogue, measures " + ", ".join(i for i, _ in CATEGORY_RATES))
    if not any(f.recorded for f in figs):
        figure.status, figure.reason = NOT_RECORDED, figs[0].reason
        b.missing(section, [b.add(figure, section)])
        return
    b.add(figure, section)
    labels = [label for _, label in CATEGORY_RATES]
    svg = bar_chart(labels=labels, values=[f.value for f in figs], title=figure.title,
                    unit="percent", id_prefix=figure.chart_id)
    rows = [[format_html("{} ({})", label, note_ref(f)), value_html(f)]
            for (_, label), f in zip(CATEGORY_RATES, figs, strict=True)]
    b.chart(section, figure, svg=svg, caption=figure.title,
            head=["Initial category", "Share of plans"], rows=rows, numeric=[False, True])


def exploitation(b, part: Section) -> None:
    ids = [i.id for i in by_theme("child_exploitation")]
    if "children_discussed_at_mace" in b.catalogue:
        mace = measure(b, "children_discussed_at_mace", part)
        b.tell(part, (mace, "{value} children were discussed at multi-agency child "
                            "exploitation (MACE) panels in {year}"))
    else:
        b.tell(part, b.add(absent.mace(), part))
    if ids:
        # The theme gathers the apps' case-work counts (MACE, missing children), often small.
        measure_table(b, part, "Child exploitation measures", ids, published=True)
    else:
        b.tell(part, b.add(absent.missing_episodes(), part))


def practice(b, part: Section) -> None:
    assessments = measure(b, "assessments_within_45_working_days_rate", part)
    icpc = measure(b, "icpc_within_15_working_days_rate", part)
    b.tell(part, (assessments, "{value} of assessments authorised in {year} were completed "
                               "within 45 working days of referral{out_of}"),
           (icpc, "{value} of initial child protection conferences were held within 15 working "
                  "days of the start of the section 47 enquiry{out_of}"))
    shown = {i for i, _ in CATEGORY_RATES} | {"assessments_within_45_working_days_rate",
                                               "icpc_within_15_working_days_rate"}
    ids = [i.id for i in by_theme("core_pathway") if i.id not in shown]
    measure_table(b, part, f"The child's journey from early help to care, {b.year}", ids)


def scrutiny(b, part: Section) -> None:
    targets = selectors.measure_targets(b.partnership)
    targets = {k: t for k, t in targets.items() if k in b.catalogue}
    if not targets:
        b.tell(part, b.add(absent.figure(
            "targets", "Measures with a target set by the partnership",
            f"No targets are set for {b.partnership.name}'s measures in the "
            "performance dashboard", source="Performance dashboard targets (measures)"),
            part))
        return
    b.say(part, format_html("{}", (
        "The group set targets for the measures below in the performance dashboard and "
        "checked the partnership's progress against them.")))
    rows = []
    status_words = {"green": "Met", "amber": "Close to the target", "red": "Not met"}
    for indicator_id, target in sorted(targets.items()):
        ind = b.catalogue[indicator_id]
        fig = measure(b, indicator_id, part)
        target_fig = b.add(Figure(
            key=f"target.{indicator_id}", title=f"Target for {ind.title.lower()}",
            unit=ind.unit, value=float(target.target),
            definition=("The target the partnership set for this measure in the "
                        "performance dashboard; the newest target applies. Within "
                        f"{number(float(target.amber_tolerance), ind.unit)} of the "
                        "target counts as close to it."),
            source=f"Performance dashboard target, set on {target.set_at:%-d %B %Y}"),
            part)
        rag = selectors.measure_rag(ind, fig.value, target)
        rows.append([format_html("{} ({})", ind.title, note_ref(fig)), value_html(fig),
                     format_html("{} ({})", value_html(target_fig), note_ref(target_fig)),
                     status_words.get(rag or "", "No comparison")])
    part.add("table", caption=f"Measures against their targets, {b.year}",
             head=["Measure", b.year, "Target", "Status"],
             numeric=[False, True, True, False], rows=rows)


def _cell(figure: Figure, value) -> SafeString:
    if value is None:
        return format_html('<span class="app-figure--missing" data-figure="{}">{}</span>',
                           figure.key, "not recorded")
    return format_html('<span class="app-figure" data-figure="{}">{}</span>', figure.key,
                       number(value, "count"))


def _quarter_label(quarter: Period) -> str:
    return f"{quarter.start:%b} to {quarter.end:%b %Y}"


