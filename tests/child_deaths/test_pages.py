"""Pages: bad input refused with the GOV.UK error summary naming the field, nothing saved;
every page renders for the panel."""

from __future__ import annotations

import datetime as dt
import re

import pytest
from django.core.exceptions import ValidationError
from django.urls import reverse

from safeguarding.child_deaths import services
from safeguarding.child_deaths.models import ChildDeath, InformationRequest, JointAgencyResponse
from safeguarding.children.models import Child
from tests.child_deaths.helpers import TODAY, icb, notify, partnership, post_date, user

pytestmark = pytest.mark.django_db


def _form(**overrides) -> dict:
    data = {
        "partnership": partnership("STOKE").pk,
        "birth_status": "born_alive",
        "first_name": "Posted",
        "last_name": "Throughform",
        "sex": "1",
        "ethnicity": "WBRI",
        "nhs_number": "",
        "postcode": "ST4 1AA",
        "place_of_death": "hospital",
        "place_detail": "",
        "expected": "unexpected",
        "jar_triggers": ["sudden_no_cause"],
        "notifier_name": "Dr Form",
        "notifier_role": "Paediatrician",
        "notifying_agency": icb().pk,
        **post_date("date_of_birth", dt.date(2021, 1, 10)),
        **post_date("date_of_death", dt.date(2021, 2, 6)),
        **post_date("notified_on", dt.date(2021, 2, 7)),
    }
    data.update(overrides)
    return data


def _summary_links(body: str) -> dict[str, str]:
    summary = body.split('class="govuk-error-summary"', 1)[1].split("</ul>", 1)[0]
    # Date inputs and radios link to their first box or option (id_field_0).
    return {
        href.removesuffix("_0"): text
        for href, text in re.findall(r'<a href="#([^"]+)">([^<]+)</a>', summary)
    }


def test_notify_page_creates_the_case_and_child(client_for):
    children = Child.objects.count()
    response = client_for("cdop.member").post(reverse("child_deaths:notify"), _form())
    assert response.status_code == 302
    case = ChildDeath.objects.get()
    assert response.url == reverse("child_deaths:detail", args=[case.pk])
    assert case.partnership.code == "STOKE" and case.age_at_death_days == 27 and case.neonatal
    assert Child.objects.count() == children + 1


def test_stillbirth_is_refused_on_the_form_with_the_reason(client_for):
    children = Child.objects.count()
    response = client_for("cdop.member").post(
        reverse("child_deaths:notify"), _form(birth_status="stillbirth")
    )
    assert response.status_code == 200
    body = response.content.decode()
    links = _summary_links(body)
    assert "id_birth_status" in links
    assert "Stillbirths" in links["id_birth_status"]
    assert "lawful terminations of pregnancy" in body
    assert ChildDeath.objects.count() == 0 and Child.objects.count() == children


@pytest.mark.parametrize(
    ("overrides", "field", "words"),
    [
        (
            {**post_date("date_of_death", dt.date(2020, 12, 1))},
            "id_date_of_death",
            "on or after the date of birth",
        ),
        ({"expected": "expected"}, "id_expected", "unexpected"),
        ({"date_of_death_month": "13"}, "id_date_of_death", "real date"),
        ({"first_name": ""}, "id_first_name", "first name"),
        ({"nhs_number": "1234567890"}, "id_nhs_number", "NHS number"),
    ],
)
def test_bad_notification_is_refused_naming_the_field_and_nothing_is_saved(
    client_for, overrides, field, words
):
    children = Child.objects.count()
    response = client_for("business.staffs").post(
        reverse("child_deaths:notify"), _form(**overrides)
    )
    assert response.status_code == 200
    body = response.content.decode()
    assert "<title>Error:" in body and "There is a problem" in body
    links = _summary_links(body)
    assert field in links, links
    assert words.lower() in links[field].lower()
    assert f'id="{field}-error"' in body
    assert ChildDeath.objects.count() == 0 and Child.objects.count() == children


def test_bad_request_and_response_are_refused_naming_the_field(client_for):
    case = notify(date_of_death=dt.date(2020, 6, 1))
    client = client_for("business.staffs")
    response = client.post(
        reverse("child_deaths:request-add", args=[case.pk]),
        {
            "agency": icb().pk,
            "form": "reporting",
            "contact_email": "not-an-email",
            **post_date("requested_on", dt.date(2020, 6, 3)),
        },
    )
    assert "id_contact_email" in _summary_links(response.content.decode())
    assert not InformationRequest.objects.exists()
    response = client.post(
        reverse("child_deaths:request-add", args=[case.pk]),
        {
            "agency": icb().pk,
            "form": "reporting",
            "contact_email": "named@nhs.invalid",
            **post_date("requested_on", dt.date(2020, 6, 3)),
        },
    )
    assert response.status_code == 302
    request = InformationRequest.objects.get()
    response = client.post(
        reverse("child_deaths:request-response", args=[case.pk, request.pk]),
        {**post_date("received_on", dt.date(2020, 7, 1)), "summary": ""},
    )
    assert set(_summary_links(response.content.decode())) == {"id_summary"}
    response = client.post(
        reverse("child_deaths:request-response", args=[case.pk, request.pk]),
        {**post_date("received_on", dt.date(2020, 6, 1)), "summary": "Records shared"},
    )
    links = _summary_links(response.content.decode())
    assert "on or after the date requested" in links["id_received_on"]
    request.refresh_from_db()
    assert request.received_on is None


def test_jar_page_refuses_an_expected_death_and_saves_nothing(client_for):
    case = notify()
    response = client_for("business.staffs").post(
        reverse("child_deaths:jar", args=[case.pk]),
        {
            **post_date("meeting_date", dt.date(2020, 6, 2)),
            "agencies": [icb().pk],
            "key_worker_name": "Sam",
            "key_worker_agency": icb().pk,
        },
    )
    assert response.status_code == 200
    assert "only for an unexpected death" in response.content.decode()
    assert not JointAgencyResponse.objects.exists()


def test_every_page_renders_for_the_panel(client_for):
    case = notify(
        code="STOKE",
        expected="unexpected",
        jar_triggers=["external_causes"],
        date_of_death=dt.date(2021, 6, 1),
        notified_on=dt.date(2021, 6, 1),
    )
    request = services.information_request_add(
        actor=user("business.staffs"),
        case=case,
        agency=icb(),
        requested_on=dt.date(2021, 6, 2),
        today=TODAY,
    )
    client = client_for("cdop.member")
    for url in [
        reverse("child_deaths:list"),
        reverse("child_deaths:list") + "?period=2021-22",
        reverse("child_deaths:notify"),
        reverse("child_deaths:due"),
        reverse("child_deaths:exports"),
        reverse("child_deaths:statistics"),
        reverse("child_deaths:statistics") + "?scope=panel-STAFFS&year=2021-22&trend_category=2",
        reverse("child_deaths:detail", args=[case.pk]),
        reverse("child_deaths:jar", args=[case.pk]),
        reverse("child_deaths:request-add", args=[case.pk]),
        reverse("child_deaths:request-response", args=[case.pk, request.pk]),
        reverse("child_deaths:review", args=[case.pk]),
    ]:
        response = client.get(url)
        assert response.status_code == 200, url
    detail = client.get(reverse("child_deaths:detail", args=[case.pk])).content.decode()
    for step in (
        "Death notified",
        "Joint Agency Response",
        "Child death reporting form",
        "Panel review",
    ):
        assert step in detail
    assert client_for("business.staffs").get(reverse("child_deaths:themes")).status_code == 200


def test_due_page_tags_overdue_requests(client_for):
    case = notify(date_of_death=dt.date(2020, 6, 1))
    services.information_request_add(
        actor=user("business.staffs"),
        case=case,
        agency=icb(),
        requested_on=dt.date(2020, 6, 3),
        today=TODAY,
    )
    body = client_for("business.staffs").get(reverse("child_deaths:due")).content.decode()
    assert "Overdue (1)" in body and case.reference in body


def test_themes_are_managed_by_the_business_unit(client_for):
    client = client_for("business.staffs")
    response = client.post(reverse("child_deaths:themes"), {"name": "Button batteries"})
    assert response.status_code == 302
    response = client.post(reverse("child_deaths:themes"), {"name": "button batteries"})
    assert "already on the list" in response.content.decode()
    assert (
        client_for("cdop.member").post(reverse("child_deaths:themes"), {"name": "X"}).status_code
        == 403
    )


def test_a_retired_theme_cannot_be_chosen(client_for):
    theme = services.theme_add(actor=user("business.staffs"), name="Button batteries")
    client = client_for("business.staffs")
    assert client.get(reverse("child_deaths:theme-toggle", args=[theme.pk])).status_code == 405
    assert (
        client_for("cdop.member")
        .post(reverse("child_deaths:theme-toggle", args=[theme.pk]))
        .status_code
        == 403
    )
    assert client.post(reverse("child_deaths:theme-toggle", args=[theme.pk])).status_code == 302
    theme.refresh_from_db()
    assert theme.active is False
    case = notify()
    with pytest.raises(ValidationError):
        services.cdop_review_record(
            actor=user("cdop.member"),
            case=case,
            review_date=dt.date(2021, 1, 1),
            category=8,
            modifiable="no",
            themes=[theme],
            today=TODAY,
        )
