"""The demo's reviews: the seed's volumes, clocks met and missed, the same from the same seed."""

import datetime as dt

from safeguarding.core.models import Partnership
from safeguarding.measures.periods import parse_financial_year
from safeguarding.reviews import demo, statistics
from safeguarding.reviews.models import (
    Action,
    Decision,
    PracticeReview,
    RapidReview,
    ReviewKind,
    SeriousIncident,
)


def _build(seed=7):
    return demo.build(seed, {p.code: p for p in Partnership.objects.all()})


def _snapshot():
    return sorted(SeriousIncident.objects.values_list(
        "reference", "aware_on", "notification_due", "notification_sent_on",
        "rapid_review__due_on", "rapid_review__completed_on", "children__la_child_id"))


def test_demo_follows_the_seed(demo_world):
    result = _build()
    staffs = Partnership.objects.get(code="STAFFS")
    assert result["incidents"] == SeriousIncident.objects.count() >= 20
    # About five rapid reviews a year; 2020-21 exactly five, three Staffordshire, two Stoke.
    _, summary = statistics.statistics(staffs, parse_financial_year("2020-21"))
    assert summary["rapid_reviews"] == 5
    assert sorted(summary["rapid_reviews_by_childrens_partnership"].values()) == [2, 3]
    # Seven rapid reviews about babies September 2019 to March 2020, one thematic review.
    thematic = PracticeReview.objects.get(kind=ReviewKind.THEMATIC)
    assert thematic.incidents.count() == 7
    assert all(dt.date(2019, 9, 1) <= i.aware_on <= dt.date(2020, 3, 31)
               for i in thematic.incidents.all())
    assert thematic.final_on == dt.date(2021, 3, 24)
    # Completed in 2020-21: one published, two deferred by parallel criminal proceedings.
    local = PracticeReview.objects.filter(kind=ReviewKind.LOCAL, final_on__gte=dt.date(2020, 4, 1),
                                          final_on__lte=dt.date(2021, 3, 31))
    assert local.count() == 3
    assert local.filter(published_on__isnull=False).count() == 1
    assert local.filter(deferral_reason="criminal_proceedings",
                        published_on__isnull=True).count() == 2
    # Every review came from a rapid review decision.
    assert RapidReview.objects.filter(decision=Decision.LOCAL_REVIEW).count() == \
        PracticeReview.objects.filter(kind=ReviewKind.LOCAL).count()
    assert RapidReview.objects.filter(decision=Decision.NATIONAL_REVIEW).count() == 1


def test_demo_clocks_are_both_met_and_missed(demo_world):
    _build()
    incidents = SeriousIncident.objects.all()
    on_time = [i.notification_sent_on <= i.notification_due for i in incidents]
    assert any(on_time) and not all(on_time)
    reviews = RapidReview.objects.all()
    met = [r.completed_on <= r.due_on for r in reviews]
    assert any(met) and not all(met)
    published = PracticeReview.objects.filter(published_on__isnull=False)
    in_time = [r.published_on <= r.publication_due for r in published]
    assert any(in_time) and not all(in_time)
    assert Action.objects.filter(status="done").exists()
    assert Action.objects.exclude(status="done").exists()
    assert all(i.notification_due_rule == "serious_incident_notification" for i in incidents)


def test_demo_is_the_same_from_the_same_seed(demo_world):
    _build(seed=11)
    first = _snapshot()
    for model in (Action, PracticeReview, SeriousIncident):
        model.objects.all().delete()
    _build(seed=11)
    assert _snapshot() == first
