"""Naming a serious incident's children by identifier goes through the audited door.

The business unit finds the children of its partnership and of those it coordinates
practice reviews for; every child found is audited against the person. A child the
person may not see is refused with the same words as an identifier nobody has, and the
refusal is audited.
"""

from __future__ import annotations

import datetime as dt

import pytest
from django.core.exceptions import ValidationError

from safeguarding.core.models import AuditEvent, User
from safeguarding.reviews import services
from safeguarding.reviews.services._common import Errors

from .conftest import first_child

PURPOSE = "link child to serious incident notification"


def _user(name: str) -> User:
    return User.objects.get(username=name)


def test_each_child_found_is_audited_against_the_person(staffs, stoke, on_day):
    on_day(dt.date(2021, 4, 20))
    own, coordinated = first_child(staffs), first_child(stoke)
    incident = services.incident_create(
        actor=_user("business.staffs"), partnership=staffs, aware_on=dt.date(2021, 4, 1),
        harm="death", abuse_or_neglect="known", looked_after=False, summary="What happened.",
        child_identifiers=[own.la_child_id, f"861/{coordinated.la_child_id}"])
    assert set(incident.children.all()) == {own, coordinated}
    for child in (own, coordinated):
        assert AuditEvent.objects.filter(
            action="read", object_type="children.child", object_id=str(child.pk),
            actor__username="business.staffs", purpose=PURPOSE).count() == 1


def _only_message(errors: Errors) -> str:
    [message] = errors.by_field["children"]
    return message


def test_a_child_the_person_may_not_see_is_refused_like_a_miss_and_audited(staffs, demo_world):
    child = first_child(staffs)
    asker = _user("social.worker.stoke")  # a Stoke practitioner: no Staffordshire children
    assert not asker.has_perm("children.view_child", child)

    hidden = Errors()
    assert services.find_children(staffs, [child.nhs_number], hidden, actor=asker) == []
    missing = Errors()
    assert services.find_children(staffs, ["9999999999"], missing, actor=asker) == []
    assert (_only_message(hidden).replace(child.nhs_number, "?")
            == _only_message(missing).replace("9999999999", "?"))
    assert AuditEvent.objects.filter(
        action="denied", object_type="children.child", object_id=str(child.pk),
        actor__username="social.worker.stoke", purpose=PURPOSE).count() == 1
    assert not AuditEvent.objects.filter(action="read", object_id=str(child.pk),
                                         actor__username="social.worker.stoke").exists()


def test_the_refusals_audit_row_survives_the_refused_incident(stoke, staffs, on_day):
    """Stoke-on-Trent's business unit does not review for Staffordshire: refused, audited."""
    on_day(dt.date(2021, 4, 20))
    child = first_child(staffs)
    before_sequence = AuditEvent.objects.order_by("-sequence").values_list(
        "sequence", flat=True).first() or 0
    with pytest.raises(ValidationError) as caught:
        services.incident_create(
            actor=_user("business.stoke"), partnership=stoke, aware_on=dt.date(2021, 4, 1),
            harm="death", abuse_or_neglect="known", looked_after=False, summary="x",
            child_identifiers=[child.nhs_number])
    assert "No single child has" in caught.value.message_dict["children"][0]
    # The attempt is on the record for Staffordshire's business unit; the incident is not.
    assert AuditEvent.objects.filter(
        action="denied", object_type="children.child", object_id=str(child.pk),
        actor__username="business.stoke", purpose=PURPOSE).count() == 1
    assert not AuditEvent.objects.filter(sequence__gt=before_sequence,
                                         object_type="reviews.seriousincident").exists()
    assert not AuditEvent.objects.filter(action="read", object_id=str(child.pk),
                                         actor__username="business.stoke").exists()
