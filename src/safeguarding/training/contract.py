"""What the training module gives the rest of the house (core/modules.py, ADR 0013).

Pseudonymous frames by LA, each row (the programme's host LA, a session, booking or
charge number, the day): sessions delivered, places filled, attendance, no-shows, late
cancellations, charges raised and waived, and learners' paired evaluations. The
catalogue (catalogue.yaml) declares each measure as a count of a frame's rows dated in
the period, or a percentage of two. A programme is recorded for its partnership as a
whole: its rows carry the partnership's first LA (selectors.host_la), and its recording
covers every LA of the partnership.
"""

from __future__ import annotations

from functools import partial
from pathlib import Path

from django.db.models import Q

from safeguarding.core.modules import (
    FrameSpec,
    HomeItem,
    ModuleContract,
    ReportSection,
    Theme,
)
from safeguarding.training import home as training_home
from safeguarding.training import selectors

COLUMNS = {"la": "str", "child": "str", "on": "date"}
HELD = ("attended", "no_show")

BOOKINGS: dict[str, Q] = {
    "training_places_filled": Q(state__in=HELD),
    "training_attended": Q(state="attended"),
    "training_no_shows": Q(state="no_show"),
    "training_late_cancellations": Q(state="late_cancelled"),
    "training_places_due": Q(state__in=(*HELD, "late_cancelled")),
    "training_conference_attended": Q(state="attended", session__course__format="conference"),
}


def _coverage(las: list[str]):
    return {"training": selectors.coverage_spans(las)}


FRAMES = (
    FrameSpec("training_sessions_delivered", COLUMNS,
              partial(selectors.session_rows, where=Q(status="delivered"))),
    *(FrameSpec(name, COLUMNS, partial(selectors.booking_rows, where=where))
      for name, where in BOOKINGS.items()),
    FrameSpec("training_charges_raised", COLUMNS, selectors.charge_rows),
    FrameSpec("training_elearning_completions", COLUMNS, selectors.completion_rows),
    FrameSpec("training_charges_waived", COLUMNS, partial(selectors.charge_rows, waived=True)),
    FrameSpec("training_evaluations_paired", COLUMNS, selectors.evaluation_rows),
    FrameSpec("training_confidence_improved", COLUMNS,
              partial(selectors.evaluation_rows, improved="confidence")),
    FrameSpec("training_knowledge_improved", COLUMNS,
              partial(selectors.evaluation_rows, improved="knowledge")),
)

MEASURES = ("training_sessions_delivered", "training_places_filled", "training_attendance_rate",
            "training_no_show_rate", "training_late_cancellation_rate",
            "training_conference_attended", "training_elearning_completions",
            "training_charges_raised",
            "training_charges_waived", "training_confidence_improved_rate",
            "training_knowledge_improved_rate")

def _refreshers(user) -> list[HomeItem]:
    """The learner's refreshers due soon or overdue (their own record only)."""
    from django.urls import reverse

    from safeguarding.core.modules import today

    if not user.has_perm("training.open"):
        return []
    return [HomeItem(kind="action", title=f"Refresher due: {x.course.title}",
                     url=reverse("training:my-record"), due=x.due,
                     overdue=x.status == "overdue",
                     detail=f"Last done {x.last:%-d %B %Y}")
            for x in selectors.learner_record(user, today()) if x.status in ("due", "overdue")]


def _report_evidence(partnership, period):
    from safeguarding.training import assurance

    return assurance.report_evidence(partnership, period)



def home_items(user) -> list[HomeItem]:
    """Places, evaluations and registers owed (home.py), and the learner's refreshers."""
    return [*training_home.home_items(user), *_refreshers(user)]


CONTRACT = ModuleContract(
    app_label="training",
    report_evidence=_report_evidence,
    frames=FRAMES,
    coverage=_coverage,
    catalogue=Path(__file__).with_name("catalogue.yaml"),
    records_feed_figures=True,
    home_items=home_items,
    themes=(Theme("learning-and-development", "learning_and_development",
                  "Learning and development",
                  "The partnership's multi-agency training: sessions delivered, places filled, "
                  "attendance, no-shows and late cancellations, the charges they raised and "
                  "waived, and how learners' confidence and knowledge changed."),),
    report_sections=(ReportSection(
        "training", "Training", measures=MEASURES,
        intro="The partnership's multi-agency training helps practitioners put learning into "
              "practice. Places, attendance and charges come from the training programme's "
              "bookings and registers; confidence and knowledge from learners' own ratings "
              "before and after each course, compared learner by learner."),),
)
