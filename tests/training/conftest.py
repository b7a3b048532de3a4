"""Training fixtures: the demo world with a small STAFFS programme at fixed dates."""

from __future__ import annotations

import datetime as dt

import pytest
from django.utils import timezone

from safeguarding.core.models import Partnership, User
from safeguarding.training import services


def at(day: str, hour: int = 9) -> dt.datetime:
    return timezone.make_aware(dt.datetime.combine(dt.date.fromisoformat(day), dt.time(hour)))


@pytest.fixture
def staffs(demo_world):
    return Partnership.objects.get(code="STAFFS")


@pytest.fixture
def course(staffs):
    return services.course_add(
        actor=None, partnership=staffs, code="CE1", title="Child exploitation", level="level_2",
        audience="Practitioners working with young people", outcomes="Spot the signs",
        format="virtual", length="full_day", refresh_months=36)


@pytest.fixture
def session(course):
    # Tuesday 10 March 2026: the 3-working-day cut-off is Thursday 5 March.
    return services.session_add(actor=None, course=course, starts_at=at("2026-03-10", 10),
                                ends_at=at("2026-03-10", 16), trainers="A Trainer",
                                capacity=2, joining_link="https://meet.example.org/ce1")


@pytest.fixture
def learners(demo_world):
    names = ["social.worker", "police.officer", "health.visitor", "social.worker.stoke"]
    people = {n: User.objects.get(username=n) for n in names}
    for name, person in people.items():
        person.email = f"{name}@example.org"
        person.save()
    return people
