"""The need-to-know rule for child records, checked against an independent statement of it.

Business unit: every child of its own partnership. Practitioner, school key adult
and sub-group member: a child of the seat's own partnership, only while the seat's
agency has an open involvement.
Analyst, board member and system administrator: never an identifiable record.
"""

from __future__ import annotations

import datetime as dt

import pytest

from safeguarding.children import selectors, services
from safeguarding.children.models import Child, Involvement
from safeguarding.core.models import Agency, Partnership, User
from safeguarding.demo.people import SIGN_INS
from tests.support import make_child

pytestmark = pytest.mark.django_db


@pytest.fixture
def demo_world(module_demo_world, db):
    """One demo build for this module (tests/conftest.py); each test is rolled back."""
    return module_demo_world


def expected_children(user: User) -> set[int]:
    """The rule as the partnership states it, straight from the tables."""
    seen: set[int] = set()
    for m in user.memberships.all():
        if m.role == "business_unit":
            seen |= set(Child.objects.filter(partnership=m.partnership).values_list("pk", flat=True))
        elif m.role in ("practitioner", "school_key_adult", "sub_group_member"):
            seen |= set(Involvement.objects.filter(agency=m.agency, ended_on__isnull=True,
                                                   child__partnership=m.partnership)
                        .values_list("child_id", flat=True))
    return seen


def listed(user: User) -> set[int]:
    children, total = selectors.child_search(actor=user, limit=10_000)
    assert total == len(children)
    return {c.pk for c in children}


@pytest.mark.parametrize("username", [s[0] for s in SIGN_INS])
def test_every_demo_user_sees_exactly_what_the_rule_allows(demo_world, username):
    user = User.objects.get(username=username)
    expected = expected_children(user)
    allowed = {c.pk for c in Child.objects.all() if user.has_perm("children.view_child", c)}
    assert allowed == expected
    if user.has_perm("children.list_children"):
        # The list query and the per-record rule agree, so nothing is silently dropped.
        assert listed(user) == expected
    else:
        assert expected == set()


def test_roles_without_child_records_see_none_even_with_their_agency_involved(demo_world):
    staffs_cs = Agency.objects.get(name__startswith="Staffordshire County Council")
    child = make_child(Partnership.objects.get(code="STAFFS"), staffs_cs)
    for username in ("admin", "analyst.staffs", "board.la"):  # all at Staffordshire CS
        assert not User.objects.get(username=username).has_perm("children.view_child", child)


def test_an_ended_involvement_no_longer_opens_the_record(client_for):
    school = Agency.objects.get(name="Brook Lane Academy (demo)")
    child = make_child(Partnership.objects.get(code="STAFFS"), school, ended=True)
    client = client_for("key.adult.brook")
    assert client.get(f"/children/{child.pk}/").status_code == 403
    assert child.pk not in {c.pk for c in client.get("/children/").context["children"]}


def test_access_follows_the_involvement_as_it_opens_and_ends(client_for):
    staffs = Partnership.objects.get(code="STAFFS")
    police = Agency.objects.get(name="Staffordshire Police")
    child = make_child(staffs, Agency.objects.get(name__startswith="Staffordshire County"))
    officer = client_for("police.officer")
    assert officer.get(f"/children/{child.pk}/").status_code == 403

    involvement = services.involvement_add(
        actor=User.objects.get(username="social.worker"), child=child, agency=police,
        reason="Police contact", started_on=dt.date(2021, 1, 4))
    assert officer.get(f"/children/{child.pk}/").status_code == 200

    Involvement.objects.filter(pk=involvement.pk).update(ended_on=dt.date(2021, 2, 1))
    assert officer.get(f"/children/{child.pk}/").status_code == 403


def test_business_unit_sees_its_own_partnership_only(demo_world):
    business = User.objects.get(username="business.staffs")
    staffs_cs = Agency.objects.get(name__startswith="Staffordshire County Council")
    # Even a Stoke child its own agency works with: the business unit's view is its partnership.
    stoke_child = make_child(Partnership.objects.get(code="STOKE"), staffs_cs)
    unattached = make_child(Partnership.objects.get(code="STAFFS"))
    assert not business.has_perm("children.view_child", stoke_child)
    assert business.has_perm("children.view_child", unattached)
    assert listed(business) == set(
        Child.objects.filter(partnership__code="STAFFS").values_list("pk", flat=True))


def test_an_agency_serving_both_partnerships_sees_only_its_seats_partnerships_children(
        client_for):
    """The ICB serves both partnerships, but scrutiny.member's seat is in STAFFS only."""
    icb = Agency.objects.get(name__contains="Integrated Care Board")
    stoke_child = make_child(Partnership.objects.get(code="STOKE"), icb)
    staffs_child = make_child(Partnership.objects.get(code="STAFFS"), icb)
    client = client_for("scrutiny.member")
    assert client.get(f"/children/{stoke_child.pk}/").status_code == 403
    assert client.get(f"/children/{staffs_child.pk}/").status_code == 200


def test_a_deactivated_person_sees_nothing(demo_world):
    user = User.objects.get(username="business.staffs")
    user.is_active = False
    user.save()
    user = User.objects.get(pk=user.pk)
    assert not user.has_perm("children.list_children")
    assert not any(user.has_perm("children.view_child", c) for c in Child.objects.all())


def test_a_missing_child_is_404(client_for):
    assert client_for("social.worker").get("/children/999999/").status_code == 404


def test_someone_who_sees_no_children_cannot_tell_a_missing_id_from_a_real_one(client_for):
    client = client_for("analyst.staffs")
    existing = Child.objects.filter(partnership__code="STAFFS").first()
    assert client.get(f"/children/{existing.pk}/").status_code == 403
    assert client.get("/children/999999/").status_code == 403
