"""The GCP2 demo holds the seed's 30 champions, licences running to today and at least
three years of agencies' summaries, with work left for the home page."""

from __future__ import annotations

from django.utils import timezone

from safeguarding.neglect import selectors
from safeguarding.neglect.models import AssessmentSummary, Champion, Licence


def test_the_seed_s_thirty_champions_and_three_years_of_summaries(neglect_demo, staffs):
    champions = Champion.objects.filter(partnership=staffs)
    assert champions.count() == 30
    assert champions.values("agency").distinct().count() >= 8  # "a range of agencies"
    years = {p[:4] for p in AssessmentSummary.objects.values_list("period", flat=True)}
    assert {"2020", "2021", "2022"} <= years
    today = timezone.localdate()
    assert selectors.expiring(Licence.objects.filter(partnership=staffs), today).count() >= 3
    owed = selectors.owed([(staffs, a) for a in staffs.agencies.all()], today)
    assert {o.agency.name for o in owed} == {
        "Staffordshire County Council Children's Services", "Staffordshire Police"}
