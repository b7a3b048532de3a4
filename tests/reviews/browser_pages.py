"""The learning review pages for the browser tests (tests/browser/site_map.py calls walk).

Staffordshire hosts the joint practice-review coordination, so its business unit opens
every page; the demo's reviews give the records. A board member sees the summary view of
an incident, and a practitioner the actions their agency owns.
"""

from __future__ import annotations

import datetime as dt

from django.urls import reverse

STAFFS_CS = "Staffordshire County Council Children's Services"


def walk(w) -> None:
    from safeguarding.children.models import Child
    from safeguarding.core.models import Partnership
    from safeguarding.reviews import clocks, services
    from safeguarding.reviews.models import (
        Action,
        AgencyReturn,
        PracticeReview,
        Recommendation,
        SeriousIncident,
        Theme,
    )

    staffs = Partnership.objects.get(code="STAFFS")
    # A rapid review with returns, a chronology and findings; a practice review with
    # findings, recommendations and actions (the demo's, written through the services).
    incident = (SeriousIncident.objects.filter(partnership=staffs,
                                               rapid_review__findings__isnull=False)
                .order_by("pk").first())
    item = AgencyReturn.objects.filter(rapid_review__incident=incident).order_by("pk").first()
    practice = (PracticeReview.objects.filter(
        partnership=staffs, findings__recommendations__actions__isnull=False)
        .order_by("pk").first())
    recommendation = (Recommendation.objects.filter(finding__practice_review=practice)
                      .order_by("pk").first())
    action = (Action.objects.filter(partnership=staffs, owner_agency__name=STAFFS_CS)
              .order_by("pk").first())
    # The business unit edits its own partnership's themes (the national list is the
    # system administrators'), so the page opens one of Staffordshire's.
    theme = Theme.objects.filter(partnership=staffs).order_by("pk").first() or services.theme_add(
        actor=None, name="Information sharing in Staffordshire",
        description="Sharing what agencies know.", partnership=staffs)
    # A new incident whose notification to the Panel is not yet recorded.
    waiting = services.incident_create(
        actor=None, partnership=staffs, aware_on=clocks.today() - dt.timedelta(days=2),
        harm="serious_harm", abuse_or_neglect="suspected", looked_after=False,
        summary="A child was admitted to hospital with an injury that was not explained.",
        children=[Child.objects.filter(partnership=staffs).order_by("pk").first()])

    pages = [
        (reverse("reviews:home"), "Learning reviews"),
        (reverse("reviews:incident-list"), "Serious incidents"),
        (reverse("reviews:incident-detail", args=[waiting.pk]),
         "Serious incident, notification not recorded"),
        (reverse("reviews:incident-notify", args=[waiting.pk]), "Record the notification"),
        (reverse("reviews:incident-detail", args=[incident.pk]), "Serious incident"),
        (reverse("reviews:incident-edit", args=[incident.pk]), "Edit a serious incident"),
        (reverse("reviews:rapid-review", args=[incident.pk]), "Rapid review"),
        (reverse("reviews:rapid-review-edit", args=[incident.pk]), "Rapid review meeting"),
        (reverse("reviews:rapid-review-decision", args=[incident.pk]),
         "Record the rapid review decision"),
        (reverse("reviews:rapid-review-panel-response", args=[incident.pk]),
         "Record the Panel's response"),
        (reverse("reviews:agency-return-add", args=[incident.pk]), "Request an agency return"),
        (reverse("reviews:agency-return-edit", args=[item.pk]), "Record an agency return"),
        (reverse("reviews:chronology-add", args=[incident.pk]), "Add to the chronology"),
        (reverse("reviews:rapid-review-finding-add", args=[incident.pk]),
         "Add a rapid review finding"),
        (reverse("reviews:practice-review-list"), "Practice reviews"),
        (reverse("reviews:practice-review-add") + f"?incident={incident.pk}",
         "Start a practice review"),
        (reverse("reviews:practice-review-detail", args=[practice.pk]), "Practice review"),
        (reverse("reviews:practice-review-edit", args=[practice.pk]), "Edit a practice review"),
        (reverse("reviews:practice-review-publish", args=[practice.pk]), "Record publication"),
        (reverse("reviews:practice-review-defer", args=[practice.pk]), "Defer publication"),
        (reverse("reviews:practice-review-finding-add", args=[practice.pk]),
         "Add a practice review finding"),
        (reverse("reviews:recommendation-add", args=[recommendation.finding_id]),
         "Add a recommendation"),
        (reverse("reviews:action-add", args=[recommendation.pk]), "Add an action"),
        (reverse("reviews:action-list"), "Actions"),
        (reverse("reviews:action-update", args=[action.pk]), "Update an action"),
        (reverse("reviews:due"), "Reviews due"),
        (reverse("reviews:learning-list"), "Briefings and learning events"),
        (reverse("reviews:learning-add"), "Record a learning event"),
        (reverse("reviews:theme-list"), "Review themes"),
        (reverse("reviews:theme-add"), "Add a review theme"),
        (reverse("reviews:theme-edit", args=[theme.pk]), "Edit a review theme"),
        (reverse("reviews:statistics"), "Review statistics"),
    ]
    for path, label in pages:
        w.open("business.staffs", path, label)

    # A form shown again with its errors: a serious incident with nothing filled in.
    page = w.open("business.staffs", reverse("reviews:incident-add"), "Record a serious incident")
    w.submit(page, "Record a serious incident, empty (error summary)",
             expect_path=reverse("reviews:incident-add"))

    # A board member reads the summary; a practitioner updates their agency's actions.
    w.open("board.police", reverse("reviews:incident-detail", args=[incident.pk]),
           "Serious incident, board member")
    w.open("social.worker", reverse("reviews:home"), "Learning reviews, practitioner")
    w.open("social.worker", reverse("reviews:action-list"), "Actions, practitioner")
