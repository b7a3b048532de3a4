"""Adding a child whose NHS number, LA child ID or UPN is already recorded (ADR 0011).

A match the person may see is refused with a pointer to the existing record. A match
they may not see is refused with one neutral message, the same whichever identifier
matched and whichever record it was: no constraint name, no record id, nothing saved,
and an audit row naming the hidden record so the business unit can act on it.
"""

from __future__ import annotations

import json
import random

import lxml.html
import pytest
from django.db import IntegrityError, transaction

from safeguarding.children import identifiers
from safeguarding.children.models import Child, Involvement
from safeguarding.children.services import POSSIBLE_MATCH_MESSAGE
from safeguarding.core import services
from safeguarding.core.models import Agency, AuditEvent, Partnership, User
from tests.support import make_child

pytestmark = pytest.mark.django_db

_rng = random.Random(20261126)


@pytest.fixture
def demo_world(module_demo_world, db):
    """One demo build for this module (tests/conftest.py); each test is rolled back."""
    return module_demo_world


def fresh_identifiers(la_code: str) -> dict:
    """An NHS number, UPN and LA child ID no child in the index has yet."""
    nhs = identifiers.synthetic_nhs_number(
        _rng, set(Child.objects.values_list("nhs_number", flat=True)))
    upns = set(Child.objects.values_list("upn", flat=True))
    upn = identifiers.synthetic_upn(_rng, la_code)
    while upn in upns:
        upn = identifiers.synthetic_upn(_rng, la_code)
    return {"nhs_number": nhs, "upn": upn, "la_child_id": f"M{_rng.randrange(10**8):08d}"}


def agency(prefix: str) -> Agency:
    return Agency.objects.get(name__startswith=prefix)


@pytest.fixture
def hidden(demo_world):
    """Children the askers below may not see, each with every identifier, and the askers.

    - a Staffordshire child only the police work with, hidden from a Staffordshire social
      worker (same partnership, another agency's child);
    - a Stoke-on-Trent child only Stoke's children's services work with, hidden from the
      Staffordshire business unit who is also a key adult at a Stoke school (the business
      unit's partnership-wide view stops at its own partnership).
    """
    staffs = Partnership.objects.get(code="STAFFS")
    stoke = Partnership.objects.get(code="STOKE")
    bu = User.objects.get(username="business.staffs")
    services.membership_add(actor=None, user=bu, agency=agency("Trentside"), partnership=stoke,
                            role="school_key_adult")
    cases = {}
    for name, partnership, involved, asker in (
        ("same partnership", staffs, agency("Staffordshire Police"), "social.worker"),
        ("other partnership", stoke, agency("Stoke-on-Trent City"), "business.staffs"),
    ):
        la = partnership.local_authorities.first()
        child = make_child(partnership, involved, local_authority=la,
                           **fresh_identifiers(la.old_code))
        user = User.objects.get(username=asker)
        assert not user.has_perm("children.view_child", child)
        cases[name] = (child, asker)
    return cases


def new_child(child: Child, field: str) -> dict:
    """An API body for a new child that shares one identifier with ``child``."""
    body = {"partnership": child.partnership.code, "first_name": "Sam", "last_name": "Probe",
            "date_of_birth": "2014-05-02", "sex": "2", "ethnicity": "WBRI",
            field: getattr(child, field)}
    if field == "la_child_id":
        body["local_authority"] = child.local_authority.old_code
    return body


def post_json(client, body):
    return client.post("/api/children", data=json.dumps(body), content_type="application/json")


def denials(child: Child, username: str):
    return AuditEvent.objects.filter(action="denied", object_type="children.child",
                                     object_id=str(child.pk), actor__username=username)


FIELDS = ["nhs_number", "la_child_id", "upn"]
CASES = ["same partnership", "other partnership"]


class TestApi:
    @pytest.mark.parametrize("case", CASES)
    @pytest.mark.parametrize("field", FIELDS)
    def test_a_hidden_match_is_refused_neutrally_audited_and_nothing_saved(
            self, client_for, hidden, case, field):
        child, asker = hidden[case]
        before = (Child.objects.count(), Involvement.objects.count())
        response = post_json(client_for(asker), new_child(child, field))
        assert response.status_code == 409, response.content
        # The same body whichever identifier matched and whoever's record it is.
        assert response.json() == {"detail": POSSIBLE_MATCH_MESSAGE}
        assert b"onstraint" not in response.content
        assert (Child.objects.count(), Involvement.objects.count()) == before
        [row] = denials(child, asker)
        assert row.purpose.startswith("identifier match on create")
        label = {"nhs_number": "NHS number", "la_child_id": "LA child ID", "upn": "UPN"}[field]
        assert label in row.purpose

    def test_a_visible_match_is_a_conflict_naming_the_existing_record(self, client_for):
        staffs = Partnership.objects.get(code="STAFFS")
        la = staffs.local_authorities.first()
        child = make_child(staffs, agency("Staffordshire County"), local_authority=la,
                           **fresh_identifiers(la.old_code))
        before = Child.objects.count()
        response = post_json(client_for("social.worker"), new_child(child, "nhs_number"))
        assert response.status_code == 409, response.content
        body = response.json()
        assert body["child"] == child.pk
        assert body["errors"] == {"nhs_number": ["A child with this NHS number is already "
                                                 "recorded"]}
        assert Child.objects.count() == before
        assert AuditEvent.objects.filter(
            action="read", object_id=str(child.pk), actor__username="social.worker",
            purpose__startswith="identifier match on create").exists()

    def test_a_duplicate_upn_is_refused(self, client_for):
        client = client_for("social.worker")
        upn = fresh_identifiers("860")["upn"]
        body = {"partnership": "STAFFS", "first_name": "Kim", "last_name": "Twice",
                "date_of_birth": "2013-01-09", "sex": "1", "ethnicity": "WBRI", "upn": upn}
        first = post_json(client, body)
        assert first.status_code == 201, first.content
        second = post_json(client, {**body, "first_name": "Other"})
        assert second.status_code == 409, second.content
        assert second.json()["child"] == first.json()["id"]
        assert Child.objects.filter(upn=upn).count() == 1


def test_the_database_refuses_a_second_child_with_the_same_upn(demo_world):
    staffs = Partnership.objects.get(code="STAFFS")
    upn = fresh_identifiers("860")["upn"]
    make_child(staffs, upn=upn)
    with pytest.raises(IntegrityError), transaction.atomic():
        make_child(staffs, upn=upn)
    # The same UPN in another partnership's index is a separate record of the child.
    make_child(Partnership.objects.get(code="STOKE"), upn=upn)


def form_data(child: Child, field: str) -> dict:
    data = {"partnership": child.partnership.pk, "local_authority": "",
            "first_name": "Robin", "last_name": "Probe",
            "date_of_birth_day": "2", "date_of_birth_month": "5", "date_of_birth_year": "2014",
            "sex": "2", "ethnicity": "WBRI", "postcode": "", "nhs_number": "", "upn": "",
            "la_child_id": "", "police_reference": ""}
    data[field] = getattr(child, field)
    if field == "la_child_id":
        data["local_authority"] = child.local_authority.pk
    return data


def summary_text(response) -> str:
    page = lxml.html.fromstring(response.content)
    [summary] = page.find_class("govuk-error-summary")
    return summary.text_content()


class TestWebForm:
    @pytest.mark.parametrize("case", CASES)
    @pytest.mark.parametrize("field", FIELDS)
    def test_a_hidden_match_is_refused_neutrally_audited_and_nothing_saved(
            self, client_for, hidden, case, field):
        child, asker = hidden[case]
        before = (Child.objects.count(), Involvement.objects.count())
        response = client_for(asker).post("/children/add/", form_data(child, field))
        assert response.status_code == 200
        text = summary_text(response)
        assert POSSIBLE_MATCH_MESSAGE in text
        assert "onstraint" not in text
        assert f"/children/{child.pk}/" not in response.content.decode()
        assert (Child.objects.count(), Involvement.objects.count()) == before
        assert denials(child, asker).count() == 1

    def test_a_visible_match_links_to_the_existing_record(self, client_for):
        staffs = Partnership.objects.get(code="STAFFS")
        la = staffs.local_authorities.first()
        child = make_child(staffs, agency("Staffordshire County"), local_authority=la,
                           **fresh_identifiers(la.old_code))
        before = Child.objects.count()
        response = client_for("social.worker").post("/children/add/", form_data(child, "upn"))
        assert response.status_code == 200
        page = lxml.html.fromstring(response.content)
        [summary] = page.find_class("govuk-error-summary")
        assert f"/children/{child.pk}/" in [a.get("href") for a in summary.iter("a")]
        assert "A child with this UPN is already recorded" in summary.text_content()
        assert Child.objects.count() == before

    def test_editing_to_a_hidden_childs_nhs_number_is_refused_the_same_way(self, client_for,
                                                                         hidden):
        target, asker = hidden["same partnership"]
        staffs = target.partnership
        own = make_child(staffs, agency("Staffordshire County"))
        data = form_data(target, "nhs_number")
        del data["partnership"]
        response = client_for(asker).post(f"/children/{own.pk}/edit/", data)
        assert response.status_code == 200
        assert POSSIBLE_MATCH_MESSAGE in summary_text(response)
        own.refresh_from_db()
        assert (own.nhs_number, own.first_name) == ("", "Test")
        assert denials(target, asker).get().purpose.startswith("identifier match on edit")
