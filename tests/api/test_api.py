"""The REST API: OpenAPI, session with the second factor, agency bearer tokens, bad input."""

from __future__ import annotations

import json

import pytest
from django.test import Client

from safeguarding.children.models import Child, Involvement
from safeguarding.core import services
from safeguarding.core.models import Agency, ApiToken, AuditEvent, Partnership, User
from tests.support import make_child, password_only_client

pytestmark = pytest.mark.django_db


@pytest.fixture
def demo_world(module_demo_world, db):
    """One demo build for this module (tests/conftest.py); each test is rolled back."""
    return module_demo_world


@pytest.fixture
def staffs(demo_world):
    return Partnership.objects.get(code="STAFFS")


@pytest.fixture
def stoke(demo_world):
    return Partnership.objects.get(code="STOKE")


def issue_token(username: str) -> tuple[ApiToken, str]:
    user = User.objects.get(username=username)
    return services.api_token_issue(actor=None, name=f"{username}'s case system",
                                    membership=user.memberships.get())


def bearer(raw: str) -> dict:
    return {"HTTP_AUTHORIZATION": f"Bearer {raw}"}


def visible_ids(username: str) -> set[int]:
    user = User.objects.get(username=username)
    return {c.pk for c in Child.objects.all() if user.has_perm("children.view_child", c)}


def new_child(partnership="STAFFS", **overrides) -> dict:
    body = {"partnership": partnership, "first_name": "Alex", "last_name": "Api",
            "date_of_birth": "2015-03-27", "sex": "1", "ethnicity": "WBRI"}
    body.update(overrides)
    return body


def post_json(client, url, body, **extra):
    return client.post(url, data=json.dumps(body), content_type="application/json", **extra)


def test_openapi_schema_is_served_and_describes_the_children_endpoints(client_for):
    response = client_for("social.worker").get("/api/openapi.json")
    assert response.status_code == 200
    schema = response.json()
    assert schema["info"]["title"] == "Safeguarding Children Partnership API"
    assert {"/api/children", "/api/children/{child_id}", "/api/me"} <= set(schema["paths"])
    assert "post" in schema["paths"]["/api/children"]


class TestAgencyToken:
    def test_reads_children_as_its_service_user_with_the_same_rules(self, demo_world):
        _, raw = issue_token("key.adult.brook")
        response = Client().get("/api/children?limit=200", **bearer(raw))
        assert response.status_code == 200
        page = response.json()
        shown = {item["id"] for item in page["items"]}
        assert shown == visible_ids("key.adult.brook")
        assert page["total"] == len(shown) > 0
        # Every item is one the school is involved with.
        school = Agency.objects.get(name="Brook Lane Academy (demo)").name
        assert all(any(i["agency"] == school for i in item["involvements"])
                   for item in page["items"])

    def test_reads_are_audited_against_the_service_user(self, demo_world):
        _, raw = issue_token("social.worker")
        response = Client().get("/api/children?limit=5", **bearer(raw))
        rows = AuditEvent.objects.filter(request_id=response["X-Request-ID"])
        assert response.status_code == 200
        assert [r.actor.username for r in rows] == ["social.worker"] * 5
        assert {int(r.object_id) for r in rows} == {i["id"] for i in response.json()["items"]}
        assert {(r.action, r.object_type, r.purpose) for r in rows} == {
            ("read", "children.child", "child search")}

    def test_detail_of_a_child_outside_the_agency_is_refused_and_audited(self, stoke):
        _, raw = issue_token("social.worker")
        stoke_child = make_child(stoke, Agency.objects.get(name__startswith="Stoke-on-Trent City"))
        response = Client().get(f"/api/children/{stoke_child.pk}", **bearer(raw))
        assert response.status_code == 403
        row = AuditEvent.objects.get(request_id=response["X-Request-ID"])
        assert (row.actor.username, row.action, row.object_id) == (
            "social.worker", "denied", str(stoke_child.pk))

    def test_records_when_the_token_was_last_used(self, demo_world):
        token, raw = issue_token("social.worker")
        assert token.last_used_at is None
        Client().get("/api/me", **bearer(raw))
        token.refresh_from_db()
        assert token.last_used_at is not None

    def test_token_can_add_a_child_without_a_csrf_token(self, staffs):
        # A system posting with a bearer token has no cookie, so no CSRF token either.
        _, raw = issue_token("social.worker")
        client = Client(enforce_csrf_checks=True)
        response = post_json(client, "/api/children", new_child(), **bearer(raw))
        assert response.status_code == 201, response.content
        child = Child.objects.get(pk=response.json()["id"])
        assert child.involvements.get().agency.name.startswith("Staffordshire County Council")

    def test_revoked_token_is_refused(self, demo_world):
        token, raw = issue_token("social.worker")
        assert Client().get("/api/me", **bearer(raw)).status_code == 200
        services.api_token_revoke(actor=None, token=token)
        assert Client().get("/api/children", **bearer(raw)).status_code == 401
        assert Client().get("/api/me", **bearer(raw)).status_code == 401

    def test_made_up_token_is_refused(self, demo_world):
        issue_token("social.worker")
        assert Client().get("/api/children", **bearer("sgp_00000000_nonsense")).status_code == 401

    def test_token_of_a_deactivated_service_user_is_refused(self, demo_world):
        _, raw = issue_token("social.worker")
        User.objects.filter(username="social.worker").update(is_active=False)
        assert Client().get("/api/me", **bearer(raw)).status_code == 401


class TestSession:
    def test_session_without_the_second_factor_gets_401(self, demo_world):
        client = password_only_client(User.objects.get(username="social.worker"))
        assert client.get("/api/me").status_code == 401
        assert client.get("/api/children").status_code == 401
        assert post_json(client, "/api/children", new_child()).status_code == 401

    def test_post_with_a_session_needs_the_csrf_token(self, client_for, staffs):
        client = client_for("social.worker")
        client.handler.enforce_csrf_checks = True
        before = Child.objects.count()
        response = post_json(client, "/api/children", new_child())
        assert response.status_code == 403
        assert Child.objects.count() == before

        client.get("/")  # any page sets the CSRF cookie
        token = client.cookies["csrftoken"].value
        response = post_json(client, "/api/children", new_child(), HTTP_X_CSRFTOKEN=token)
        assert response.status_code == 201, response.content
        assert Child.objects.count() == before + 1

    def test_me_lists_the_signed_in_persons_roles(self, client_for):
        body = client_for("scrutiny.member").get("/api/me").json()
        assert body["username"] == "scrutiny.member"
        assert body["memberships"] == [{
            "role": "sub_group_member",
            "agency": "Staffordshire and Stoke-on-Trent Integrated Care Board",
            "partnership": "STAFFS"}]

    def test_list_and_detail_follow_the_need_to_know_rule(self, client_for):
        client = client_for("social.worker")
        items = client.get("/api/children?limit=200").json()["items"]
        assert {i["id"] for i in items} == visible_ids("social.worker")
        assert client.get(f"/api/children/{items[0]['id']}").json()["id"] == items[0]["id"]

    def test_a_missing_child_is_404(self, client_for):
        assert client_for("social.worker").get("/api/children/999999").status_code == 404


class TestBadInput:
    """POST /api/children refuses bad identifiers and dates with 422, naming the field."""

    @pytest.mark.parametrize("field, value", [
        ("nhs_number", "9990001118"),      # check digit should be 1
        ("nhs_number", "12345"),           # too short
        ("upn", "A801200005001"),          # check letter should be B
        ("upn", "B80120000500I"),          # I is not a UPN letter
        ("date_of_birth", "2099-01-01"),   # in the future
        ("date_of_birth", "2020-02-31"),   # no such date
        ("police_reference", "!"),
        ("la_child_id", "far-too-long-id"),
        ("sex", "X"),
        ("ethnicity", "NOPE"),
    ])
    def test_returns_422_naming_the_field_and_saves_nothing(self, client_for, field, value):
        client = client_for("social.worker")
        children, involvements = Child.objects.count(), Involvement.objects.count()
        response = post_json(client, "/api/children", new_child(**{field: value}))
        assert response.status_code == 422, response.content
        assert field in json.dumps(response.json())
        assert (Child.objects.count(), Involvement.objects.count()) == (children, involvements)

    def test_valid_identifiers_are_accepted_and_normalised(self, client_for):
        response = post_json(client_for("social.worker"), "/api/children", new_child(
            nhs_number="999 000 1111", upn="b801200005001", police_reference="sp/123/21"))
        assert response.status_code == 201, response.content
        body = response.json()
        assert (body["nhs_number"], body["upn"], body["police_reference"]) == (
            "9990001111", "B801200005001", "SP/123/21")

    def test_a_partnership_where_the_person_has_no_role_is_refused(self, client_for, stoke):
        before = Child.objects.count()
        response = post_json(client_for("social.worker"), "/api/children", new_child("STOKE"))
        assert response.status_code == 403
        assert Child.objects.count() == before

    def test_an_la_outside_the_partnership_is_refused(self, client_for):
        response = post_json(client_for("social.worker"), "/api/children",
                             new_child(local_authority="861"))
        assert response.status_code == 422
        assert "local_authority" in response.json()["errors"]


def test_adding_a_child_needs_a_child_record_role_in_that_partnership(client_for, stoke):
    """A practitioner in Staffordshire who is only an analyst in Stoke cannot add Stoke children."""
    person = User.objects.get(username="social.worker")
    services.membership_add(actor=None, user=person, partnership=stoke, role="analyst",
                            agency=Agency.objects.get(name__startswith="Stoke-on-Trent City"))
    children, involvements = Child.objects.count(), Involvement.objects.count()
    response = post_json(client_for("social.worker"), "/api/children", new_child("STOKE"))
    assert response.status_code == 403
    assert (Child.objects.count(), Involvement.objects.count()) == (children, involvements)
    # Staffordshire, where the person is a practitioner, still works.
    response = post_json(client_for("social.worker"), "/api/children", new_child("STAFFS"))
    assert response.status_code == 201
