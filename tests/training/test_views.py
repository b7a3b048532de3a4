"""The training pages end to end, and as an attacker: a learner books, cancels late and is
charged; the business unit waives with a reason and exports the invoices; another
partnership's business unit and other learners are refused every write."""

from __future__ import annotations

import datetime as dt

from django.core import mail
from django.urls import reverse
from django.utils import timezone

from safeguarding.core.models import AuditEvent, User
from safeguarding.training import services
from safeguarding.training.models import Booking, Charge


def _soon(course, days: int, capacity: int = 5):
    start = timezone.now() + dt.timedelta(days=days)
    return services.session_add(actor=None, course=course, starts_at=start,
                                ends_at=start + dt.timedelta(hours=3), trainers="T",
                                capacity=capacity, joining_link="https://meet.example.org/x")


def test_a_learner_books_cancels_late_and_the_business_unit_waives_and_invoices(
        course, learners, client_for, staffs):
    session = _soon(course, 1)  # tomorrow: past the 3-working-day cut-off
    worker = client_for("social.worker")
    page = worker.get(reverse("training:home"))
    assert "Child exploitation" in page.content.decode()
    response = worker.post(reverse("training:session-book", args=[session.pk]),
                           {"role": "Social worker", "agree": "on"})
    assert response.status_code == 302
    booking = Booking.objects.get(session=session, learner__username="social.worker")
    assert booking.state == "confirmed"
    assert any("confirmed" in m.subject for m in mail.outbox)
    warning = worker.get(reverse("training:booking-cancel", args=[booking.pk]))
    assert "late cancellation" in warning.content.decode()
    worker.post(reverse("training:booking-cancel", args=[booking.pk]), {"reason": "Court"})
    charge = Charge.objects.get(booking=booking)
    assert charge.status == "raised" and charge.amount_pence == 5000

    # Stoke's business unit cannot waive Staffordshire's charge.
    stranger = client_for("business.stoke")
    refused = stranger.post(reverse("training:charge-waive", args=[charge.pk]),
                            {"reason": "illness"})
    assert refused.status_code == 403
    charge.refresh_from_db()
    assert charge.status == "raised"

    business = client_for("business.staffs")
    page = business.post(reverse("training:charge-waive", args=[charge.pk]),
                         {"reason": "other", "note": ""})
    assert "Give the reason for the waiver" in page.content.decode()
    business.post(reverse("training:charge-waive", args=[charge.pk]),
                  {"reason": "illness", "note": "GP letter"})
    charge.refresh_from_db()
    assert charge.status == "waived" and charge.waiver_reason == "illness"

    exported = business.get(reverse("training:invoices-csv", args=[staffs.pk]))
    assert exported["Content-Type"] == "text/csv"
    assert exported.content.decode().startswith("invoice_number,period,organisation")
    assert AuditEvent.objects.filter(action="export", object_type="training.invoice").exists()


def test_a_learner_sees_only_their_own_bookings(course, learners, client_for):
    session = _soon(course, 30)
    booking = services.booking_request(actor=learners["police.officer"], session=session)
    worker = client_for("social.worker")
    assert worker.get(reverse("training:booking-cancel", args=[booking.pk])).status_code == 403
    assert worker.post(reverse("training:booking-cancel", args=[booking.pk]),
                       {"reason": "x"}).status_code == 403
    assert worker.post(reverse("training:booking-evaluate", args=[booking.pk]),
                       {"stage": "before", "confidence": "1", "knowledge": "1"}
                       ).status_code == 403
    booking.refresh_from_db()
    assert booking.state == "confirmed" and not booking.evaluations.exists()
    mine = worker.get(reverse("api:training_my_bookings")).json()
    assert mine == []
    # A learner cannot take the register.
    assert worker.post(reverse("training:session-register", args=[session.pk]),
                       {"attended": [booking.pk]}).status_code == 403


def test_stoke_learners_book_on_staffordshire_s_shared_programme(course, learners, client_for):
    session = _soon(course, 30)
    stoke = client_for("social.worker.stoke")
    listed = stoke.get(reverse("api:training_sessions")).json()
    assert session.pk in [s["id"] for s in listed]
    stoke.post(reverse("training:session-book", args=[session.pk]), {"agree": "on"})
    booking = Booking.objects.get(session=session)
    assert booking.organisation.agency.name.startswith("Stoke-on-Trent City Council")


def test_a_freed_place_is_offered_and_lapses_to_the_next_in_line(course, learners):
    session = _soon(course, 30, capacity=1)
    now = timezone.now()
    first = services.booking_request(actor=learners["social.worker"], session=session, at=now)
    second = services.booking_request(actor=learners["police.officer"], session=session, at=now)
    third = services.booking_request(actor=learners["health.visitor"], session=session, at=now)
    services.booking_cancel(actor=learners["social.worker"], booking=first, at=now)
    second.refresh_from_db()
    assert second.state == "offered"
    later = second.offer_expires_at + dt.timedelta(minutes=1)
    services.offers_refresh(session, at=later)
    second.refresh_from_db()
    third.refresh_from_db()
    assert (second.state, third.state) == ("declined", "offered")
    services.booking_accept_offer(actor=learners["health.visitor"], booking=third, at=later)
    third.refresh_from_db()
    assert third.state == "confirmed"


def test_manager_approval_when_the_partnership_asks_for_it(course, learners, client_for,
                                                          settings, monkeypatch):
    from safeguarding.training import config

    tsab = config._policy("tsab", config.config()["presets"]["tsab"])
    monkeypatch.setattr(config, "policy", lambda partnership: tsab)
    session = _soon(course, 30)
    worker = learners["social.worker"]
    booking = services.booking_request(actor=worker, session=session,
                                       manager_email="manager@example.org")
    assert booking.state == "awaiting_manager"
    [sent] = [m for m in mail.outbox if m.to == ["manager@example.org"]]
    token = services.approval_token(booking)
    assert reverse("training:approve", args=[token]) in sent.body
    manager = client_for("business.staffs")
    assert manager.post(reverse("training:approve", args=["made-up"]),
                        {"decision": "approve"}).status_code == 403
    manager.post(reverse("training:approve", args=[token]), {"decision": "approve"})
    booking.refresh_from_db()
    assert booking.state == "confirmed"
    assert User.objects.get(username="social.worker").training_bookings.count() == 1


def test_correcting_the_register_withdraws_a_no_show_charge(session, learners):
    from tests.training.conftest import at

    booking = services.booking_request(actor=learners["social.worker"], session=session,
                                       at=at("2026-02-01"))
    services.register_record(actor=None, session=session, attended=set(),
                             at=at("2026-03-10", 17))
    assert Charge.objects.filter(booking=booking, reason="no_show").exists()
    services.register_record(actor=None, session=session, attended={booking.pk},
                             at=at("2026-03-10", 18))
    booking.refresh_from_db()
    assert booking.state == "attended" and not Charge.objects.filter(booking=booking).exists()
