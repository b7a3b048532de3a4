"""The learning-review and child-death statistics pages and APIs show the measure engine's
stored results, and hide a small number in them, rather than counting again.

Each test edits the stored result document (``IndicatorResults``) the engine wrote for
the year; a page that counted the records itself would not show the edit.
"""

from __future__ import annotations

import datetime as dt

import pytest
from django.urls import reverse

from safeguarding.core.models import Partnership
from safeguarding.measures.models import IndicatorResults
from safeguarding.measures.periods import parse_financial_year
from safeguarding.measures.selectors import case_figures
from tests.child_deaths.helpers import notify

D = dt.date
YEAR = parse_financial_year("2021-22")


def _store(partnership: Partnership, year, changes: dict[str, dict]) -> None:
    """Edit the engine's stored results for the partnership and year (its whole scope)."""
    case_figures(partnership=partnership, periods=[year], ids=list(changes))  # computed, stored
    document = IndicatorResults.objects.get(partnership=partnership, period=year.label, scope="")
    for row in document.results:
        row.update(changes.get(row["id"], {}))
    document.save()


def test_the_review_statistics_show_the_engines_result(records, client_for, on_day):
    on_day(D(2021, 12, 1))
    staffs = records["incident"].partnership
    _store(staffs, YEAR, {
        "serious_incident_notifications_on_time": {"value": 83.3, "numerator": 5,
                                                   "denominator": 6},
        "overdue_review_actions": {"value": 3, "numerator": 3},
        "review_actions_fallen_due": {"value": 20, "numerator": 20},
        "rapid_reviews_started": {"value": 3, "numerator": 3},
    })
    url = reverse("reviews:statistics") + f"?partnership={staffs.pk}&period={YEAR.label}"
    page = client_for("business.staffs").get(url).content.decode()
    assert "83.3%" in page and "5 of 6" in page
    assert "of 20 fallen due" in page
    # An analyst sees aggregates only: 5 of 6 is one short of its total, 3 is small.
    analyst = client_for("analyst.staffs").get(url).content.decode()
    assert "83.3%" not in analyst and "5 of 6" not in analyst
    assert "of 20 fallen due" not in analyst and "Fewer than 5" in analyst

    api = "/api/reviews/statistics"
    shown = client_for("business.staffs").get(api, {"partnership": "STAFFS",
                                                    "period": YEAR.label}).json()
    figures = {f["id"]: f for f in shown["figures"]}
    assert figures["serious_incident_notifications_on_time"]["value"] == 83.3
    assert (figures["overdue_review_actions"]["value"],
            figures["overdue_review_actions"]["denominator"]) == (3, 20)
    assert shown["summary"]["rapid_reviews"] == 3
    hidden = client_for("analyst.staffs").get(api, {"partnership": "STAFFS",
                                                    "period": YEAR.label}).json()
    figures = {f["id"]: f for f in hidden["figures"]}
    assert figures["overdue_review_actions"]["value"] is None
    assert figures["serious_incident_notifications_on_time"]["value"] is None
    assert hidden["summary"]["rapid_reviews"] is None


@pytest.mark.django_db
def test_the_child_death_statistics_show_the_engines_result(demo_world, client_for):
    notify(code="STAFFS")
    staffs = Partnership.objects.get(code="STAFFS")
    year = parse_financial_year("2020-21")
    _store(staffs, year, {"child_deaths_notified": {"value": 37, "numerator": 37},
                          "child_deaths_reviewed": {"value": 3, "numerator": 3}})
    query = {"scope": "STAFFS", "year": year.label}
    page = client_for("cdop.member").get(reverse("child_deaths:statistics"), query)
    headline = {f.id: f for f in page.context["result"]["headline"]}
    assert (headline["notified"].value, headline["reviewed"].value) == (37, 3)
    # The analyst's view hides the 3 and still shows the 37.
    analyst = client_for("analyst.staffs").get(reverse("child_deaths:statistics"), query)
    headline = {f.id: f for f in analyst.context["result"]["headline"]}
    assert headline["notified"].value == 37
    assert headline["reviewed"].value is None and headline["reviewed"].suppressed
    assert "37" in analyst.content.decode()
