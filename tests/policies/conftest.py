"""Policies fixtures: the demo world (no modules) with a small library."""

from __future__ import annotations

import datetime as dt

import pytest
from django.utils import timezone

from safeguarding.core.models import Partnership, User
from safeguarding.policies import services


@pytest.fixture
def staffs(demo_world):
    return Partnership.objects.get(code="STAFFS")


@pytest.fixture
def stoke(demo_world):
    return Partnership.objects.get(code="STOKE")


@pytest.fixture
def owner(demo_world):
    person = User.objects.get(username="board.police")
    person.email = "board.police@example.org"
    person.save()
    return person


@pytest.fixture
def joint(staffs, stoke, owner):
    """A joint policy of both partnerships, due for review in 100 days."""
    return services.policy_add(
        actor=None, title="Escalation and resolving professional disagreements", owner=owner,
        partnerships=[staffs, stoke], review_due=timezone.localdate() + dt.timedelta(days=100),
        body="When practitioners disagree about a child's safety they escalate through "
             "three stages to the designated safeguarding leads.",
        published_on=timezone.localdate() - dt.timedelta(days=300))


@pytest.fixture
def stoke_only(stoke):
    return services.policy_add(
        actor=None, title="Children who self-harm", owner=User.objects.get(
            username="business.stoke"), partnerships=[stoke],
        review_due=timezone.localdate() + dt.timedelta(days=200),
        body="Self-harm pathway for Stoke-on-Trent escalation contacts.",
        published_on=timezone.localdate() - dt.timedelta(days=30))
