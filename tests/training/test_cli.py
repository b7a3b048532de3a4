"""`safeguarding training ...`: rules, reminders, invoices and their CSV export."""

from __future__ import annotations

import io

import pytest
from django.core.management import call_command
from django.core.management.base import CommandError

from safeguarding.training import services
from tests.training.conftest import at


def _run(*args) -> str:
    out = io.StringIO()
    call_command("training", *args, stdout=out)
    return out.getvalue()


def test_the_command_line_shows_rules_sends_reminders_and_invoices(session, learners):
    assert "3 working days before the session" in _run("rules", "STAFFS")
    booking = services.booking_request(actor=learners["social.worker"], session=session,
                                       at=at("2026-02-01"))
    assert "1 reminder(s) sent" in _run("remind", "--on", "2026-02-24")
    services.register_record(actor=None, session=session, attended=set(),
                             at=at("2026-03-10", 17))
    made = _run("invoice", "STAFFS", "2025-Q4")
    assert "1 invoice(s) made" in made and "£50.00" in made
    exported = _run("export", "STAFFS", "--period", "2025-Q4")
    assert exported.splitlines()[1].split(",")[7] == str(booking.pk)
    assert "Before and after: 0 learners" in _run("evaluation", "STAFFS")
    with pytest.raises(CommandError, match="not a period"):
        _run("invoice", "STAFFS", "March")
