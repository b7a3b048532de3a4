"""The governance pages for the browser tests (tests/browser/site_map.py calls walk).

The demo's bodies (governance/demo.py) give the records; the business unit opens every
page and sends one form empty to see the error summary.
"""

from __future__ import annotations

from django.urls import reverse


def walk(w) -> None:
    from safeguarding.governance.models import (
        Action,
        Body,
        Commitment,
        Meeting,
        Priority,
        Risk,
        RiskRegister,
    )

    body = Body.objects.filter(name="Scrutiny and Assurance").first()
    meeting = Meeting.objects.filter(body=body, held=True).order_by("held_on").first()
    action = Action.objects.filter(body=body, status="open").order_by("pk").first()
    register = RiskRegister.objects.filter(kind="temporary").order_by("pk").first()
    open_register = RiskRegister.objects.filter(closed_on__isnull=True).order_by("pk").first()
    risk = Risk.objects.filter(register=open_register).order_by("pk").first()
    if None in (body, meeting, action, register, open_register, risk):
        return  # the demo's governance records are not built
    pages = [
        (reverse("governance:home"), "Governance and assurance"),
        (reverse("governance:body-add"), "Add a body"),
        (reverse("governance:body-detail", args=[body.pk]), "Body"),
        (reverse("governance:terms-add", args=[body.pk]), "New terms of reference"),
        (reverse("governance:meeting-add", args=[body.pk]), "Plan a meeting"),
        (reverse("governance:action-add", args=[body.pk]), "Add an action"),
        (reverse("governance:register-add", args=[body.pk]), "Open a risk register"),
        (reverse("governance:meeting-detail", args=[meeting.pk]), "Meeting"),
        (reverse("governance:attendance", args=[meeting.pk]), "Attendance and apologies"),
        (reverse("governance:decision-add", args=[meeting.pk]), "Record a decision"),
        (reverse("governance:minutes-add", args=[meeting.pk]), "Minutes"),
        (reverse("governance:paper-add", args=[meeting.pk]), "Add a paper"),
        (reverse("governance:action-list"), "Action log"),
        (reverse("governance:overdue"), "Overdue actions"),
        (reverse("governance:action-detail", args=[action.pk]), "Action"),
        (reverse("governance:action-close", args=[action.pk]), "Close an action"),
        (reverse("governance:action-carry", args=[action.pk]), "Carry an action forward"),
        (reverse("governance:register-list"), "Risk registers"),
        (reverse("governance:register-detail", args=[register.pk]), "Risk register (closed)"),
        (reverse("governance:risk-add", args=[open_register.pk]), "Add a risk"),
        (reverse("governance:register-close", args=[open_register.pk]), "Close a risk register"),
        (reverse("governance:risk-detail", args=[risk.pk]), "Risk with its score history"),
        (reverse("governance:risk-review", args=[risk.pk]), "Review a risk"),
    ]
    priority = Priority.objects.order_by("pk").first()
    commitment = Commitment.objects.order_by("pk").first()
    if priority is not None and commitment is not None:
        pages += [
            (reverse("governance:priorities"), "Priorities and business plan"),
            (reverse("governance:priority-add"), "Add a priority"),
            (reverse("governance:priority-detail", args=[priority.pk]), "Priority"),
            (reverse("governance:objective-add", args=[priority.pk]), "Add an objective"),
            (reverse("governance:commitments"), "Commitments"),
            (reverse("governance:commitment-add"), "Add a commitment"),
            (reverse("governance:commitment-detail", args=[commitment.pk]), "Commitment"),
            (reverse("governance:commitment-update", args=[commitment.pk]),
             "Update a commitment"),
        ]
    for path, label in pages:
        w.open("business.staffs", path, label)
    page = w.open("business.staffs", reverse("governance:action-add", args=[body.pk]),
                  "Add an action")
    w.submit(page, "Add an action, empty (error summary)",
             expect_path=reverse("governance:action-add", args=[body.pk]))
