"""The audit pages for the browser tests (tests/browser/site_map.py calls walk).

The demo's audits (audits/demo.py) give the records: the completed neglect audit (its case,
moderation screen and a submitted return) and the exploitation audit with returns still
open (an open return). The business unit opens every page and sends one form empty to see
the error summary; the police officer opens the return their agency owes.
"""

from __future__ import annotations

from django.urls import reverse


def walk(w) -> None:
    from safeguarding.audits.models import AgencyReturn, Audit

    neglect = Audit.objects.filter(theme="neglect", status="complete").first()
    exploitation = Audit.objects.filter(theme="exploitation").first()
    if neglect is None or exploitation is None:
        return  # the demo's audits are not built
    case = neglect.cases.order_by("number").first()
    submitted = AgencyReturn.objects.filter(case=case, submitted_on__isnull=False).first()
    owed = AgencyReturn.objects.filter(case__audit=exploitation, submitted_on__isnull=True,
                                       agency__kind="police").order_by("pk").first()
    programme = neglect.programme
    pages = [
        (reverse("audits:home"), "Multi-agency case audits"),
        (reverse("audits:programme-add"), "Add an audit programme"),
        (reverse("audits:programme-detail", args=[programme.pk]), "Audit programme"),
        (reverse("audits:audit-add", args=[programme.pk]), "Plan an audit"),
        (reverse("audits:audit-detail", args=[neglect.pk]), "Audit (complete)"),
        (reverse("audits:audit-detail", args=[exploitation.pk]), "Audit (returns open)"),
        (reverse("audits:question-add", args=[exploitation.pk]), "Add a question"),
        (reverse("audits:sample-draw", args=[exploitation.pk]), "Draw the sample"),
        (reverse("audits:returns-open", args=[exploitation.pk]), "Open the returns"),
        (reverse("audits:finding-add", args=[neglect.pk]), "Record a finding"),
        (reverse("audits:action-add", args=[neglect.pk]), "Add an action"),
        (reverse("audits:audit-complete", args=[exploitation.pk]), "Sign the audit off"),
        (reverse("audits:case-detail", args=[case.pk]), "Case file"),
        (reverse("audits:moderate", args=[case.pk]), "Moderation (answers side by side)"),
        (reverse("audits:return-edit", args=[submitted.pk]), "Submitted return"),
    ]
    for path, label in pages:
        w.open("business.staffs", path, label)
    w.open("police.officer", reverse("audits:return-edit", args=[owed.pk]), "Return owed")
    page = w.open("business.staffs", reverse("audits:finding-add", args=[neglect.pk]),
                  "Record a finding")
    w.submit(page, "Record a finding, empty (error summary)",
             expect_path=reverse("audits:finding-add", args=[neglect.pk]))
