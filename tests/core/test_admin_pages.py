"""The administration pages: partnerships, sharing, people and roles, API tokens."""

from __future__ import annotations

import re

import pytest
from django.test import Client

from safeguarding.core.models import (
    Agency,
    ApiToken,
    AuditEvent,
    LocalAuthority,
    Membership,
    Partnership,
    PartnershipShare,
    User,
)

pytestmark = pytest.mark.django_db


@pytest.fixture
def demo_world(module_demo_world, db):
    """One demo build for this module (tests/conftest.py); each test is rolled back."""
    return module_demo_world


def test_adding_a_partnership_with_its_la_areas(client_for):
    response = client_for("admin").post("/partnerships/add/", {
        "code": "WALSALL", "name": "Walsall Safeguarding Partnership",
        "local_authorities": "335/E08000030 Walsall\n"})
    assert response["Location"] == "/partnerships/WALSALL/"
    la = Partnership.objects.get(code="WALSALL").local_authorities.get()
    assert (la.old_code, la.new_code, la.name) == ("335", "E08000030", "Walsall")


def test_a_malformed_la_line_is_explained_and_nothing_is_saved(client_for):
    before = Partnership.objects.count()
    response = client_for("admin").post("/partnerships/add/", {
        "code": "WALSALL", "name": "Walsall", "local_authorities": "335/E08000030\n335-E0800"})
    assert response.status_code == 200
    assert b"Line 2: LA &#x27;335-E0800&#x27; must be OLD/NEW" in response.content
    assert Partnership.objects.count() == before


def test_adding_an_la_area_to_a_partnership(client_for):
    response = client_for("admin").post("/partnerships/STOKE/local-authorities/add/", {
        "old_code": "201", "new_code": "E09000001", "name": "City of London"})
    assert response["Location"] == "/partnerships/STOKE/"
    assert LocalAuthority.objects.get(old_code="201").partnership.code == "STOKE"


def test_sharing_a_joint_function_with_another_partnership(client_for):
    stoke = Partnership.objects.get(code="STOKE")
    PartnershipShare.objects.all().delete()
    response = client_for("admin").post("/partnerships/STAFFS/shares/add/", {
        "shared_with": stoke.pk, "function": "training"})
    assert response["Location"] == "/partnerships/STAFFS/"
    share = PartnershipShare.objects.get()
    assert (share.owner.code, share.shared_with.code, share.function) == ("STAFFS", "STOKE",
                                                                         "training")


def test_a_partnership_cannot_share_with_itself(client_for):
    staffs = Partnership.objects.get(code="STAFFS")
    before = PartnershipShare.objects.count()
    response = client_for("admin").post("/partnerships/STAFFS/shares/add/", {
        "shared_with": staffs.pk, "function": "training"})
    assert response.status_code == 200 and b"govuk-error-summary" in response.content
    assert PartnershipShare.objects.count() == before


def test_giving_a_person_a_role(client_for):
    person = User.objects.create_user("new.person", first_name="New", last_name="Person")
    police = Agency.objects.get(name="Staffordshire Police")
    staffs = Partnership.objects.get(code="STAFFS")
    response = client_for("admin").post(f"/people/{person.pk}/", {
        "partnership": staffs.pk, "agency": police.pk, "role": "practitioner", "sub_group": ""})
    assert response["Location"] == f"/people/{person.pk}/"
    assert person.memberships.get().role == "practitioner"


def test_a_sub_group_member_needs_a_sub_group(client_for):
    person = User.objects.create_user("new.person")
    police = Agency.objects.get(name="Staffordshire Police")
    staffs = Partnership.objects.get(code="STAFFS")
    response = client_for("admin").post(f"/people/{person.pk}/", {
        "partnership": staffs.pk, "agency": police.pk, "role": "sub_group_member",
        "sub_group": ""})
    assert response.status_code == 200
    assert b"Choose the sub-group this person is a member of" in response.content
    assert not Membership.objects.filter(user=person).exists()


def test_removing_a_role_needs_a_post(client_for):
    membership = User.objects.get(username="police.officer").memberships.get()
    client = client_for("admin")
    assert client.get(f"/memberships/{membership.pk}/remove/").status_code == 302
    assert Membership.objects.filter(pk=membership.pk).exists()
    client.post(f"/memberships/{membership.pk}/remove/")
    assert not Membership.objects.filter(pk=membership.pk).exists()
    assert AuditEvent.objects.filter(purpose="remove membership",
                                     object_id=str(membership.pk)).exists()


def test_an_api_token_is_shown_once_and_works_until_revoked(client_for):
    client = client_for("admin")
    seat = Membership.objects.get(user__username="police.officer")
    page = client.get("/api-tokens/").content.decode()
    assert "police.officer: Practitioner, Staffordshire Police, STAFFS" in page
    response = client.post("/api-tokens/", {"name": "Police case system", "membership": seat.pk})
    raw = re.search(r"sgp_[0-9a-f]{8}_[\w-]+", response.content.decode()).group(0)
    token = ApiToken.objects.get(name="Police case system")
    assert token.membership == seat
    assert raw not in token.token_hash and raw not in client.get("/api-tokens/").content.decode()

    api = Client()
    me = api.get("/api/me", HTTP_AUTHORIZATION=f"Bearer {raw}").json()
    assert me["username"] == "police.officer"
    assert me["memberships"] == [{"role": "practitioner", "agency": "Staffordshire Police",
                                  "partnership": "STAFFS"}]
    client.post(f"/api-tokens/{token.pk}/revoke/")
    assert api.get("/api/me", HTTP_AUTHORIZATION=f"Bearer {raw}").status_code == 401


def test_a_token_stops_working_when_its_seat_is_removed(client_for):
    client = client_for("admin")
    seat = Membership.objects.get(user__username="police.officer")
    response = client.post("/api-tokens/", {"name": "Police case system", "membership": seat.pk})
    raw = re.search(r"sgp_[0-9a-f]{8}_[\w-]+", response.content.decode()).group(0)
    client.post(f"/memberships/{seat.pk}/remove/")
    assert Client().get("/api/me", HTTP_AUTHORIZATION=f"Bearer {raw}").status_code == 401
    assert "Seat removed" in client.get("/api-tokens/").content.decode()


def test_a_token_must_name_a_seat(client_for):
    response = client_for("admin").post("/api-tokens/", {"name": "Wrong", "membership": ""})
    assert b"Select the seat the token acts as" in response.content
    assert not ApiToken.objects.exists()


@pytest.mark.parametrize("username, expected", [
    ("social.worker", {"/children/"}),
    ("key.adult.brook", {"/children/"}),
    ("analyst.staffs", set()),
    ("board.police", {"/partnerships/"}),
    ("business.staffs", {"/children/", "/partnerships/", "/calendar/", "/audit/"}),
    ("admin", {"/partnerships/", "/people/", "/calendar/", "/audit/", "/api-tokens/",
               "/scheduled-jobs/"}),
])
def test_the_home_page_offers_only_what_the_person_may_use(client_for, username, expected):
    # The foundation's capabilities; other apps add their own to the same page.
    foundation = {"/children/", "/partnerships/", "/people/", "/calendar/", "/audit/",
                  "/api-tokens/", "/scheduled-jobs/"}
    response = client_for(username).get("/")
    links = {capability["url"] for capability in response.context["capabilities"]}
    assert links & foundation == expected
    for url in links:
        assert f'href="{url}"'.encode() in response.content


def test_the_business_unit_searches_its_own_partnerships_audit_log(client_for):
    from tests.support import make_child

    stoke_child = make_child(Partnership.objects.get(code="STOKE"))
    client_for("business.stoke").get(f"/children/{stoke_child.pk}/")
    client_for("social.worker").get("/children/")
    response = client_for("business.staffs").get("/audit/", {"object_type": "children.child"})
    actors = {event.actor_label for event in response.context["page"].object_list}
    assert "social.worker" in actors
    assert "business.stoke" not in actors
