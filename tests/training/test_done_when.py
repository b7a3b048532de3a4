"""The module's done-when: a practitioner books, is reminded, cancels late and is charged
by the partnership's rule; the business unit waives the charge with a reason and exports
invoices; learners answer evaluations and the confidence change appears in the measures."""

from __future__ import annotations

import csv
import io

import pytest
from django.core import mail
from django.core.exceptions import ValidationError

from safeguarding.core.models import User
from safeguarding.training import config, reminders, selectors, services
from safeguarding.training.models import Booking, Charge, Evaluation
from tests.training.conftest import at


def test_book_remind_cancel_late_charge_waive_invoice(session, learners, staffs):
    worker, officer, visitor = (learners[n] for n in ("social.worker", "police.officer",
                                                      "health.visitor"))
    first = services.booking_request(actor=worker, session=session, at=at("2026-02-01"))
    second = services.booking_request(actor=officer, session=session, at=at("2026-02-01"))
    third = services.booking_request(actor=visitor, session=session, at=at("2026-02-02"))
    assert [first.state, second.state, third.state] == ["confirmed", "confirmed", "waitlisted"]

    mail.outbox.clear()
    assert reminders.training_daily(on=at("2026-02-24").date())["sent"] == 2  # 14 days before
    assert reminders.training_daily(on=at("2026-02-24").date())["sent"] == 0  # not twice
    assert reminders.training_daily(on=at("2026-03-05").date())["sent"] == 2  # 5 days before
    subjects = sorted(m.subject for m in mail.outbox if m.to == [worker.email])
    assert subjects == ["Joining instructions for your training",
                        "Reminder: your training is in two weeks"]

    # The cut-off (3 working days before Tuesday 10 March) was Thursday 5 March.
    assert services.cutoff_day(session).isoformat() == "2026-03-05"
    cancelled = services.booking_cancel(actor=worker, booking=first, reason="Court",
                                        at=at("2026-03-06"))
    assert cancelled.state == Booking.State.LATE_CANCELLED
    charge = Charge.objects.get(booking=first)
    assert charge.amount_pence == 5000 and charge.reason == "late_cancellation"
    assert "northamptonshire" in charge.rule
    # The freed place is offered to the first on the waiting list, for a limited time.
    third.refresh_from_db()
    assert third.state == Booking.State.OFFERED and third.offer_expires_at is not None

    business = User.objects.get(username="business.staffs")
    with pytest.raises(ValidationError):
        services.charge_waive(actor=business, charge=charge, reason="other", note="")
    services.charge_waive(actor=business, charge=charge, reason="illness",
                          note="GP letter seen", on=at("2026-03-09").date())
    charge.refresh_from_db()
    assert charge.status == "waived" and charge.waived_by == business

    # The officer does not come: a no-show charge. The invoice carries it, not the waived one.
    services.booking_accept_offer(actor=visitor, booking=third, at=at("2026-03-06", 12))
    services.register_record(actor=business, session=session, attended={third.pk},
                             at=at("2026-03-10", 17))
    made = services.invoices_make(actor=business, partnership=staffs, period="2026-03")
    assert len(made) == 1 and made[0].total_pence == 5000
    lines = list(csv.DictReader(io.StringIO(selectors.invoices_csv(made))))
    assert [(line["organisation"], line["reason"], line["amount_gbp"]) for line in lines] == [
        ("Staffordshire Police", "Did not attend", "50.00")]
    assert services.invoices_make(actor=business, partnership=staffs, period="2026-03") == []


def test_evaluations_give_the_paired_confidence_change_in_the_measures(session, learners, staffs,
                                                                       client_for):
    people = [learners["social.worker"], learners["police.officer"]]
    bookings = [services.booking_request(actor=p, session=session, at=at("2026-02-01"))
                for p in people]
    for booking, before in zip(bookings, [2, 3], strict=True):
        services.evaluation_record(actor=booking.learner, booking=booking, stage="before",
                                   confidence=before, knowledge=2, on=at("2026-03-01").date())
    services.register_record(actor=None, session=session, attended={b.pk for b in bookings},
                             at=at("2026-03-10", 17))
    for booking in bookings:
        booking.refresh_from_db()
    for booking, after in zip(bookings, [4, 3], strict=True):
        services.evaluation_record(actor=booking.learner, booking=booking, stage="after",
                                   confidence=after, knowledge=4, quality=5,
                                   on=at("2026-03-10").date())
    with pytest.raises(ValidationError):  # the follow-up waits 6 weeks
        services.evaluation_record(actor=people[0], booking=bookings[0], stage="follow_up",
                                   confidence=4, knowledge=4, on=at("2026-03-20").date())
    assert Evaluation.objects.count() == 4
    assert selectors.paired_change(staffs) == {"learners": 2, "confidence": 1.0,
                                               "knowledge": 2.0}
    found = client_for("business.staffs").get(
        "/api/indicators", {"partnership": "STAFFS", "period": "2026-03"}).json()
    values = {i["id"]: i for i in found["indicators"] if i["id"].startswith("training")}
    rate = values["training_confidence_improved_rate"]
    assert (rate["numerator"], rate["denominator"]) == (1, 2)
    assert values["training_attendance_rate"]["value"] == 100.0
    assert values["training_sessions_delivered"]["value"] == 1


def test_charges_follow_the_partnership_s_configured_rule():
    greenwich = config._policy("greenwich", config.config()["presets"]["greenwich"])
    assert greenwich.charge_for("late_cancellation", "partner", "half_day") == 4000
    assert greenwich.cutoff_text() == "2 days before the session"
    staffs = config.policy_for_code("STAFFS")
    assert staffs.charge_for("no_show", "voluntary", "full_day") == 5000
    assert staffs.source.startswith("Demo")
