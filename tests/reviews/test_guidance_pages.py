"""Help in place (issue 18): the serious incident and rapid review pages link, in plain
words, to the guidance their judgements follow (core/data/guidance.yaml)."""

from __future__ import annotations

import datetime as dt

from django.urls import reverse


def _guided(page: str, key: str) -> bool:
    return f'data-guidance="{key}"' in page and '<details class="govuk-details"' in page


def test_notification_and_rapid_review_decision_pages_show_their_guidance(
        make_incident, client_for, on_day):
    on_day(dt.date(2021, 6, 1))
    incident = make_incident(dt.date(2021, 4, 1), sent_on=dt.date(2021, 4, 9))
    client = client_for("business.staffs")
    for url, key, source in [
        (reverse("reviews:incident-add"), "serious_incident_notification",
         "Children Act 2004, section 16C"),
        (reverse("reviews:incident-notify", args=[incident.pk]),
         "serious_incident_notification", "within 5 working days"),
        (reverse("reviews:rapid-review-decision", args=[incident.pk]), "rapid_review_decision",
         "within 15 working days of the notification"),
    ]:
        page = client.get(url).content.decode()
        assert _guided(page, key), url
        assert source in page
        assert "(opens in a new tab)" in page
