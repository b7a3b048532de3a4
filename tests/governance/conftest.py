"""Governance fixtures: the demo world (built once per module) and a small body with terms."""

from __future__ import annotations

import datetime as dt

import pytest

from safeguarding.core.models import Agency, Partnership, User
from safeguarding.governance import services


@pytest.fixture
def demo_world(module_demo_world, db):
    """The demo world built once per test module (each test still rolls back)."""
    return module_demo_world


@pytest.fixture
def staffs(demo_world):
    return Partnership.objects.get(code="STAFFS")


@pytest.fixture
def stoke(demo_world):
    return Partnership.objects.get(code="STOKE")


@pytest.fixture
def agencies(demo_world):
    return {a.kind if a.kind != "education" else a.name: a for a in Agency.objects.all()
            if a.kind != "la_childrens_services" or "County" in a.name}


@pytest.fixture
def business_unit(demo_world):
    return User.objects.get(username="business.staffs")


@pytest.fixture
def body(staffs, agencies, business_unit):
    """A task group with three member agencies (the safeguarding partners), quorum two."""
    found = services.body_add(actor=business_unit, partnership=staffs, kind="task_group",
                              name="Test task group", started_on=dt.date(2020, 4, 1))
    services.terms_add(
        actor=business_unit, body=found, purpose="To test", chair="A Chair", quorum=2,
        frequency="monthly", effective_from=dt.date(2020, 4, 1), review_on=dt.date(2021, 4, 1),
        members=[(agencies["la_childrens_services"], "Head of safeguarding"),
                 (agencies["police"], "Detective inspector"),
                 (agencies["health"], "Designated nurse")], papers_days=5)
    return found


@pytest.fixture(scope="module")
def module_governance_demo(module_demo_world, django_db_blocker):
    """The governance demo (governance/demo.py), built once inside the module's demo world."""
    from safeguarding.governance import demo

    with django_db_blocker.unblock():
        demo.build(7, {p.code: p for p in Partnership.objects.all()})
    return module_demo_world


@pytest.fixture
def governance_demo(module_governance_demo, db):
    return module_governance_demo
