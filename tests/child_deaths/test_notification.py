"""Notification: who is covered, neonatal derived, Joint Agency Response triggers, linking."""

from __future__ import annotations

import datetime as dt

import pytest
import yaml
from django.core.exceptions import ValidationError

from safeguarding.child_deaths import ages, code_lists
from safeguarding.child_deaths.models import ChildDeath
from safeguarding.children.models import Child
from safeguarding.core.models import AuditEvent
from tests.child_deaths.helpers import audit_rows, notify, partnership, user

pytestmark = pytest.mark.django_db


@pytest.mark.parametrize("status", ["stillbirth", "termination"])
def test_stillbirths_and_terminations_are_refused_with_the_reason(demo_world, status):
    children_before = Child.objects.count()
    with pytest.raises(ValidationError) as refused:
        notify(birth_status=status)
    message = refused.value.message_dict["birth_status"][0]
    assert "Stillbirths" in message and "lawful terminations of pregnancy" in message
    assert "born alive" in message
    assert ChildDeath.objects.count() == 0
    assert Child.objects.count() == children_before


def test_suspected_unattended_stillbirth_is_notified_with_its_trigger(demo_world):
    case = notify(
        birth_status="suspected_stillbirth_unattended",
        expected="unexpected",
        date_of_birth=dt.date(2020, 6, 1),
    )
    assert case.jar_triggers == [code_lists.UNATTENDED_STILLBIRTH]
    assert case.jar_required


@pytest.mark.parametrize(
    ("age_days", "neonatal", "band"),
    [
        (0, True, "neonatal_early"),
        (6, True, "neonatal_early"),
        (7, True, "neonatal_late"),
        (27, True, "neonatal_late"),
        (28, False, "post_neonatal"),
        (29, False, "post_neonatal"),
    ],
)
def test_neonatal_is_derived_from_the_dates(demo_world, age_days, neonatal, band):
    death = dt.date(2020, 6, 1)
    case = notify(date_of_birth=death - dt.timedelta(days=age_days), date_of_death=death)
    case.refresh_from_db()
    assert case.age_at_death_days == age_days
    assert case.neonatal is neonatal
    assert case.age_band == band


def test_neonatal_cannot_be_typed():
    field = ChildDeath._meta.get_field("neonatal")
    assert field.editable is False
    from safeguarding.child_deaths.forms import NotificationForm

    assert "neonatal" not in NotificationForm.base_fields


def test_neonatal_rederived_on_save(demo_world):
    case = notify(date_of_birth=dt.date(2020, 5, 1), date_of_death=dt.date(2020, 6, 1))
    case.neonatal = True  # a stray assignment does not survive a save
    case.save()
    case.refresh_from_db()
    assert case.neonatal is False and case.age_at_death_days == 31


def test_ages_across_a_leap_day_and_the_eighteenth_birthday():
    assert ages.age_band(dt.date(2004, 2, 29), dt.date(2021, 2, 28)) == "age_15_17"
    assert ages.died_before_eighteenth_birthday(dt.date(2003, 6, 2), dt.date(2021, 6, 1))
    assert not ages.died_before_eighteenth_birthday(dt.date(2003, 6, 1), dt.date(2021, 6, 1))


def test_death_on_or_after_the_eighteenth_birthday_is_refused(demo_world):
    with pytest.raises(ValidationError) as refused:
        notify(date_of_birth=dt.date(2002, 6, 1), date_of_death=dt.date(2020, 6, 1))
    assert "18th birthday" in refused.value.message_dict["date_of_death"][0]


def test_jar_triggers_are_data_with_their_source():
    data = yaml.safe_load((code_lists._DATA / "jar_triggers.yaml").read_text())
    assert len(data["triggers"]) == 5
    assert "Child Death Review Statutory and Operational Guidance" in data["source"]
    assert [t.code for t in code_lists.jar_triggers()] == [t["code"] for t in data["triggers"]]


def test_a_trigger_makes_the_death_unexpected(demo_world):
    with pytest.raises(ValidationError) as refused:
        notify(expected="expected", jar_triggers=["external_causes"])
    assert "unexpected" in refused.value.message_dict["expected"][0]
    case = notify(expected="unexpected", jar_triggers=["not_natural", "external_causes"])
    assert case.jar_triggers == ["external_causes", "not_natural"]  # data-file order
    assert case.jar_required


def test_unknown_and_misplaced_triggers_are_refused(demo_world):
    with pytest.raises(ValidationError) as refused:
        notify(expected="unexpected", jar_triggers=["made_up"])
    assert "jar_triggers" in refused.value.message_dict
    with pytest.raises(ValidationError) as refused:
        notify(expected="unexpected", jar_triggers=["unattended_stillbirth"])
    assert (
        "not known whether the baby was born alive" in refused.value.message_dict["jar_triggers"][0]
    )


def test_unexpected_without_a_trigger_needs_no_response(demo_world):
    case = notify(expected="unexpected")
    assert not case.jar_required


def test_a_new_child_is_added_to_the_index_and_the_notifier_agency_involved(demo_world):
    case = notify(code="STOKE", nhs_number="999 000 0026", last_name="Newchild")
    child = case.child
    assert child.partnership.code == "STOKE" and child.nhs_number == "9990000026"
    assert child.involvements.filter(agency=case.notifying_agency).exists()
    assert AuditEvent.objects.filter(
        object_type="children.child", object_id=str(child.pk), action="create"
    ).exists()
    assert audit_rows(case, "create").count() == 1


def test_an_existing_child_is_linked_by_nhs_number_through_the_audited_door(demo_world):
    existing = Child.objects.filter(partnership__code="STOKE").exclude(nhs_number="").first()
    before = Child.objects.count()
    case = notify(
        actor="cdop.member",
        code="STOKE",
        nhs_number=existing.nhs_number,
        first_name=existing.first_name,
        last_name=existing.last_name,
        date_of_birth=existing.date_of_birth,
        date_of_death=max(existing.date_of_birth, dt.date(2021, 4, 1)),
        notified_on=dt.date(2021, 4, 2),
    )
    assert case.child == existing and Child.objects.count() == before
    read = AuditEvent.objects.get(
        object_type="children.child", object_id=str(existing.pk), action="read"
    )
    assert read.actor == user("cdop.member")


def test_a_second_notification_for_the_same_child_is_refused(demo_world):
    first = notify(nhs_number="9990000026")
    with pytest.raises(ValidationError) as refused:
        notify(
            nhs_number="9990000026",
            first_name=first.child.first_name,
            last_name=first.child.last_name,
        )
    assert first.reference in refused.value.message_dict["nhs_number"][0]


def test_a_mismatched_date_of_birth_is_refused(demo_world):
    notify(nhs_number="9990000026", date_of_birth=dt.date(2015, 5, 1))
    with pytest.raises(ValidationError) as refused:
        notify(nhs_number="9990000026", date_of_birth=dt.date(2015, 5, 2))
    assert "date_of_birth" in refused.value.message_dict


def test_notifying_for_a_partnership_outside_the_panel_is_refused(demo_world):
    from django.core.exceptions import PermissionDenied

    with pytest.raises(PermissionDenied):
        notify(actor="business.stoke", code="STAFFS")
    with pytest.raises(PermissionDenied):
        notify(actor="social.worker")
    assert ChildDeath.objects.count() == 0
    assert partnership("STOKE")  # the world is intact


@pytest.fixture
def demo_world(module_demo_world, db):
    """The demo world built once for this module (tests/conftest.py); each test rolls back."""
    return module_demo_world
