"""A seat is one role at one agency for one partnership, and it acts for nothing else.

Two holes found by an attacker's walk (issue 11):
- an API token acted as every seat its user held, not the agency it was issued for;
- a practitioner's seat reached children of another partnership its agency also serves.
"""

from __future__ import annotations

import json

import pytest
from django.test import Client

from safeguarding.children.models import Child, Involvement
from safeguarding.core import services
from safeguarding.core.models import Agency, Membership, Partnership, User
from safeguarding.core.roles import Role
from safeguarding.reviews.rules import review_access
from tests.conftest import sign_in
from tests.support import make_child

pytestmark = pytest.mark.django_db


@pytest.fixture
def demo_world(module_demo_world, db):
    return module_demo_world


@pytest.fixture
def world(demo_world):
    staffs = Partnership.objects.get(code="STAFFS")
    stoke = Partnership.objects.get(code="STOKE")
    police = Agency.objects.get(name="Staffordshire Police")
    school = Agency.objects.get(name="Brook Lane Academy (demo)")
    # One person, two seats: a police practitioner and a school key adult, both in STAFFS.
    person = services.user_add(actor=None, username="two.seats", first_name="Tess",
                               last_name="Seats", email="two.seats@demo.invalid", password="x")
    police_seat = services.membership_add(actor=None, user=person, agency=police,
                                          partnership=staffs, role=Role.PRACTITIONER)
    services.membership_add(actor=None, user=person, agency=school, partnership=staffs,
                            role=Role.SCHOOL_KEY_ADULT)
    return {
        "staffs": staffs, "stoke": stoke, "police": police, "school": school,
        "person": person, "police_seat": police_seat,
        "school_only": make_child(staffs, school),
        "police_only": make_child(staffs, police),
        # Staffordshire Police serves both partnerships; this child is Stoke's.
        "stoke_police": make_child(stoke, police),
    }


def bearer(raw: str) -> dict:
    return {"HTTP_AUTHORIZATION": f"Bearer {raw}"}


def token_for(seat: Membership) -> str:
    return services.api_token_issue(actor=None, name="Case system", membership=seat)[1]


class TestATokenActsAsExactlyOneSeat:
    def test_it_cannot_read_a_child_known_only_to_its_users_other_agency(self, world):
        raw = token_for(world["police_seat"])
        api = Client()
        assert api.get(f"/api/children/{world['police_only'].pk}",
                       **bearer(raw)).status_code == 200
        assert api.get(f"/api/children/{world['school_only'].pk}",
                       **bearer(raw)).status_code == 403
        listed = api.get("/api/children?limit=200", **bearer(raw)).json()
        ids = {item["id"] for item in listed["items"]}
        assert world["police_only"].pk in ids and world["school_only"].pk not in ids

    def test_the_same_person_signed_in_sees_both_seats_children(self, world):
        client = sign_in(Client(), world["person"])
        assert client.get(f"/children/{world['school_only'].pk}/").status_code == 200
        assert client.get(f"/children/{world['police_only'].pk}/").status_code == 200

    def test_a_child_it_records_is_recorded_for_its_own_agency(self, world):
        raw = token_for(world["police_seat"])
        response = Client().post("/api/children", data=json.dumps({
            "partnership": "STAFFS", "first_name": "Alex", "last_name": "Seat",
            "date_of_birth": "2015-03-27", "sex": "1", "ethnicity": "WBRI"}),
            content_type="application/json", **bearer(raw))
        assert response.status_code == 201, response.content
        child = Child.objects.get(pk=response.json()["id"])
        assert {i.agency for i in child.involvements.all()} == {world["police"]}

    def test_it_reports_its_one_seat(self, world):
        me = Client().get("/api/me", **bearer(token_for(world["police_seat"]))).json()
        assert me["memberships"] == [{"role": "practitioner", "agency": "Staffordshire Police",
                                      "partnership": "STAFFS"}]

    def test_a_token_for_a_business_unit_seat_does_not_carry_another_seats_reach(self, world):
        """A business-unit seat in STOKE plus a practitioner seat in STAFFS: the STOKE
        token sees no STAFFS child, the STAFFS token no STOKE child outside its agency."""
        person = world["person"]
        stoke_cs = Agency.objects.get(name__startswith="Stoke-on-Trent City")
        stoke_seat = services.membership_add(actor=None, user=person, agency=stoke_cs,
                                             partnership=world["stoke"], role=Role.BUSINESS_UNIT)
        stoke_child = make_child(world["stoke"], stoke_cs)
        api = Client()
        stoke_raw, staffs_raw = token_for(stoke_seat), token_for(world["police_seat"])
        assert api.get(f"/api/children/{stoke_child.pk}", **bearer(stoke_raw)).status_code == 200
        assert api.get(f"/api/children/{world['police_only'].pk}",
                       **bearer(stoke_raw)).status_code == 403
        assert api.get(f"/api/children/{stoke_child.pk}", **bearer(staffs_raw)).status_code == 403


class TestASeatIsBoundedByItsPartnership:
    def test_a_staffs_police_officer_cannot_open_a_stoke_child_known_to_the_police(self, world):
        officer = User.objects.get(username="police.officer")
        child = world["stoke_police"]
        assert not officer.has_perm("children.view_child", child)
        client = sign_in(Client(), officer)
        for url in (f"/children/{child.pk}/", f"/children/{child.pk}/edit/",
                    f"/children/{child.pk}/involvements/add/"):
            assert client.get(url).status_code == 403, url
        assert client.post(f"/children/{child.pk}/edit/", {"first_name": "X"}).status_code == 403
        assert client.get(f"/api/children/{child.pk}").status_code == 403
        listed = client.get("/api/children?limit=200").json()
        assert child.pk not in {item["id"] for item in listed["items"]}
        page = client.get(f"/children/?q={child.last_name}").content.decode()
        assert f'href="/children/{child.pk}/"' not in page

    def test_a_police_seat_in_each_partnership_sees_each_partnerships_police_children(self, world):
        officer = User.objects.get(username="police.officer")
        services.membership_add(actor=None, user=officer, agency=world["police"],
                                partnership=world["stoke"], role=Role.PRACTITIONER)
        officer = User.objects.get(pk=officer.pk)
        assert officer.has_perm("children.view_child", world["stoke_police"])
        assert officer.has_perm("children.view_child", world["police_only"])

    def test_an_ended_involvement_gives_no_access(self, world):
        officer = User.objects.get(username="police.officer")
        Involvement.objects.filter(child=world["police_only"]).update(ended_on="2020-06-01")
        child = Child.objects.get(pk=world["police_only"].pk)
        assert not officer.has_perm("children.view_child", child)

    def test_review_actions_are_owned_only_in_the_seats_partnership(self, world):
        rights = review_access(User.objects.get(username="police.officer"))
        assert rights.action_seats == {(world["staffs"].pk, world["police"].pk)}


def test_a_persons_seats_are_every_membership_they_hold_and_no_one_elses(world):
    """The seats are read with SQL compiled once per process (core.rules.seats): each
    person gets their own memberships, with the agency's kind and the sub-group's name."""
    from safeguarding.core.models import SubGroup
    from safeguarding.core.rules import Seat, seats

    panel = SubGroup.objects.filter(partnership=world["stoke"]).first()
    services.membership_add(actor=None, user=world["person"], agency=world["police"],
                            partnership=world["stoke"], role=Role.SUB_GROUP_MEMBER,
                            sub_group=panel)
    for person in (User.objects.get(pk=world["person"].pk), User.objects.get(username="admin"),
                   *User.objects.filter(memberships__isnull=False).distinct()[:5]):
        expected = tuple(
            Seat(m.role, m.partnership_id, m.agency_id, m.sub_group_id, m.agency.kind,
                 m.sub_group.name if m.sub_group else "")
            for m in Membership.objects.filter(user=person).order_by("pk")
            .select_related("agency", "sub_group"))
        got = seats(person)
        assert got == expected
        assert [(s.agency_kind, s.sub_group_name) for s in got] == [
            (s.agency_kind, s.sub_group_name) for s in expected]
    assert len(seats(User.objects.get(pk=world["person"].pk))) == 3
