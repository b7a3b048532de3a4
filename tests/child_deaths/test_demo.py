"""The child death demo: the seed's volumes, deterministic from the seed."""

from __future__ import annotations

from collections import Counter

import pytest
from django.db import transaction

from safeguarding.child_deaths import demo, statistics
from safeguarding.child_deaths.models import CdopReview, ChildDeath, InformationRequest
from safeguarding.core.models import Partnership
from tests.child_deaths.helpers import user

pytestmark = pytest.mark.django_db


def _partnerships() -> dict[str, Partnership]:
    return {p.code: p for p in Partnership.objects.all()}


def _digest() -> list[tuple]:
    return list(
        ChildDeath.objects.order_by("notified_on", "child__last_name").values_list(
            "partnership__code",
            "child__first_name",
            "child__last_name",
            "child__nhs_number",
            "date_of_death",
            "age_at_death_days",
            "jar_triggers",
            "review__category",
            "review__modifiable",
            "review__review_date",
        )
    )


class _Rollback(Exception):
    pass


def test_demo_is_deterministic_from_the_seed(demo_world):
    try:
        with transaction.atomic():
            demo.build(seed=11, partnerships=_partnerships())
            first = _digest()
            raise _Rollback
    except _Rollback:
        pass
    assert not ChildDeath.objects.exists()
    demo.build(seed=11, partnerships=_partnerships())
    assert _digest() == first and len(first) == sum(y[0] for y in demo.YEARS.values())


def test_demo_matches_the_seed_year(demo_world):
    result = demo.build(seed=2021, partnerships=_partnerships())
    assert result["child_deaths"] == 270
    figures = {
        f.id: f
        for f in statistics.child_death_statistics(
            actor=user("cdop.member"), scope_key="panel-STAFFS", year="2020-21"
        )["headline"]
    }
    assert figures["notified"].value == 69
    assert figures["neonatal"].numerator == 39 and figures["neonatal"].value == 56.5  # "57%"
    assert (
        figures["unexpected_jar"].numerator == 18 and round(figures["unexpected_jar"].value) == 26
    )
    assert figures["reviewed"].value == 65
    assert figures["modifiable"].numerator == 15
    for year in ("2018-19", "2019-20", "2021-22"):
        f = {
            f.id: f
            for f in statistics.child_death_statistics(
                actor=user("cdop.member"), scope_key="panel-STAFFS", year=year
            )["headline"]
        }
        assert 65 <= f["notified"].value <= 70
        assert 35 <= f["neonatal"].value <= 45
    # Both partnerships have deaths; some requests were late, some are still outstanding.
    assert set(ChildDeath.objects.values_list("partnership__code", flat=True)) == {
        "STAFFS",
        "STOKE",
    }
    requests = list(InformationRequest.objects.all())
    late = [r for r in requests if r.received_on and r.received_on > r.due_on]
    assert late and len(late) < len(requests) / 2
    assert any(r.received_on is None for r in requests)
    assert (
        ChildDeath.objects.filter(jar__isnull=False).count()
        == ChildDeath.objects.exclude(jar_triggers=[]).count()
    )
    # Over the four years perinatal/neonatal events are the largest category, then
    # chromosomal, genetic and congenital anomalies.
    counts = Counter(CdopReview.objects.values_list("category", flat=True))
    assert [code for code, _ in counts.most_common(2)] == [8, 7]
    trend = statistics.child_death_statistics(
        actor=user("cdop.member"), scope_key="panel-STAFFS", year="2021-22", trend_category=2
    )["trend"]
    assert [p.title for p in trend["years"]][-4:] == ["2018-19", "2019-20", "2020-21", "2021-22"]
    assert trend["years"][0].value is None  # 2017-18: before the demo's data
