"""Audit fixtures: the demo world (built once per module), the governance demo (for the
Scrutiny and Assurance body whose action log holds audit actions) and a planned audit."""

from __future__ import annotations

import datetime as dt

import pytest

from safeguarding.audits import services
from safeguarding.core.models import Agency, Partnership, User


@pytest.fixture(scope="module")
def module_world(module_demo_world, django_db_blocker):
    from safeguarding.governance import demo

    with django_db_blocker.unblock():
        demo.build(7, {p.code: p for p in Partnership.objects.all()})
    return module_demo_world


@pytest.fixture
def demo_world(module_world, db):
    return module_world


@pytest.fixture
def staffs(demo_world):
    return Partnership.objects.get(code="STAFFS")


@pytest.fixture
def stoke(demo_world):
    return Partnership.objects.get(code="STOKE")


@pytest.fixture
def partners(staffs):
    """Children's services, the police and health of Staffordshire."""
    return [staffs.agencies.filter(kind=k).order_by("pk").first()
            for k in ("la_childrens_services", "police", "health")]


@pytest.fixture
def business_unit(demo_world):
    return User.objects.get(username="business.staffs")


@pytest.fixture
def scrutiny(staffs):
    from safeguarding.governance import selectors

    return selectors.partnership_bodies(staffs).get(name="Scrutiny and Assurance")


@pytest.fixture
def programme(staffs, business_unit, scrutiny):
    return services.programme_add(actor=business_unit, partnership=staffs, year=2020,
                                  body=scrutiny)


@pytest.fixture
def audit(programme, business_unit, partners):
    return services.audit_add(
        actor=business_unit, programme=programme, title="Neglect audit", theme="neglect",
        terms_of_reference="How agencies respond to neglect", scale="ofsted",
        planned_on=dt.date(2020, 10, 1), population="known_to_agencies", sample_size=3,
        agencies=partners)


def fill(audit, agency_return, *, submit=True, on=dt.date(2020, 10, 20), grade="good",
         actor=None):
    answers = {q.pk: f"Answer from {agency_return.agency.name}"
               for s in audit.sections.all() for q in s.questions.all()}
    grades = {s.pk: grade for s in audit.sections.all()}
    return services.return_save(actor=actor, agency_return=agency_return, answers=answers,
                                grades=grades, good_practice="Good", development="Dev",
                                recommendations="Rec", submit=submit, on=on)


def user_of(username: str) -> User:
    return User.objects.get(username=username)


def agency(name_start: str) -> Agency:
    return Agency.objects.get(name__startswith=name_start)
