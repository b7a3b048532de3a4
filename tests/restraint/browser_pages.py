"""The review of restraint pages for the browser tests (tests/browser/site_map.py calls walk).

The demo's YOI (restraint/demo.py) gives the records; a member of the Review of Restraint
sub-group opens every page, and the business unit reads an incident with the child's name.
"""

from __future__ import annotations

from django.urls import reverse


def walk(w) -> None:
    from safeguarding.restraint.models import Establishment, Incident, Sample, SampleItem

    est = Establishment.objects.order_by("pk").first()
    if est is None:
        return
    incident = Incident.objects.filter(establishment=est, review__isnull=False,
                                       edits__isnull=True).order_by("pk").first()
    sample = Sample.objects.filter(establishment=est, actions__isnull=False).order_by("pk").first()
    item = SampleItem.objects.filter(sample=sample).order_by("pk").first()
    if incident is None or sample is None or item is None:
        return  # the demo's restraint records are not built
    pages = [
        (reverse("restraint:home"), "Review of restraint"),
        (reverse("restraint:incident-list", args=[est.pk]) + "?month=2020-06",
         "Restraints in a month"),
        (reverse("restraint:incident-add", args=[est.pk]), "Record a restraint"),
        (reverse("restraint:import", args=[est.pk]), "Import restraint incidents"),
        (reverse("restraint:due", args=[est.pk]), "Restraint reviews due and overdue"),
        (reverse("restraint:sample-list", args=[est.pk]), "Quarterly footage samples"),
        (reverse("restraint:insight", args=[est.pk]), "Where and when restraints happen"),
        (reverse("restraint:incident-detail", args=[incident.pk]), "Restraint"),
        (reverse("restraint:incident-edit", args=[incident.pk]), "Change a restraint"),
        (reverse("restraint:incident-review", args=[incident.pk]), "Review a restraint"),
        (reverse("restraint:sample-detail", args=[sample.pk]), "Footage sample"),
        (reverse("restraint:sample-item", args=[item.pk]), "Footage review checklist"),
    ]
    for path, label in pages:
        w.open("restraint.member", path, label)
    page = w.open("restraint.member", reverse("restraint:incident-add", args=[est.pk]),
                  "Record a restraint")
    w.submit(page, "Record a restraint, empty (error summary)",
             expect_path=reverse("restraint:incident-add", args=[est.pk]))
    w.open("business.staffs", reverse("restraint:incident-detail", args=[incident.pk]),
           "Restraint, business unit (child's identity)")
