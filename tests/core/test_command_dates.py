"""Every app's `remind` command reads its --on date through one helper
(core.management.helpers.date_option): a day that is not a real date is refused with the value
and the format named, before anything is sent; a real one is the day the reminders are for."""

from __future__ import annotations

import io

import pytest
from django.core import mail
from django.core.management import call_command
from django.core.management.base import CommandError

pytestmark = pytest.mark.django_db

REMIND = ["training", "policies", "neglect", "audits", "governance"]


@pytest.mark.parametrize("app", REMIND)
def test_a_date_that_does_not_exist_is_refused_naming_it(app):
    with pytest.raises(CommandError, match=r"'2021-02-30' is not a date: use YYYY-MM-DD"):
        call_command(app, "remind", "--on", "2021-02-30")
    assert mail.outbox == []


@pytest.mark.parametrize("app", ["policies", "neglect", "audits", "governance"])
def test_the_reminders_are_for_the_day_given(app):
    out = io.StringIO()
    call_command(app, "remind", "--on", "2021-03-01", stdout=out)
    assert "2021-03-01" in out.getvalue()
