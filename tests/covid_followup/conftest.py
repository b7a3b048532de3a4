from __future__ import annotations

import pytest

from safeguarding.core.models import Agency, Partnership
from safeguarding.covid_followup import services


@pytest.fixture
def demo_world(module_demo_world, db):
    return module_demo_world


@pytest.fixture
def staffs(demo_world):
    return Partnership.objects.get(code="STAFFS")


@pytest.fixture
def schools(staffs):
    return [services.school_add(actor=None, partnership=staffs, urn=urn, name=name,
                                agency=Agency.objects.get(name=f"{name} (demo)"))
            for name, urn in (("Brook Lane Academy", "900101"),
                              ("Hill Top Primary School", "900102"))]


@pytest.fixture(scope="module")
def module_covid_demo(module_demo_world, django_db_blocker):
    from safeguarding.covid_followup import demo

    with django_db_blocker.unblock():
        demo.build(7, {p.code: p for p in Partnership.objects.all()})
    return module_demo_world


@pytest.fixture
def covid_demo(module_covid_demo, db):
    return module_covid_demo
