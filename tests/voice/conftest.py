"""Voice fixtures: the demo world (built once per module), governance's and voice's demo."""

from __future__ import annotations

import datetime as dt

import pytest

from safeguarding.core.models import Partnership, User
from safeguarding.voice import services


@pytest.fixture
def demo_world(module_demo_world, db):
    return module_demo_world


@pytest.fixture
def staffs(demo_world):
    return Partnership.objects.get(code="STAFFS")


@pytest.fixture
def stoke(demo_world):
    return Partnership.objects.get(code="STOKE")


@pytest.fixture
def business_unit(demo_world):
    return User.objects.get(username="business.staffs")


@pytest.fixture
def survey(staffs, business_unit):
    """A draft anonymous survey of young people: one closed question, one free text."""
    found = services.survey_create(actor=business_unit, partnership=staffs,
                                   title="Feeling safe", audience="children", anonymous=True,
                                   themes=["child_exploitation"])
    services.question_add(actor=business_unit, survey=found, key="knife",
                          text="How worried are you about knife crime?", kind="single",
                          tag="knife_crime_worry",
                          options=[("worried", "Worried"), ("not_worried", "Not worried")])
    services.question_add(actor=business_unit, survey=found, key="safer", kind="free_text",
                          text="What would make you feel safer?")
    return found


@pytest.fixture
def open_survey(survey, business_unit):
    return services.survey_open(actor=business_unit, survey=survey, on=dt.date(2020, 9, 1))


@pytest.fixture(scope="module")
def module_voice_demo(module_demo_world, django_db_blocker):
    from safeguarding.governance import demo as governance_demo
    from safeguarding.voice import demo

    with django_db_blocker.unblock():
        partnerships = {p.code: p for p in Partnership.objects.all()}
        governance_demo.build(7, partnerships)
        demo.build(7, partnerships)
    return module_demo_world


@pytest.fixture
def voice_demo(module_voice_demo, db):
    return module_voice_demo
