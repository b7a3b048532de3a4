"""The practice reviews and learning-in-practice parts, from ``reviews.statistics``: the
measure engine's stored figures (reviews/catalogue.yaml) with small numbers hidden."""

from __future__ import annotations

from django.utils.html import format_html

from safeguarding.core.disclosure import PRIMARY_REASON, SECONDARY_REASON
from safeguarding.reports import selectors
from safeguarding.reports.figures import (
    NOT_RECORDED,
    RECORDED,
    SUPPRESSED,
    SUPPRESSED_TEXT,
    Figure,
    compare,
)
from safeguarding.reports.figures import number as fmt
from safeguarding.reports.modules import absent

HIDDEN_REASONS = {PRIMARY_REASON, SECONDARY_REASON}
SOURCE = "Practice reviews module, measures in reviews/catalogue.yaml ({})"
# The yearly summary's counts: catalogue measures (reviews.statistics.SUMMARY_MEASURES).
SUMMARY = {
    "rapid_reviews": ("Rapid reviews started", "rapid review", "rapid reviews",
                      "Rapid reviews whose clock started in the year (the date of the serious "
                      "incident notification), for incidents the partnership owns or that "
                      "involve its children."),
    "practice_reviews_completed": (
        "Practice reviews completed", "practice review", "practice reviews",
        "Local and thematic child safeguarding practice reviews whose final report was "
        "completed in the year."),
    "practice_reviews_published": (
        "Practice reviews published", "practice review", "practice reviews",
        "Local and thematic child safeguarding practice reviews published in the year."),
    "practice_reviews_completed_and_deferred": (
        "Completed practice reviews whose publication is deferred", "review", "reviews",
        "Practice reviews completed in the year, not yet published, with a recorded reason "
        "for deferring publication (for example parallel criminal proceedings)."),
    "actions_done_in_year": (
        "Actions from reviews completed", "action", "actions",
        "Actions from rapid reviews and practice reviews marked done with a completion date "
        "in the year."),
    "learning_events": ("Learning events held", "learning event", "learning events",
                        "Events the partnership held in the year to share learning from "
                        "reviews (briefings, workshops, conferences)."),
    "learning_reach": ("Practitioners reached by learning events", "practitioner",
                       "practitioners", "Attendees recorded at the partnership's learning "
                                        "events in the year, summed over events."),
}


def _data(builder, period):
    key = ("reviews", period.label)
    cache = builder.__dict__.setdefault("_module_cache", {})
    if key not in cache:
        cache[key] = selectors.practice_review_figures(builder.partnership, period)
    return cache[key]


def _in_use(data) -> bool:
    """Whether the partnership keeps its reviews on the platform for the year: some count is
    above zero or some catalogue figure has a value. Otherwise a zero would only mean that
    nothing was entered, so the figures are shown as not recorded."""
    return data["in_use"]


def _unrecorded_reason(builder, data) -> str:
    if isinstance(data, selectors.Unavailable):
        return data.reason
    return (f"No practice review records of {builder.partnership.name} are held on the "
            f"platform for {builder.year}")


def summary_figure(builder, key: str, part) -> Figure:
    title, _, plural, definition = SUMMARY[key]
    figure = Figure(key=f"reviews.{key}", title=title, unit="count", definition=definition,
                    source=SOURCE.format("yearly summary"), noun=plural)
    data = _data(builder, builder.period)
    if isinstance(data, selectors.Unavailable) or not _in_use(data) or key not in data["summary"]:
        figure.status = NOT_RECORDED
        figure.reason = (_unrecorded_reason(builder, data) if not isinstance(data, dict)
                         or key in data["summary"] else
                         f"The practice reviews module gives no '{key}' count")
        return builder.add(figure, part)
    figure.value = data["summary"][key]
    if figure.value is None:  # hidden: fewer than 5, or would give one away
        figure.status = SUPPRESSED
        return builder.add(figure, part)
    before = _data(builder, builder.previous)
    previous = (before["summary"].get(key) if isinstance(before, dict) and _in_use(before)
                else None)
    compare(figure, previous, builder.previous.label)
    return builder.add(figure, part)


def catalogue_figure(builder, item, part) -> Figure:
    """One of the four timeliness figures of ``reviews.statistics``, as the report shows it."""
    value = getattr(item, "value", None)
    figure = Figure(
        key=f"reviews.{item.id}", title=item.title, unit=item.unit, value=value,
        numerator=item.numerator, denominator=item.denominator if item.unit == "percent" else None,
        definition=item.definition, source=SOURCE.format("figures"),
        status=(RECORDED if value is not None else
                SUPPRESSED if item.reason in HIDDEN_REASONS else NOT_RECORDED),
        reason=item.reason or "",
        noun=item.title[0].lower() + item.title[1:])
    before = _data(builder, builder.previous)
    previous = None
    if isinstance(before, dict):
        previous = next((f.value for f in before["figures"] if f.id == item.id), None)
    compare(figure, previous, builder.previous.label)
    return builder.add(figure, part)


# The timeliness figures' sentences: a count's as a (one, many) pair, so each reads right
# for 0, 1 and many (percentages agree with their plural noun whatever the value).
TEMPLATES: dict[str, str | tuple[str, str]] = {
    "serious_incident_notifications_on_time":
        "{value} of serious incident notifications were made to the national panel "
        "within 5 working days{out_of}",
    "rapid_reviews_on_time": "{value} of rapid reviews were sent to the national panel "
                             "within 15 working days{out_of}",
    "practice_reviews_published_on_time": "{value} of practice reviews due in {year} were "
                                          "published within six months{out_of}",
    "overdue_review_actions": ("At the end of the year {value} action from reviews was overdue",
                               "At the end of the year {value} actions from reviews were "
                               "overdue"),
}


def section(builder, part) -> None:
    rapid = summary_figure(builder, "rapid_reviews", part)
    completed = summary_figure(builder, "practice_reviews_completed", part)
    published = summary_figure(builder, "practice_reviews_published", part)
    deferred = summary_figure(builder, "practice_reviews_completed_and_deferred", part)
    builder.tell(
        part,
        (rapid, "In {year} the partnership started {value} " + _noun(rapid, "rapid_reviews")),
        (completed, "The partners completed {value} " +
         _noun(completed, "practice_reviews_completed") + " in {year}"),
        (published, "They published {value} " + _noun(published, "practice_reviews_published") +
         " in {year}"),
        (deferred, "Publication was deferred for {value} completed " +
         _noun(deferred, "practice_reviews_completed_and_deferred")))
    data = _data(builder, builder.period)
    if isinstance(data, selectors.Unavailable):
        builder.tell(part, builder.add(absent.figure(
            "reviews.figures", "Timeliness of notifications and reviews", data.reason,
            source=SOURCE.format("figures")), part))
        return
    entries = []
    for item in data["figures"]:
        fig = catalogue_figure(builder, item, part)
        if not _in_use(data):
            fig.status, fig.reason = NOT_RECORDED, _unrecorded_reason(builder, data)
        entries.append((fig, TEMPLATES.get(item.id, fig.title + ": {value}{out_of}")))
    done = summary_figure(builder, "actions_done_in_year", part)
    entries.append((done, "The partners completed {value} " +
                    _noun(done, "actions_done_in_year") + " from reviews in {year}"))
    builder.tell(part, *entries)
    themes = data["summary"].get("themes") or {}
    if themes and _in_use(data):
        fig = builder.add(Figure(
            key="reviews.themes", title=f"Themes of serious incidents, {builder.year}",
            unit="table",
            definition="Themes from the managed list tagged on the serious incidents the "
                       "local authority became aware of in the year. An incident can carry "
                       "several themes.",
            source=SOURCE.format("themes of the year's incidents")), part)
        rows = [[format_html("{}", name), format_html(
            '<span class="app-figure" data-figure="{}">{}</span>', fig.key,
            SUPPRESSED_TEXT if count is None else fmt(count))]
            for name, count in themes.items()]
        part.add("table", caption=fig.title, head=["Theme", "Incidents"],
                 numeric=[False, True], rows=rows, figure=fig)


def learning(builder, part) -> None:
    events = summary_figure(builder, "learning_events", part)
    reach = summary_figure(builder, "learning_reach", part)
    builder.tell(part,
                 (events, "In {year} the partnership held {value} " +
                  _noun(events, "learning_events") + " to share learning from reviews"),
                 (reach, "They reached {value} " + _noun(reach, "learning_reach")))


def _noun(figure: Figure, key: str) -> str:
    _, one, many, _ = SUMMARY[key]
    return one if figure.value == 1 else many
