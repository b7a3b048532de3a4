"""Help in place (issue 18): the panel's review page links, in plain words, to the
guidance on categorising a death and judging modifiable factors."""

from __future__ import annotations

import datetime as dt

from django.urls import reverse

from tests.child_deaths.helpers import notify


def test_the_panel_review_page_shows_the_categorisation_guidance(client_for):
    case = notify(code="STAFFS", expected="expected", date_of_death=dt.date(2021, 6, 1),
                  notified_on=dt.date(2021, 6, 1))
    page = client_for("cdop.member").get(reverse("child_deaths:review", args=[case.pk]))
    text = page.content.decode()
    assert page.status_code == 200
    assert 'data-guidance="cdop_categorisation"' in text
    assert "highest-ranked" in text and "Modifiable factors are factors" in text
    # Part of it is inferred: the page says so rather than passing it off as law.
    assert "to confirm against the current documents" in text
