"""GCP2 fixtures: the demo world (built once per module) with the GCP2 demo on top."""

from __future__ import annotations

import pytest

from safeguarding.core.models import Partnership


@pytest.fixture
def demo_world(module_demo_world, db):
    return module_demo_world


@pytest.fixture(scope="module")
def module_neglect_demo(module_demo_world, django_db_blocker):
    from safeguarding.neglect import demo

    with django_db_blocker.unblock():
        demo.build(7, {p.code: p for p in Partnership.objects.all()})
    return module_demo_world


@pytest.fixture
def neglect_demo(module_neglect_demo, db):
    return module_neglect_demo


@pytest.fixture
def staffs(demo_world):
    return Partnership.objects.get(code="STAFFS")


@pytest.fixture
def stoke(demo_world):
    return Partnership.objects.get(code="STOKE")
