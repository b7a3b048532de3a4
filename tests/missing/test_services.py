"""The 72-hour clock runs in hours across a weekend, the due page lists overdue offers,
the repeat-missing flag rises on the third episode in 90 days, and only workers write."""

from __future__ import annotations

import datetime as dt

import pytest
from django.core import mail
from django.core.exceptions import PermissionDenied, ValidationError
from django.urls import reverse
from django.utils import timezone

from safeguarding.core.models import Partnership, User
from safeguarding.missing import config, reminders, selectors, services
from safeguarding.missing.models import Episode
from tests.missing.conftest import csv_bytes, row


def at(text: str) -> dt.datetime:
    return timezone.make_aware(dt.datetime.strptime(text, "%Y-%m-%d %H:%M"))


@pytest.fixture
def staffs(demo_world):
    return Partnership.objects.get(code="STAFFS")


def test_the_rule_is_data_with_its_source():
    rule = config.rhi_rule()
    assert (rule["amount"], rule["unit"]) == (72, "hours") and "[V]" in rule["source"]
    assert config.repeat_rule() == (3, 90)


def test_a_friday_evening_return_is_due_monday_evening_not_three_working_days(staffs):
    # Friday 5 June 2020 18:00: 72 clock hours is Monday 8 June 18:00 (three working days
    # would be Wednesday).
    services.episodes_import(actor=None, partnership=staffs, file_name="p.csv",
                             content=csv_bytes(row(returned_at="2020-06-05 18:00")))
    episode = Episode.objects.get()
    assert timezone.localtime(episode.rhi_due_at) == at("2020-06-08 18:00")
    lists = selectors.interviews_due(actor=User.objects.get(username="business.staffs"),
                                     partnership=staffs, now=at("2020-06-08 17:59"))
    assert [e.pk for e in lists["due"]] == [episode.pk] and lists["overdue"] == []
    lists = selectors.interviews_due(actor=User.objects.get(username="business.staffs"),
                                     partnership=staffs, now=at("2020-06-08 18:01"))
    assert [e.pk for e in lists["overdue"]] == [episode.pk]


def test_an_absent_episode_needs_no_interview(staffs):
    services.episodes_import(actor=None, partnership=staffs, file_name="p.csv",
                             content=csv_bytes(row(category="A")))
    assert Episode.objects.get().rhi_due_at is None


def test_an_overdue_offer_is_on_the_due_page_and_in_the_reminder(staffs, client_for):
    services.episodes_import(actor=None, partnership=staffs, file_name="p.csv",
                             content=csv_bytes(row()))
    page = client_for("social.worker").get(reverse("missing:due", args=["STAFFS"]))
    text = page.content.decode()
    assert page.status_code == 200 and "SP-1" in text and "Overdue" in text
    result = reminders.overdue_reminders_send(on=dt.date(2020, 6, 9))
    assert result["sent"] == 1 and "1 return home interview overdue" in mail.outbox[0].subject
    assert "business.staffs@demo.invalid" in mail.outbox[0].to
    # Offered (late) and held: off the due list.
    episode = Episode.objects.get()
    services.interview_record(actor=None, episode=episode, offered_at=at("2020-06-09 10:00"),
                              accepted=True, interview_at=at("2020-06-10 10:00"),
                              interviewer="A. Worker", outcome="NFA")
    page = client_for("social.worker").get(reverse("missing:due", args=["STAFFS"]))
    assert "No interview offer is overdue" in page.content.decode()


def test_the_interview_is_checked(staffs):
    services.episodes_import(actor=None, partnership=staffs, file_name="p.csv",
                             content=csv_bytes(row()))
    episode = Episode.objects.get()
    with pytest.raises(ValidationError) as error:
        services.interview_record(actor=None, episode=episode, offered_at=at("2020-06-05 20:00"),
                                  accepted=False, interview_at=at("2020-06-06 10:00"))
    assert {"offered_at", "accepted", "interviewer", "outcome"} <= set(error.value.message_dict)


def test_the_third_episode_in_90_days_raises_the_repeat_flag(staffs, client_for):
    rows = [row(force_reference="E1", missing_from="2020-04-01 20:00",
                returned_at="2020-04-02 08:00"),
            row(force_reference="E2", missing_from="2020-05-10 20:00",
                returned_at="2020-05-11 08:00")]
    services.episodes_import(actor=None, partnership=staffs, file_name="a.csv",
                             content=csv_bytes(*rows))
    client = client_for("business.staffs")
    second = Episode.objects.get(force_reference="E2")
    text = client.get(reverse("missing:episode-detail", args=[second.pk])).content.decode()
    assert "Repeat missing" not in text
    services.episodes_import(actor=None, partnership=staffs, file_name="b.csv", content=csv_bytes(
        *rows, row(force_reference="E3", missing_from="2020-06-29 19:00",
                   returned_at="2020-06-30 08:00")))
    text = client.get(reverse("missing:episode-detail", args=[second.pk])).content.decode()
    assert "Repeat missing: 3 or more episodes within 90 days" in text
    assert "Consider a referral to the multi-agency child exploitation (MACE) panel" in text
    # 91 days after the first is outside the window.
    assert selectors.repeat_flags([at("2020-04-01 20:00"), at("2020-05-10 20:00"),
                                   at("2020-07-01 20:00")]) == []


def test_only_workers_of_the_partnership_write(staffs):
    board = User.objects.get(username="board.police")
    stoke = User.objects.get(username="business.stoke")
    for actor in (board, stoke):
        with pytest.raises(PermissionDenied):
            services.episodes_import(actor=actor, partnership=staffs, file_name="p.csv",
                                     content=csv_bytes(row()))
    services.episodes_import(actor=User.objects.get(username="police.officer"),
                             partnership=staffs, file_name="p.csv", content=csv_bytes(row()))
    assert Episode.objects.count() == 1
