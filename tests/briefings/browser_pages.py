"""The briefings pages for the browser tests (tests/browser/site_map.py calls walk).

The demo's briefings and campaigns (briefings/demo.py) give the records; the business unit
opens every page and sends one form empty to see the error summary; a practitioner opens
the record-of-use form. The file download is not a page (an attachment).
"""

from __future__ import annotations

from django.urls import reverse

SKIPPED = {"briefings/<int:pk>/file/": "a file download (Content-Disposition: attachment), "
                                       "not a page"}


def walk(w) -> None:
    from safeguarding.briefings.models import Briefing, Campaign

    briefing = Briefing.objects.order_by("issued_on", "pk").first()
    campaign = Campaign.objects.order_by("pk").first()
    if None in (briefing, campaign):
        return  # the demo's briefings are not built
    pages = [
        (reverse("briefings:home"), "Learning briefings"),
        (reverse("briefings:add"), "Issue a learning briefing"),
        (reverse("briefings:detail", args=[briefing.pk]), "Learning briefing"),
        (reverse("briefings:use-add", args=[briefing.pk]), "Record how a team used the briefing"),
        (reverse("briefings:campaigns"), "Campaigns"),
        (reverse("briefings:campaign-add"), "Add a campaign"),
        (reverse("briefings:campaign-edit", args=[campaign.pk]), "Update a campaign's reach"),
    ]
    for path, label in pages:
        w.open("business.staffs", path, label)
    w.open("police.officer", reverse("briefings:use-add", args=[briefing.pk]),
           "Record how a team used the briefing (practitioner)")
    page = w.open("business.staffs", reverse("briefings:campaign-add"), "Add a campaign")
    w.submit(page, "Add a campaign, empty (error summary)",
             expect_path=reverse("briefings:campaign-add"))
