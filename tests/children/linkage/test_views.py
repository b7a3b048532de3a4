"""The review queue pages: who may open them, audited reads, CSRF-protected decisions."""

from __future__ import annotations

import datetime as dt

import pytest
from django.test import Client
from django.urls import reverse

from safeguarding.children.models import Child, LinkCandidate, SourceRecord
from safeguarding.core.models import Agency, AuditEvent, User
from tests.conftest import sign_in

pytestmark = pytest.mark.django_db


def make_candidate(code: str) -> LinkCandidate:
    """A pending pair in a demo partnership: a police record against one of its children."""
    child = Child.objects.filter(partnership__code=code).order_by("pk").first()
    police = Agency.objects.filter(partnerships__code=code, kind="police").first()
    record = SourceRecord.objects.create(
        partnership=child.partnership, agency=police, source_system="niche",
        source_key=f"P-{code}-{child.pk}", first_name=child.first_name,
        last_name=child.last_name + "e", date_of_birth=child.date_of_birth, sex=child.sex,
        postcode="ST99 9ZZ")
    return LinkCandidate.objects.create(
        source_record=record, child=child, match_probability=0.93,
        evidence={"fields": {"first_name": "exact", "last_name": "similar",
                             "date_of_birth": "exact", "sex": "exact", "postcode": "different"},
                  "match_weight": 3.8})


@pytest.fixture
def staffs_pair(demo_world):
    return make_candidate("STAFFS")


@pytest.fixture
def stoke_pair(demo_world):
    return make_candidate("STOKE")


def rows_for(response) -> list[AuditEvent]:
    return list(AuditEvent.objects.filter(request_id=response["X-Request-ID"]).order_by("sequence"))


def test_the_business_unit_sees_its_own_pending_pairs_without_names(client_for, staffs_pair,
                                                                   stoke_pair):
    response = client_for("business.staffs").get(reverse("children:linkage-review"))
    assert response.status_code == 200
    assert [c.pk for c in response.context["page"]] == [staffs_pair.pk]
    body = response.content.decode()
    assert "93.0%" in body and "niche" in body
    assert staffs_pair.child.last_name not in body
    assert rows_for(response) == []  # no identifiable record read


def test_the_decision_page_shows_both_records_and_audits_each_read(client_for, staffs_pair):
    response = client_for("business.staffs").get(
        reverse("children:linkage-decide", args=[staffs_pair.pk]))
    assert response.status_code == 200
    body = response.content.decode()
    assert staffs_pair.child.last_name in body and staffs_pair.source_record.last_name in body
    assert "Very similar spelling" in body and "ST99 9ZZ" in body
    assert 'name="csrfmiddlewaretoken"' in body and 'value="accept"' in body
    reads = {(r.action, r.object_type, r.object_id, r.purpose) for r in rows_for(response)}
    assert reads == {
        ("read", "children.child", str(staffs_pair.child_id), "linkage review"),
        ("read", "children.sourcerecord", str(staffs_pair.source_record_id), "linkage review"),
    }


def test_accepting_from_the_page_links_and_audits(client_for, staffs_pair):
    response = client_for("business.staffs").post(
        reverse("children:linkage-decide", args=[staffs_pair.pk]), {"decision": "accept"})
    assert response.status_code == 302
    assert response["Location"] == reverse("children:linkage-review")
    record = SourceRecord.objects.get(pk=staffs_pair.source_record_id)
    assert (record.child_id, record.link_method) == (staffs_pair.child_id, "reviewed")
    [row] = [r for r in rows_for(response) if r.purpose == "linkage decision"]
    assert (row.action, row.actor.username) == ("update", "business.staffs")


def test_rejecting_from_the_page(client_for, staffs_pair):
    client_for("business.staffs").post(
        reverse("children:linkage-decide", args=[staffs_pair.pk]), {"decision": "reject"})
    staffs_pair.refresh_from_db()
    assert staffs_pair.status == "rejected"
    assert staffs_pair.decided_by.username == "business.staffs"


def test_a_decision_needs_the_csrf_token(demo_world, staffs_pair):
    client = sign_in(Client(enforce_csrf_checks=True), User.objects.get(username="business.staffs"))
    response = client.post(reverse("children:linkage-decide", args=[staffs_pair.pk]),
                           {"decision": "accept"})
    assert response.status_code == 403
    staffs_pair.refresh_from_db()
    assert staffs_pair.status == "pending"


@pytest.mark.parametrize("username", ["social.worker", "police.officer", "analyst.staffs",
                                      "board.police", "scrutiny.member", "key.adult.brook",
                                      "admin"])
def test_no_one_else_may_open_the_queue_or_decide(client_for, staffs_pair, username):
    client = client_for(username)
    assert client.get(reverse("children:linkage-review")).status_code == 403
    url = reverse("children:linkage-decide", args=[staffs_pair.pk])
    assert client.get(url).status_code == 403
    assert client.post(url, {"decision": "accept"}).status_code == 403
    staffs_pair.refresh_from_db()
    assert staffs_pair.status == "pending"


def test_another_partnerships_pair_is_refused_and_the_refusal_audited(client_for, stoke_pair):
    client = client_for("business.staffs")
    response = client.get(reverse("children:linkage-decide", args=[stoke_pair.pk]))
    assert response.status_code == 403
    [row] = rows_for(response)
    assert (row.action, row.object_type) == ("denied", "children.sourcerecord")
    response = client.post(reverse("children:linkage-decide", args=[stoke_pair.pk]),
                           {"decision": "accept"})
    assert response.status_code == 403
    stoke_pair.refresh_from_db()
    assert stoke_pair.status == "pending"


def test_signed_out_visitors_are_sent_to_sign_in(staffs_pair):
    response = Client().get(reverse("children:linkage-review"))
    assert response.status_code == 302 and reverse("core:sign-in") in response["Location"]


def test_a_decided_pair_shows_no_buttons(client_for, staffs_pair):
    client = client_for("business.staffs")
    url = reverse("children:linkage-decide", args=[staffs_pair.pk])
    client.post(url, {"decision": "reject"})
    body = client.get(url).content.decode()
    assert 'value="accept"' not in body and "This pair has been decided" in body
    assert client.post(url, {"decision": "accept"}).status_code == 302
    staffs_pair.refresh_from_db()
    assert staffs_pair.status == "rejected"


def test_an_unknown_pair_is_not_found(client_for, demo_world):
    assert client_for("business.staffs").get(
        reverse("children:linkage-decide", args=[999999])).status_code == 404


def test_a_date_is_shown_in_full(client_for, staffs_pair):
    child = staffs_pair.child
    child.date_of_birth = dt.date(2015, 6, 1)
    child.save()
    body = client_for("business.staffs").get(
        reverse("children:linkage-decide", args=[staffs_pair.pk])).content.decode()
    assert "1 June 2015" in body


@pytest.fixture
def demo_world(module_demo_world, db):
    """The demo world built once for this module (tests/conftest.py); each test rolls back."""
    return module_demo_world
