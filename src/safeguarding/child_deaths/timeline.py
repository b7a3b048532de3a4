"""The case timeline: notification, Joint Agency Response, agency reports, panel review."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass, field

from safeguarding.child_deaths.models import ChildDeath, InformationRequest
from safeguarding.core import deadlines

LEAD_RULE = "action_reminder_lead"


@dataclass
class Tag:
    text: str
    colour: str  # a GOV.UK tag modifier: green, red, yellow, grey, blue


@dataclass
class Step:
    key: str
    title: str
    date: dt.date | None
    tag: Tag
    lines: list[str] = field(default_factory=list)
    action: str = ""  # URL name for the next thing to do, if any
    request: InformationRequest | None = None


def request_tag(request: InformationRequest, today: dt.date) -> Tag:
    if request.received_on is not None:
        if request.received_on <= request.due_on:
            return Tag("Received", "green")
        return Tag("Received late", "yellow")
    if today > request.due_on:
        return Tag("Overdue", "red")
    if today >= deadlines.due_date(LEAD_RULE, request.due_on):
        return Tag("Due soon", "yellow")
    return Tag("Awaiting", "blue")


def timeline(case: ChildDeath, today: dt.date) -> list[Step]:
    steps = [
        Step(
            "notification",
            "Death notified",
            case.notified_on,
            Tag("Done", "green"),
            [
                f"Died {case.date_of_death:%-d %B %Y}, aged {case.age_at_death_days} days"
                + (" (neonatal)" if case.neonatal else ""),
                f"Notified by {case.notifier_name}, {case.notifier_role}, {case.notifying_agency}",
                "Unexpected death" if case.expected == "unexpected" else "Expected death",
            ],
        )
    ]
    jar = getattr(case, "jar", None)
    if case.expected == "unexpected":
        if jar is not None:
            steps.append(
                Step(
                    "jar",
                    "Joint Agency Response",
                    jar.meeting_date,
                    Tag("Done", "green"),
                    [
                        f"Agencies: {', '.join(sorted(a.name for a in jar.agencies.all()))}",
                        f"Key worker: {jar.key_worker_name}, {jar.key_worker_agency}",
                    ],
                    action="child_deaths:jar",
                )
            )
        else:
            needed = (
                ("Triggers: " + "; ".join(case.jar_trigger_labels))
                if case.jar_triggers
                else "No trigger was recorded at notification"
            )
            steps.append(
                Step(
                    "jar",
                    "Joint Agency Response",
                    None,
                    Tag("Not recorded", "grey"),
                    [needed],
                    action="child_deaths:jar",
                )
            )
    for request in case.information_requests.all():
        lines = [
            f"Requested {request.requested_on:%-d %B %Y}, due {request.due_on:%-d %B %Y} "
            f"(rule {request.due_rule})"
        ]
        if request.received_on:
            lines.append(f"Received {request.received_on:%-d %B %Y}")
        if request.summary:
            lines.append(request.summary)
        steps.append(
            Step(
                "request",
                f"{request.get_form_display()}: {request.agency}",
                request.requested_on,
                request_tag(request, today),
                lines,
                action="child_deaths:request-response",
                request=request,
            )
        )
    review = getattr(case, "review", None)
    if review is not None:
        lines = [
            f"Category: {review.category_name}",
            f"Modifiable factors: {review.get_modifiable_display()}",
        ]
        themes = sorted(t.name for t in review.themes.all())
        if themes:
            lines.append(f"Themes: {', '.join(themes)}")
        steps.append(
            Step(
                "review",
                "Panel review",
                review.review_date,
                Tag("Reviewed", "green"),
                lines,
                action="child_deaths:review",
            )
        )
    else:
        steps.append(
            Step(
                "review",
                "Panel review",
                None,
                Tag("Awaiting panel", "grey"),
                [],
                action="child_deaths:review",
            )
        )
    return steps
