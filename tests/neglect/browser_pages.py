"""The GCP2 pages for the browser tests (tests/browser/site_map.py calls walk).

The demo's champions, licences and summaries (neglect/demo.py) give the records; the
business unit opens every page and sends one form empty to see the error summary; a
practitioner opens the summary form for their agency.
"""

from __future__ import annotations

from django.urls import reverse


def walk(w) -> None:
    from safeguarding.neglect.models import AssessmentSummary, Champion, Licence

    champion = Champion.objects.filter(stepped_down_on__isnull=True).order_by("pk").first()
    licence = Licence.objects.filter(withdrawn_on__isnull=True,
                                     renewed_by__isnull=True).order_by("pk").first()
    summary = AssessmentSummary.objects.order_by("pk").first()
    if None in (champion, licence, summary):
        return  # the demo's GCP2 records are not built
    pages = [
        (reverse("neglect:home"), "Neglect: GCP2"),
        (reverse("neglect:champions"), "GCP2 champions"),
        (reverse("neglect:champion-add"), "Add a GCP2 champion"),
        (reverse("neglect:champion-step-down", args=[champion.pk]), "A champion steps down"),
        (reverse("neglect:licences"), "Current GCP2 licences"),
        (reverse("neglect:expiring"), "GCP2 licences expiring soon"),
        (reverse("neglect:licence-add"), "Issue a GCP2 licence"),
        (reverse("neglect:licence-renew", args=[licence.pk]), "Renew a GCP2 licence"),
        (reverse("neglect:licence-withdraw", args=[licence.pk]), "Withdraw a GCP2 licence"),
        (reverse("neglect:summaries"), "GCP2 assessment summaries"),
        (reverse("neglect:summary-add"), "Record a GCP2 assessment summary"),
        (reverse("neglect:summary-detail", args=[summary.pk]), "GCP2 assessment summary"),
    ]
    for path, label in pages:
        w.open("business.staffs", path, label)
    w.open("social.worker", reverse("neglect:summary-add"),
           "Record a GCP2 assessment summary (practitioner)")
    page = w.open("business.staffs", reverse("neglect:licence-add"), "Issue a GCP2 licence")
    w.submit(page, "Issue a GCP2 licence, empty (error summary)",
             expect_path=reverse("neglect:licence-add"))
