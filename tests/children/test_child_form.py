"""Adding and editing a child on the web: bad input is explained and nothing is saved."""

from __future__ import annotations

import datetime as dt

import lxml.html
import pytest

from safeguarding.children.models import Child, Involvement
from safeguarding.core.models import AuditEvent, Partnership

pytestmark = pytest.mark.django_db


@pytest.fixture
def demo_world(module_demo_world, db):
    """One demo build for this module (tests/conftest.py); each test is rolled back."""
    return module_demo_world


def error_summary(response) -> list[tuple[str, str]]:
    """The GOV.UK error summary's links as (target id, message); each target must exist."""
    page = lxml.html.fromstring(response.content)
    [summary] = page.find_class("govuk-error-summary")
    assert summary.find_class("govuk-error-summary__title")[0].text_content().strip() == \
        "There is a problem"
    links = []
    for link in summary.find_class("govuk-error-summary__list")[0].iter("a"):
        target = link.get("href").removeprefix("#")
        assert page.get_element_by_id(target) is not None, f"summary links to missing #{target}"
        links.append((target, link.text_content().strip()))
    assert page.findtext(".//title").startswith("Error: ")
    return links


def form_data(partnership: Partnership, **overrides) -> dict:
    data = {
        "partnership": partnership.pk, "local_authority": "",
        "first_name": "Robin", "last_name": "Form",
        "date_of_birth_day": "27", "date_of_birth_month": "3", "date_of_birth_year": "2012",
        "sex": "2", "ethnicity": "WBRI", "postcode": "st16 2ab",
        "nhs_number": "", "upn": "", "la_child_id": "", "police_reference": "",
    }
    data.update(overrides)
    return data


@pytest.fixture
def staffs(demo_world):
    return Partnership.objects.get(code="STAFFS")


def test_a_valid_child_is_added_with_the_adders_agency_involved(client_for, staffs):
    response = client_for("key.adult.brook").post("/children/add/", form_data(
        staffs, nhs_number="999 000 1111", upn="b801200005001"))
    child = Child.objects.get(last_name="Form")
    assert response["Location"] == f"/children/{child.pk}/"
    assert (child.nhs_number, child.upn, child.postcode) == ("9990001111", "B801200005001",
                                                             "ST16 2AB")
    assert child.date_of_birth == dt.date(2012, 3, 27)
    assert child.involvements.get().agency.name == "Brook Lane Academy (demo)"
    assert AuditEvent.objects.filter(action="create", object_id=str(child.pk)).exists()
    # The person who added the child can open it.
    assert client_for("key.adult.brook").get(response["Location"]).status_code == 200


@pytest.mark.parametrize("overrides, field_id, message", [
    ({"nhs_number": "943 476 5918"}, "id_nhs_number", "check digit does not match"),
    ({"nhs_number": "12345"}, "id_nhs_number", "NHS number must be 10 digits"),
    ({"upn": "A801200005001"}, "id_upn", "check letter does not match"),
    ({"upn": "B80120000500I"}, "id_upn", "UPN must be a check letter"),
    ({"date_of_birth_year": str(dt.date.today().year + 1)}, "id_date_of_birth_0",
     "Date of birth must be today or in the past"),
    ({"date_of_birth_day": "31", "date_of_birth_month": "2", "date_of_birth_year": "2020"},
     "id_date_of_birth_0", "Date must be a real date"),
    ({"date_of_birth_day": "", "date_of_birth_month": "2", "date_of_birth_year": "2020"},
     "id_date_of_birth_0", "Date must include a day, month and year"),
    ({"la_child_id": "S-0001"}, "id_la_child_id", "LA child ID must be 1 to 20 letters or digits"),
    ({"police_reference": "!!"}, "id_police_reference", "Police reference must be"),
])
def test_bad_input_is_explained_and_nothing_is_saved(client_for, staffs, overrides, field_id,
                                                     message):
    children, involvements = Child.objects.count(), Involvement.objects.count()
    response = client_for("social.worker").post("/children/add/", form_data(staffs, **overrides))
    assert response.status_code == 200
    summary = error_summary(response)
    assert [target for target, _ in summary] == [field_id]
    assert message in summary[0][1]
    # The person's other answers are kept.
    assert b'value="Robin"' in response.content
    assert (Child.objects.count(), Involvement.objects.count()) == (children, involvements)


def test_several_mistakes_are_all_listed(client_for, staffs):
    response = client_for("social.worker").post("/children/add/", form_data(
        staffs, first_name="", nhs_number="1", upn="x"))
    targets = [target for target, _ in error_summary(response)]
    assert set(targets) == {"id_first_name", "id_nhs_number", "id_upn"}


def test_a_partnership_the_person_has_no_role_in_cannot_be_chosen(client_for, staffs):
    stoke = Partnership.objects.get(code="STOKE")
    before = Child.objects.count()
    response = client_for("social.worker").post("/children/add/", form_data(stoke))
    assert [target for target, _ in error_summary(response)] == ["id_partnership"]
    assert Child.objects.count() == before


def test_a_duplicate_nhs_number_in_the_partnership_is_refused(client_for, staffs):
    client = client_for("social.worker")
    client.post("/children/add/", form_data(staffs, nhs_number="9990001111"))
    before = Child.objects.count()
    response = client.post("/children/add/", form_data(staffs, nhs_number="9990001111",
                                                       first_name="Other"))
    assert response.status_code == 200
    assert b"govuk-error-summary" in response.content
    assert Child.objects.count() == before


def test_editing_with_a_bad_identifier_changes_nothing(client_for, staffs):
    client = client_for("social.worker")
    client.post("/children/add/", form_data(staffs, nhs_number="9990001111"))
    child = Child.objects.get(last_name="Form")
    data = form_data(staffs, nhs_number="9990001118", first_name="Changed")
    del data["partnership"]
    response = client.post(f"/children/{child.pk}/edit/", data)
    assert [target for target, _ in error_summary(response)] == ["id_nhs_number"]
    child.refresh_from_db()
    assert (child.first_name, child.nhs_number) == ("Robin", "9990001111")


def test_editing_saves_and_audits_the_changed_fields(client_for, staffs):
    client = client_for("social.worker")
    client.post("/children/add/", form_data(staffs))
    child = Child.objects.get(last_name="Form")
    data = form_data(staffs, upn="b801200005001")
    del data["partnership"]
    assert client.post(f"/children/{child.pk}/edit/", data)["Location"] == f"/children/{child.pk}/"
    child.refresh_from_db()
    assert child.upn == "B801200005001"
    row = AuditEvent.objects.filter(action="update", object_id=str(child.pk)).latest("sequence")
    assert row.detail == '{"changed": ["upn"]}'


def test_a_field_in_error_is_marked_for_assistive_technology(client_for, staffs):
    response = client_for("social.worker").post("/children/add/", form_data(
        staffs, nhs_number="943 476 5918", date_of_birth_day="31", date_of_birth_month="2"))
    page = lxml.html.fromstring(response.content)
    nhs = page.get_element_by_id("id_nhs_number")
    assert "govuk-input--error" in nhs.get("class").split()
    assert "govuk-input--width-10" in nhs.get("class").split()
    assert nhs.get("aria-describedby") == "id_nhs_number-hint id_nhs_number-error"
    assert page.get_element_by_id("id_nhs_number-error").text_content().strip().startswith("Error:")
    for part in ("0", "1", "2"):
        assert "govuk-input--error" in page.get_element_by_id(f"id_date_of_birth_{part}").get("class")
    # A field without a mistake is not marked.
    assert "govuk-input--error" not in page.get_element_by_id("id_first_name").get("class")


def test_a_two_digit_year_is_refused(client_for, staffs):
    response = client_for("social.worker").post("/children/add/", form_data(
        staffs, date_of_birth_year="12"))
    assert error_summary(response) == [("id_date_of_birth_0", "Year must include 4 numbers")]
    assert not Child.objects.filter(last_name="Form").exists()


def test_adding_an_agency_involvement_opens_the_record_to_that_agency(client_for, staffs):
    from safeguarding.core.models import Agency
    from tests.support import make_child

    child = make_child(staffs, Agency.objects.get(name__startswith="Staffordshire County"))
    police = Agency.objects.get(name="Staffordshire Police")
    assert client_for("police.officer").get(f"/children/{child.pk}/").status_code == 403
    response = client_for("social.worker").post(f"/children/{child.pk}/involvements/add/", {
        "agency": police.pk, "reason": "Police contact",
        "started_on_day": "4", "started_on_month": "1", "started_on_year": "2021"})
    assert response["Location"] == f"/children/{child.pk}/"
    assert client_for("police.officer").get(f"/children/{child.pk}/").status_code == 200


def test_an_agency_outside_the_partnership_cannot_be_added(client_for, staffs):
    from safeguarding.core.models import Agency
    from tests.support import make_child

    child = make_child(staffs, Agency.objects.get(name__startswith="Staffordshire County"))
    trentside = Agency.objects.get(name__startswith="Trentside")  # a Stoke school
    response = client_for("social.worker").post(f"/children/{child.pk}/involvements/add/", {
        "agency": trentside.pk, "reason": "Pupil on roll",
        "started_on_day": "4", "started_on_month": "1", "started_on_year": "2021"})
    assert [target for target, _ in error_summary(response)] == ["id_agency"]
    assert child.involvements.count() == 1
