"""The restraint pages: reviewers record, import, review and sample; others are refused."""

from __future__ import annotations

import datetime as dt

from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse

from safeguarding.core.models import AuditEvent
from safeguarding.restraint import services
from safeguarding.restraint.models import Incident, Review
from tests.restraint.conftest import csv_bytes, row


def _load(yoi, *rows):
    services.incidents_import(actor=None, establishment=yoi, file_name="v.csv",
                              content=csv_bytes(*rows))


def test_a_reviewer_imports_a_file_and_sees_each_problem(yoi, client_for):
    client = client_for("restraint.member")
    bad = SimpleUploadedFile("bad.csv", csv_bytes(row(location="ROOF")), "text/csv")
    page = client.post(reverse("restraint:import", args=[yoi.pk]), {"file": bad})
    text = page.content.decode()
    assert page.status_code == 200 and "Nothing was loaded" in text
    assert "ROOF" in text and "<td class=\"govuk-table__cell\">location</td>" in text
    good = SimpleUploadedFile("good.csv", csv_bytes(row()), "text/csv")
    page = client.post(reverse("restraint:import", args=[yoi.pk]), {"file": good})
    assert page.status_code == 302 and Incident.objects.count() == 1


def test_a_reviewer_records_a_restraint_by_form(yoi, client_for):
    client = client_for("restraint.member")
    data = {"incident_ref": "F1", "occurred_on_day": "5", "occurred_on_month": "6",
            "occurred_on_year": "2020", "occurred_time": "14:30", "location": "GYM",
            "primary_reason": "FIGHT", "positions": ["STANDING"], "duration_minutes": "3",
            "body_worn_camera": "N", "pit_used": "on", "child_la": "860",
            "la_child_id": "S000000002", "date_of_birth_day": "1", "date_of_birth_month": "3",
            "date_of_birth_year": "2004", "ethnicity": "WBRI", "staff": "S0001:2020-01-01"}
    page = client.post(reverse("restraint:incident-add", args=[yoi.pk]), data)
    text = page.content.decode()
    assert page.status_code == 200 and "Pit technique is required when pit_used is Y" in text
    data.update(pit_used="", sound_captured="")
    page = client.post(reverse("restraint:incident-add", args=[yoi.pk]), data)
    assert page.status_code == 302
    incident = Incident.objects.get(reference="F1")
    assert incident.location == "GYM" and incident.child_id is not None


def test_the_review_page_records_the_review_and_the_detail_shows_it(yoi, client_for):
    _load(yoi, row())
    incident = Incident.objects.get()
    client = client_for("restraint.member")
    page = client.post(reverse("restraint:incident-review", args=[incident.pk]), {
        "reviewed_on_day": "8", "reviewed_on_month": "6", "reviewed_on_year": "2020",
        "proportionate": "Y", "referral": "NONE"})
    assert page.status_code == 302 and Review.objects.get().reviewed_on == dt.date(2020, 6, 8)
    detail = client.get(reverse("restraint:incident-detail", args=[incident.pk])).content.decode()
    assert "8 June 2020" in detail and "After the next working day" not in detail


def test_the_business_unit_reads_the_childs_identity_through_the_door(yoi, client_for):
    _load(yoi, row())
    incident = Incident.objects.get()
    before = AuditEvent.objects.filter(object_type="children.child",
                                       object_id=str(incident.child_id)).count()
    page = client_for("business.staffs").get(reverse("restraint:incident-detail",
                                                     args=[incident.pk]))
    assert page.status_code == 200
    assert reverse("children:detail", args=[incident.child_id]) in page.content.decode()
    after = AuditEvent.objects.filter(object_type="children.child",
                                      object_id=str(incident.child_id)).count()
    assert after == before + 1


def test_the_heat_map_is_an_svg_with_its_table(yoi, client_for):
    _load(yoi, row(), row(incident_ref="R2", occurred_at="2020-06-06 14:10"))
    page = client_for("restraint.member").get(reverse("restraint:insight", args=[yoi.pk]),
                                              {"period": "2020-21"})
    text = page.content.decode()
    assert page.status_code == 200 and "<svg" in text and "2 restraints by location" in text


def test_the_heat_map_opens_on_the_year_of_the_latest_restraint_and_names_a_bad_period(
        yoi, client_for):
    _load(yoi, row(), row(incident_ref="R2", occurred_at="2021-04-06 14:10"))
    client = client_for("restraint.member")
    url = reverse("restraint:insight", args=[yoi.pk])
    text = client.get(url).content.decode()
    assert "2021-22" in text and "1 restraints by location" in text
    page = client.get(url, {"period": "last year"})
    text = page.content.decode()
    assert page.status_code == 200
    assert "There is a problem" in text and "&#x27;last year&#x27; is not a period" in text
    assert "showing 2021-22" in text
    assert 'value="last year"' in text and "1 restraints by location" in text


def test_aggregate_and_other_roles_get_no_restraint_page(yoi, client_for):
    _load(yoi, row())
    incident = Incident.objects.get()
    for name in ("board.police", "analyst.staffs", "social.worker", "business.stoke",
                 "scrutiny.member"):
        client = client_for(name)
        home = client.get(reverse("restraint:home"))
        if name == "business.stoke":  # a reviewer role, of another partnership
            assert home.status_code == 200 and yoi.name not in home.content.decode()
        else:
            assert home.status_code == 403, name
        for url in (reverse("restraint:incident-list", args=[yoi.pk]),
                    reverse("restraint:incident-detail", args=[incident.pk]),
                    reverse("restraint:insight", args=[yoi.pk])):
            assert client.get(url).status_code == 403, (name, url)
