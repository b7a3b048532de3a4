"""Recording by CSV (all or nothing, problems named), schools with no Key Adult, the
escalation page and the daily reminders, the CLI and the API."""

from __future__ import annotations

import datetime as dt

import pytest
from django.core import mail
from django.core.management import call_command
from django.urls import reverse

from safeguarding.core.models import Partnership
from safeguarding.encompass import importer, reminders, services
from safeguarding.encompass.models import Incident, Message, Notification, School
from tests.encompass.conftest import at, csv_bytes, incident_values, pupil


def _row(child, **overrides) -> dict[str, str]:
    base = {"police_reference": "SP/1", "occurred_at": "2020-10-14 20:00", "domestic_abuse": "Y",
            "child_first_name": child.first_name, "child_last_name": child.last_name,
            "child_date_of_birth": child.date_of_birth.isoformat(), "child_present": "Y",
            "school_urn": "900001", "nhs_number": "", "la_child_id": child.la_child_id}
    base.update(overrides)
    return base


def test_a_csv_is_loaded_whole_or_not_at_all(schools, clock):
    clock("2020-10-14 22:00")
    staffs = Partnership.objects.get(code="STAFFS")
    a, b = pupil(index=0), pupil(index=1)
    bad = csv_bytes(_row(a), _row(b, police_reference="SP/2", school_urn="123456"),
                    _row(b, police_reference="SP/3", child_date_of_birth="2020-01-01"),
                    _row(a, police_reference="SP/1", occurred_at="2020-10-14 21:00"))
    with pytest.raises(importer.ImportRefused) as refused:
        services.incidents_import(actor=None, partnership=staffs, content=bad, file_name="x.csv")
    said = [str(p) for p in refused.value.problems]
    assert any(p.startswith("x.csv, row 4, child_date_of_birth") and "child_age" in p
               for p in said)
    assert any(p.startswith("x.csv, row 5, occurred_at") and "same_incident" in p for p in said)
    assert not Incident.objects.exists() and not mail.outbox
    good = csv_bytes(_row(a), _row(b), _row(b, police_reference="SP/2", school_urn="900002"))
    record = services.incidents_import(actor=None, partnership=staffs, content=good,
                                       file_name="ok.csv")
    assert (record.incidents, record.notifications) == (2, 3)
    again = services.incidents_import(actor=None, partnership=staffs, content=good,
                                      file_name="ok.csv")
    assert again.pk == record.pk and Notification.objects.count() == 3
    # A school the partnership does not have is refused with its row.
    with pytest.raises(importer.ImportRefused) as refused:
        services.incidents_import(actor=None, partnership=staffs, file_name="y.csv",
                                  content=csv_bytes(_row(a, police_reference="SP/9",
                                                         school_urn="123456")))
    assert "y.csv, row 2, school_urn" in str(refused.value.problems[0])


def test_no_key_adult_escalates_and_reminders_go_out(schools, clock, client_for):
    clock("2020-10-14 20:30")
    staffs = Partnership.objects.get(code="STAFFS")
    services.incident_record(actor=None, partnership=staffs,
                             values=incident_values("SP/A", "2020-10-14 20:00", pupil(index=0)))
    services.incident_record(actor=None, partnership=staffs,
                             values=incident_values("SP/B", "2020-10-14 20:10", pupil(index=1),
                                                    urn="900004"))
    unsent = Notification.objects.get(incident__police_reference="SP/B")
    assert unsent.sent_at is None and not unsent.on_time  # Moorfield has no Key Adult
    sent = Notification.objects.get(incident__police_reference="SP/A")
    assert sent.acknowledge_by.isoformat() == "2020-10-16"
    lead = client_for("business.staffs")
    # Thursday: the sent one is within its day; the unsent one and Moorfield are listed.
    clock("2020-10-15 12:00")
    page = lead.get(reverse("encompass:escalation", args=["STAFFS"])).content.decode()
    assert "Moorfield Infant School (demo)" in page
    api = lead.get(reverse("api:encompass_escalation", args=["STAFFS"])).json()
    assert api == {"schools_without_key_adult": ["900004"],
                   "overdue_notifications": [unsent.pk]}
    # Monday: the sent one is overdue too; the Key Adult is reminded once, the lead told.
    mail.outbox.clear()
    clock("2020-10-19 07:00")
    result = reminders.reminders_send()
    assert result["reminders"] == 1 and result["escalations"] == 1
    assert Message.objects.filter(notification=sent, kind=Message.Kind.REMINDER).count() == 1
    assert reminders.reminders_send()["reminders"] == 0  # not twice a day
    to_lead = [m for m in mail.outbox if "business.staffs@demo.invalid" in m.to]
    assert to_lead and "1 school(s) with no Key Adult" in to_lead[0].subject
    assert all(pupil(index=1).last_name not in m.body for m in mail.outbox)
    api = lead.get(reverse("api:encompass_escalation", args=["STAFFS"])).json()
    assert sorted(api["overdue_notifications"]) == sorted([sent.pk, unsent.pk])
    # A Saturday: no reminders.
    assert reminders.reminders_send(on=at("2020-10-17 07:00").date())["sent"] == 0


def test_the_cli_lists_due_imports_and_acknowledges(schools, clock, capsys, tmp_path):
    clock("2020-10-14 22:00")
    child = pupil()
    path = tmp_path / "incidents.csv"
    path.write_bytes(csv_bytes(_row(child)))
    call_command("encompass", "import", str(path), "--partnership", "STAFFS")
    assert "1 incident(s), 1 notification(s)" in capsys.readouterr().out
    call_command("encompass", "due", "--partnership", "STAFFS", "--on", "2020-10-20")
    out = capsys.readouterr().out
    assert "1 notification(s) not acknowledged" in out and "OVERDUE" in out
    assert child.last_name not in out
    notice = Notification.objects.get()
    with pytest.raises(Exception, match="not a Key Adult"):
        call_command("encompass", "acknowledge", str(notice.pk), "--as", "key.adult.hilltop")
    call_command("encompass", "acknowledge", str(notice.pk), "--as", "key.adult.brook")
    notice.refresh_from_db()
    assert notice.acknowledged_at == at("2020-10-14 22:00")
    call_command("encompass", "template")
    assert capsys.readouterr().out.strip().endswith(importer.template_csv_header())


def test_the_api_records_and_the_key_adult_acknowledges(schools, clock, client_for):
    clock("2020-10-16 19:00")
    child = pupil()
    body = {"police_reference": "SP/API", "occurred_at": "2020-10-16T18:30:00+01:00",
            "children": [{"first_name": child.first_name, "last_name": child.last_name,
                          "date_of_birth": child.date_of_birth.isoformat(),
                          "school_urn": "900001", "la_child_id": child.la_child_id}]}
    url = reverse("api:encompass_incidents", args=["STAFFS"])
    assert client_for("social.worker").post(url, body, content_type="application/json"
                                            ).status_code == 403
    made = client_for("police.officer").post(url, body, content_type="application/json")
    assert made.status_code == 201, made.content
    [pk] = made.json()["notifications"]
    assert Notification.objects.get(pk=pk).due_at == at("2020-10-19 09:00")
    key_adult = client_for("key.adult.brook")
    listed = key_adult.get(reverse("api:encompass_notifications")).json()
    assert [n["id"] for n in listed] == [pk] and listed[0]["last_name"] == child.last_name
    assert client_for("key.adult.hilltop").get(reverse("api:encompass_notifications")
                                               ).json() == []
    done = key_adult.post(reverse("api:encompass_acknowledge", args=[pk]))
    assert done.status_code == 200 and done.json()["acknowledged_at"]
    # Acknowledging again changes nothing: the first time is kept.
    again = key_adult.post(reverse("api:encompass_acknowledge", args=[pk]))
    assert again.status_code == 200
    assert (dt.datetime.fromisoformat(again.json()["acknowledged_at"].replace("Z", "+00:00"))
            == dt.datetime.fromisoformat(done.json()["acknowledged_at"].replace("Z", "+00:00")))


def test_the_lead_keeps_the_schools_and_their_key_adults(schools, client_for):
    lead = client_for("business.staffs")
    add = reverse("encompass:school-add", args=["STAFFS"])
    refused = lead.post(add, {"urn": "12", "name": "Oak School", "la_code": "999",
                              "key_adult_name": "A Person", "key_adult_email": ""})
    assert refused.status_code == 200
    page = refused.content.decode()
    assert "Enter the school&#x27;s URN" in page and "LA 999 is not in" in page
    done = lead.post(add, {"urn": "900010", "name": "Oak School", "la_code": "860",
                           "key_adult_name": "Ann Oak", "key_adult_email": "ann@oak.invalid"})
    assert done.status_code == 302
    oak = School.objects.get(urn="900010")
    assert oak.has_key_adult and oak.key_adult_since
    # The Key Adult leaves: the school goes on the escalation list.
    edit = lead.post(reverse("encompass:school-edit", args=[oak.pk]),
                     {"name": "Oak School", "key_adult_name": "", "key_adult_email": ""})
    assert edit.status_code == 302
    oak.refresh_from_db()
    assert not oak.has_key_adult and oak.key_adult_since is None
    listed = lead.get(reverse("api:encompass_escalation", args=["STAFFS"])).json()
    assert "900010" in listed["schools_without_key_adult"]
    # Another partnership's lead cannot see or change it.
    assert client_for("business.stoke").get(
        reverse("encompass:school-edit", args=[oak.pk])).status_code == 403
