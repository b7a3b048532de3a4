"""The done-when scenario: a police officer records an incident with a child present on the
Friday evening before half-term; the notification is due at the start of the school day
after half-term; the Key Adult (and the holiday contact) get an e-mail with a sign-in link
and no child data; the Key Adult signs in, reads it through the audited door and
acknowledges it that morning; the on-time and acknowledged measures count it."""

from __future__ import annotations

from django.core import mail
from django.urls import reverse

from safeguarding.core.models import AuditEvent, Partnership
from safeguarding.encompass.models import Notification
from tests.encompass.conftest import at, pupil


def _form(child) -> dict:
    born = child.date_of_birth
    return {"police_reference": "SP/201023/777", "occurred_on_day": "23", "occurred_on_month": "10",
            "occurred_on_year": "2020", "occurred_time": "19:45", "domestic_abuse": "on",
            "child_1_first_name": child.first_name, "child_1_last_name": child.last_name,
            "child_1_date_of_birth_day": str(born.day),
            "child_1_date_of_birth_month": str(born.month), "child_1_date_of_birth_year": str(born.year), "child_1_school_urn": "900001",
            "child_1_present": "on", "child_1_identifier": child.la_child_id}


def test_friday_before_half_term_to_acknowledged_on_the_next_school_morning(
        schools, client_for, clock):
    child = pupil()
    clock("2020-10-23 21:10")
    police = client_for("police.officer")
    page = police.get(reverse("encompass:incident-add", args=["STAFFS"]))
    assert page.status_code == 200
    done = police.post(reverse("encompass:incident-add", args=["STAFFS"]), _form(child))
    assert done.status_code == 302, done.content.decode().split("govuk-error-summary__list")[-1][:1500]

    notice = Notification.objects.get(incident__police_reference="SP/201023/777")
    assert notice.child_id == child.pk  # linked to the index by the LA child ID
    assert notice.due_at == at("2020-11-02 09:00") and notice.after_holiday
    assert notice.sent_at == at("2020-10-23 21:10") and notice.on_time

    # The Key Adult and the holiday contact: a sign-in link, nothing about the child.
    assert sorted(m.to[0] for m in mail.outbox) == ["holidays.900001@demo.invalid",
                                                    "key.adult.brook@demo.invalid"]
    link = reverse("encompass:notification", args=[notice.pk])
    for message in mail.outbox:
        text = f"{message.subject}\n{message.body}"
        assert link in text
        for secret in (child.first_name, child.last_name, child.la_child_id, "SP/201023/777",
                       child.date_of_birth.strftime("%-d %B %Y"), child.date_of_birth.isoformat()):
            assert secret not in text

    # Monday 2 November, 08:40: the Key Adult signs in, reads and acknowledges.
    clock("2020-11-02 08:40")
    key_adult = client_for("key.adult.brook")
    page = key_adult.get(link)
    assert page.status_code == 200
    assert child.last_name in page.content.decode()
    assert AuditEvent.objects.filter(object_type="encompass.notification",
                                     object_id=str(notice.pk), action=AuditEvent.Action.READ,
                                     actor__username="key.adult.brook").exists()
    assert key_adult.post(reverse("encompass:acknowledge", args=[notice.pk])).status_code == 302
    notice.refresh_from_db()
    assert notice.acknowledged_at == at("2020-11-02 08:40")

    # The measures count it: on time and acknowledged (the business unit sees the numbers).
    found = client_for("business.staffs").get(
        "/api/indicators", {"partnership": "STAFFS", "period": "2020-10"}).json()
    figures = {i["id"]: i for i in found["indicators"] if i["id"].startswith("encompass")}
    assert figures["encompass_notifications"]["value"] == 1
    assert figures["encompass_notified_on_time_rate"]["numerator"] == 1
    assert figures["encompass_notified_on_time_rate"]["value"] == 100
    assert figures["encompass_acknowledged_in_time_rate"]["value"] == 100
    assert Partnership.objects.get(code="STAFFS")  # the demo partnership


def test_another_school_s_key_adult_and_the_social_worker_cannot_read_it(
        schools, client_for, clock):
    clock("2020-10-23 21:10")
    client_for("police.officer").post(reverse("encompass:incident-add", args=["STAFFS"]),
                                      _form(pupil()))
    notice = Notification.objects.get()
    link = reverse("encompass:notification", args=[notice.pk])
    for username in ("key.adult.hilltop", "key.adult.trentside", "social.worker",
                     "analyst.staffs", "board.police", "business.stoke"):
        client = client_for(username)
        assert client.get(link).status_code == 403, username
        assert client.post(reverse("encompass:acknowledge", args=[notice.pk])).status_code == 403
    assert AuditEvent.objects.filter(object_type="encompass.notification",
                                     action=AuditEvent.Action.DENIED).exists()
    notice.refresh_from_db()
    assert notice.acknowledged_at is None
