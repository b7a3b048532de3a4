"""The demo YOI: three years of restraints at the seed's volumes (2019-20 to 2021-22),
arriving month by month by import, reviewed on the next working day with a few late and
the last days overdue, and a reproducible quarterly sample."""

from __future__ import annotations

import datetime as dt

from django.core.management import call_command

from safeguarding.core.models import Partnership
from safeguarding.restraint import demo, selectors, services
from safeguarding.restraint.models import Incident, IncidentImport, Review, Sample


def test_the_demo_year_arrives_by_import_at_the_seed_s_volumes(demo_world, capsys):
    estab = demo.build(7, {"STAFFS": Partnership.objects.get(code="STAFFS")})
    imports = IncidentImport.objects.filter(establishment=estab)
    assert imports.count() == 36
    per_month = sorted(imports.values_list("added", flat=True))
    assert per_month[0] >= 30 and per_month[-1] <= 40
    assert sum(per_month) == sum(sum(months) for months in demo.PER_MONTH_BY_YEAR.values())
    # The seed's year holds the seed's volume; the year before is there to compare with.
    seed_year = Incident.objects.filter(occurred_at__date__gte=dt.date(2020, 4, 1),
                                        occurred_at__date__lt=dt.date(2021, 4, 1))
    assert seed_year.count() == sum(demo.PER_MONTH)
    assert seed_year.filter(pit_used=True).count() == 1
    assert Incident.objects.filter(occurred_at__date__lt=dt.date(2020, 4, 1)).count() > 400
    assert Incident.objects.filter(assault_on_staff=True, occurred_at__year=2020,
                                   occurred_at__month=5).count() == 16
    # January 2021: every restraint filmed with sound.
    january = Incident.objects.filter(occurred_at__year=2021, occurred_at__month=1)
    assert january.exists() and not january.exclude(sound_captured=True).exists()
    # Most reviews on the next working day; the last days of March 2022 are overdue.
    on_time = sum(1 for r in Review.objects.all() if r.reviewed_on <= r.incident.review_due)
    assert on_time / Review.objects.count() > 0.9
    assert selectors.overdue_counts(dt.date(2022, 4, 6)).get(estab.pk, 0) > 0
    # Every sample checks against its stored seed, and the CLI says so.
    for sample in Sample.objects.filter(establishment=estab):
        assert sample.items.count() >= 6 and services.sample_check(sample)
    call_command("restraint", "check", "MYOI", "2020-Q3")
    assert "matches a draw with seed 20202" in capsys.readouterr().out
