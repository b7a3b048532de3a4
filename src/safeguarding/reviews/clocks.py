"""The steps of each workflow, their stored due dates and their clock status.

A step is one thing that falls due: a notification, a rapid review, an agency's
return, a publication, a notice to the Panel, a deferral review or an action.
Its status on a day is one of: not started, on time, due soon (from two working
days before, rule ``action_reminder_lead``), overdue, deferred, met or missed.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass

from django.utils import timezone

from safeguarding.core import deadlines

REMINDER_LEAD_RULE = "action_reminder_lead"


class Status:
    NOT_STARTED = "not_started"
    ON_TIME = "on_time"
    DUE_SOON = "due_soon"
    OVERDUE = "overdue"
    DEFERRED = "deferred"
    MET = "met"
    MISSED = "missed"

    LABELS = {
        NOT_STARTED: "Not started",
        ON_TIME: "On time",
        DUE_SOON: "Due soon",
        OVERDUE: "Overdue",
        DEFERRED: "Deferred",
        MET: "Met",
        MISSED: "Missed",
    }
    # GOV.UK tag colours: a status is never told by colour alone, the words say it.
    TAGS = {
        NOT_STARTED: "govuk-tag--grey",
        ON_TIME: "govuk-tag--blue",
        DUE_SOON: "govuk-tag--yellow",
        OVERDUE: "govuk-tag--red",
        DEFERRED: "govuk-tag--purple",
        MET: "govuk-tag--green",
        MISSED: "govuk-tag--orange",
    }
    OPEN = frozenset({ON_TIME, DUE_SOON, OVERDUE})


class Workflow:
    NOTIFICATION = "notification"
    RAPID_REVIEW = "rapid_review"
    AGENCY_RETURN = "agency_return"
    PUBLICATION = "publication"
    PANEL_NOTICE = "panel_notice"
    DEFERRAL_REVIEW = "deferral_review"
    ACTION = "action"

    LABELS = {
        NOTIFICATION: "Serious incident notification",
        RAPID_REVIEW: "Rapid review",
        AGENCY_RETURN: "Agency information return",
        PUBLICATION: "Practice review publication",
        PANEL_NOTICE: "Notice to the Panel before publication",
        DEFERRAL_REVIEW: "Review of a deferred publication",
        ACTION: "Action",
    }
    ORDER = [NOTIFICATION, RAPID_REVIEW, AGENCY_RETURN, PUBLICATION, PANEL_NOTICE,
             DEFERRAL_REVIEW, ACTION]


def today() -> dt.date:
    """Today in Europe/London; tests replace this to fix the day."""
    return timezone.localdate()


def reminder_day(due_on: dt.date, memo: dict | None = None) -> dt.date:
    """The day the due-soon reminder goes: two working days before the due date.

    ``memo`` is a dict a caller keeps for one page or one run, so a list of steps
    does not walk the calendar again for each equal due date.
    """
    if memo is not None and due_on in memo:
        return memo[due_on]
    day = deadlines.due_date(REMINDER_LEAD_RULE, due_on)
    if memo is not None:
        memo[due_on] = day
    return day


def status_of(due_on: dt.date | None, done_on: dt.date | None, on: dt.date,
              deferred: bool = False, memo: dict | None = None) -> str:
    if done_on is not None:
        if due_on is None or done_on <= due_on:
            return Status.MET
        return Status.MISSED
    if due_on is None:
        return Status.NOT_STARTED
    if deferred:
        return Status.DEFERRED
    if on > due_on:
        return Status.OVERDUE
    if on >= reminder_day(due_on, memo):
        return Status.DUE_SOON
    return Status.ON_TIME


def rule_text(rule_id: str) -> tuple[str, str]:
    """The title and source of a rule, or what an empty rule id means."""
    if not rule_id:
        return "Date agreed by the partnership", "Set by the people responsible, not by a rule"
    try:
        r = deadlines.rule(rule_id)
    except KeyError:
        return rule_id, "This rule is no longer in the rule table"
    return r.title, r.source


@dataclass
class Step:
    key: str
    workflow: str
    label: str
    due_on: dt.date | None
    rule_id: str
    done_on: dt.date | None
    partnership_id: int
    reference: str
    url: str = ""
    agency_id: int | None = None
    agency_name: str = ""
    deferred: bool = False
    note: str = ""

    def status(self, on: dt.date | None = None, memo: dict | None = None) -> str:
        return status_of(self.due_on, self.done_on, on or today(), self.deferred, memo)

    @property
    def workflow_label(self) -> str:
        return Workflow.LABELS[self.workflow]

    @property
    def rule_title(self) -> str:
        return rule_text(self.rule_id)[0]

    @property
    def rule_source(self) -> str:
        return rule_text(self.rule_id)[1]

    @property
    def responsible(self) -> str:
        return self.agency_name or "Partnership business unit"

    def view(self, on: dt.date, memo: dict | None = None) -> dict:
        """What a template needs: the step with its status words and tag."""
        status = self.status(on, memo)
        return {"step": self, "status": status, "status_label": Status.LABELS[status],
                "tag": Status.TAGS[status]}
