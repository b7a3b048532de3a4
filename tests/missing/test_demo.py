"""The demo's missing years (2019-20 to 2021-22): quarterly police imports, repeat-missing
children, interviews mostly in time, the last returns overdue and one child still missing;
the same seed gives the same records."""

from __future__ import annotations

import datetime as dt

from django.utils import timezone

from safeguarding.core.models import Partnership
from safeguarding.missing import demo, selectors
from safeguarding.missing.models import Episode, EpisodeImport, ReturnInterview


def _snapshot() -> list[tuple]:
    return list(Episode.objects.order_by("force_reference").values_list(
        "force_reference", "category", "child_key", "missing_from", "returned_at",
        "interview__offered_at"))


def test_the_demo_year_arrives_by_import_and_is_reproducible(demo_world):
    staffs = {"STAFFS": Partnership.objects.get(code="STAFFS")}
    total = demo.build(7, staffs)
    assert EpisodeImport.objects.count() == 12 and Episode.objects.count() == total
    assert 30 <= total <= 240
    # The seed's year and the year before it both hold episodes, to compare.
    for year in (2019, 2020):
        assert Episode.objects.filter(missing_from__date__gte=dt.date(year, 4, 1),
                                      missing_from__date__lt=dt.date(year + 1, 4, 1)).count() >= 10
    assert Episode.objects.filter(returned_at__isnull=True).count() == 1
    assert Episode.objects.filter(child__isnull=True).count() == 0
    flagged = {k for (_, k) in selectors._flags_by_child()}
    assert len(flagged) >= demo.REPEATERS
    offered = ReturnInterview.objects.select_related("episode")
    in_time = sum(1 for i in offered if i.offered_at <= i.episode.rhi_due_at)
    assert 0.6 < in_time / offered.count() < 1
    after = timezone.make_aware(dt.datetime(2022, 4, 10))
    assert selectors.overdue_counts(after).get(staffs["STAFFS"].pk, 0) >= 1
    first = _snapshot()
    Episode.objects.all().delete()
    EpisodeImport.objects.all().delete()
    demo.build(7, staffs)
    assert _snapshot() == first
