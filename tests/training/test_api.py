"""The training API's writes, end to end with agency tokens and as an attacker: a learner's
token books, cancels late and is charged by the rule; the business unit's token waives with
a reason, makes and exports the invoices and imports e-learning completions; other learners,
another partnership's business unit and another seat's token are refused (403) and told
nothing about the record."""

from __future__ import annotations

import datetime as dt
import json

import pytest
from django.test import Client
from django.urls import reverse
from django.utils import timezone

from safeguarding.core import services as core_services
from safeguarding.core.models import Agency, AuditEvent, Partnership, User
from safeguarding.core.roles import Role
from safeguarding.training import services
from safeguarding.training.models import Booking, Charge, Completion


@pytest.fixture
def demo_world(module_demo_world, db):
    """One demo build for this module (tests/conftest.py); each test is rolled back."""
    return module_demo_world


def _soon(course, days: int, capacity: int = 5):
    start = timezone.now() + dt.timedelta(days=days)
    return services.session_add(actor=None, course=course, starts_at=start,
                                ends_at=start + dt.timedelta(hours=3), trainers="T",
                                capacity=capacity, joining_link="https://meet.example.org/x")


def _token(username: str, partnership: str | None = None) -> dict:
    user = User.objects.get(username=username)
    seats = user.memberships.all()
    membership = seats.get(partnership__code=partnership) if partnership else seats.get()
    raw = core_services.api_token_issue(actor=None, name=f"{username} system",
                                        membership=membership)[1]
    return {"HTTP_AUTHORIZATION": f"Bearer {raw}"}


def _post(url: str, body: dict, headers: dict):
    return Client().post(url, data=json.dumps(body), content_type="application/json", **headers)


def test_a_token_books_cancels_late_and_the_business_unit_waives_and_exports(
        course, learners, staffs):
    session = _soon(course, 1)  # tomorrow: past the 3-working-day cut-off
    worker = _token("social.worker")
    booked = _post(reverse("api:training_book", args=[session.pk]), {"role": "Social worker"},
                   worker)
    assert booked.status_code == 201
    assert booked.json()["state"] == "confirmed"
    again = _post(reverse("api:training_book", args=[session.pk]), {}, worker)
    assert again.status_code == 422 and "one application per person" in again.content.decode()

    cancelled = _post(reverse("api:training_cancel", args=[booked.json()["id"]]),
                      {"reason": "Court"}, worker)
    assert cancelled.status_code == 200 and cancelled.json()["state"] == "late_cancelled"
    charge = Charge.objects.get(booking_id=booked.json()["id"])
    assert (charge.reason, charge.amount_pence, charge.status) == (
        "late_cancellation", 5000, "raised")

    # Neither the learner nor Stoke's business unit may waive Staffordshire's charge.
    for headers in (worker, _token("business.stoke")):
        refused = _post(reverse("api:training_waive", args=[charge.pk]),
                        {"reason": "illness"}, headers)
        assert refused.status_code == 403
        assert "Court" not in refused.content.decode()
    business = _token("business.staffs")
    unexplained = _post(reverse("api:training_waive", args=[charge.pk]), {"reason": "other"},
                        business)
    assert unexplained.status_code == 422 and "note" in unexplained.json()["errors"]
    waived = _post(reverse("api:training_waive", args=[charge.pk]),
                   {"reason": "illness", "note": "GP letter"}, business)
    assert waived.status_code == 200
    assert (waived.json()["status"], waived.json()["waiver_reason"]) == ("waived", "illness")
    charge.refresh_from_db()
    assert charge.status == "waived" and charge.waiver_note == "GP letter"

    # A second late cancellation is invoiced; the CSV export is the business unit's only.
    other = _soon(course, 2)
    officer = _token("police.officer")
    second = _post(reverse("api:training_book", args=[other.pk]), {}, officer).json()
    _post(reverse("api:training_cancel", args=[second["id"]]), {}, officer)
    period = f"{timezone.localdate():%Y-%m}"
    made = _post(reverse("api:training_invoices_make", args=[staffs.pk]), {"period": period},
                 business)
    assert made.status_code == 201
    [invoice] = made.json()
    assert invoice["total_pence"] == 5000 and invoice["organisation"] == "Staffordshire Police"
    assert _post(reverse("api:training_invoices_make", args=[staffs.pk]), {"period": period},
                 business).json() == []  # nothing twice
    exported = Client().get(reverse("api:training_invoices_csv", args=[staffs.pk]),
                            {"period": period}, **business)
    assert exported.status_code == 200 and exported["Content-Type"] == "text/csv"
    lines = exported.content.decode().splitlines()
    assert lines[0].startswith("invoice_number,period,organisation") and len(lines) == 2
    assert invoice["number"] in lines[1]
    assert AuditEvent.objects.filter(action="export", object_type="training.invoice",
                                     actor__username="business.staffs").exists()
    for headers in (worker, _token("business.stoke")):
        assert Client().get(reverse("api:training_invoices_csv", args=[staffs.pk]),
                            **headers).status_code == 403
        assert _post(reverse("api:training_invoices_make", args=[staffs.pk]),
                     {"period": period}, headers).status_code == 403


def test_someone_else_s_booking_is_refused_and_unchanged(course, learners):
    session = _soon(course, 30)
    booking = services.booking_request(actor=learners["police.officer"], session=session)
    worker = _token("social.worker")
    for name, body in (("api:training_cancel", {"reason": "x"}), ("api:training_accept", {}),
                       ("api:training_evaluate",
                        {"stage": "before", "confidence": 1, "knowledge": 1})):
        refused = _post(reverse(name, args=[booking.pk]), body, worker)
        assert refused.status_code == 403, name
        assert session.course.title not in refused.content.decode()
    booking.refresh_from_db()
    assert booking.state == "confirmed" and not booking.evaluations.exists()
    # A booking that does not exist is refused the same way: nothing to tell them apart.
    assert _post(reverse("api:training_cancel", args=[booking.pk + 1000]), {},
                 worker).status_code == 403


def test_learners_evaluate_their_own_booking_once(course, learners):
    session = _soon(course, 30)
    worker = _token("social.worker")
    booking = _post(reverse("api:training_book", args=[session.pk]), {}, worker).json()
    url = reverse("api:training_evaluate", args=[booking["id"]])
    bad = _post(url, {"stage": "before", "confidence": 9, "knowledge": 3}, worker)
    assert bad.status_code == 422 and "confidence" in bad.json()["errors"]
    too_soon = _post(url, {"stage": "after", "confidence": 4, "knowledge": 4}, worker)
    assert too_soon.status_code == 422 and "Only those who attended" in too_soon.content.decode()
    done = _post(url, {"stage": "before", "confidence": 2, "knowledge": 3}, worker)
    assert done.status_code == 201
    assert (done.json()["stage"], done.json()["confidence"]) == ("before", 2)
    assert _post(url, {"stage": "before", "confidence": 2, "knowledge": 3},
                 worker).status_code == 422


def test_a_token_acts_as_its_one_seat(course, learners, staffs):
    """One person, two seats: Staffordshire's business unit and a Stoke practitioner. Each
    seat's token does what that seat may do, never what the other seat may."""
    person = core_services.user_add(actor=None, username="two.seats", first_name="Two",
                                    last_name="Seats", email="two.seats@example.org")
    stoke = Partnership.objects.get(code="STOKE")
    for partnership, agency, role in (
            (staffs, "Staffordshire County Council Children's Services", Role.BUSINESS_UNIT),
            (stoke, "Stoke-on-Trent City Council Children's Services", Role.PRACTITIONER)):
        core_services.membership_add(actor=None, user=person, partnership=partnership,
                                     agency=Agency.objects.get(name=agency), role=role)
    as_business, as_stoke = _token("two.seats", "STAFFS"), _token("two.seats", "STOKE")
    session = _soon(course, 1)
    booking = services.booking_request(actor=learners["social.worker"], session=session)
    services.booking_cancel(actor=learners["social.worker"], booking=booking)
    charge = Charge.objects.get(booking=booking)
    assert _post(reverse("api:training_waive", args=[charge.pk]), {"reason": "illness"},
                 as_stoke).status_code == 403
    assert Client().get(reverse("api:training_charges", args=[staffs.pk]),
                        **as_stoke).status_code == 403
    assert _post(reverse("api:training_waive", args=[charge.pk]), {"reason": "illness"},
                 as_business).status_code == 200

    # Booking with the Stoke seat's token: the place is the Stoke agency's, charged to it.
    later = _soon(course, 1)
    booked = _post(reverse("api:training_book", args=[later.pk]), {}, as_stoke).json()
    assert Booking.objects.get(pk=booked["id"]).organisation.agency.name.startswith(
        "Stoke-on-Trent City Council")


def test_e_learning_completions_import_whole_or_not_at_all(course, learners, staffs):
    url = reverse("api:training_elearning_import", args=[staffs.pk])
    business = _token("business.staffs")
    header = "learner,organisation,course_code,completed_on\n"
    good = header + ("social.worker,Staffordshire County Council Children's Services,CE1,"
                     "2021-01-12\n")
    bad = good + "nobody.here,Nowhere,XX9,2099-01-01\n"
    refused = _post(url, {"file_name": "platform.csv", "content": bad}, business)
    assert refused.status_code == 400
    problems = refused.json()["problems"]
    assert {(p["file"], p["row"]) for p in problems} == {("platform.csv", 3)}
    assert {p["column"] for p in problems} >= {"completed_on"}
    assert all(p["rule"] and p["message"] for p in problems)
    assert not Completion.objects.exists()

    loaded = _post(url, {"file_name": "platform.csv", "content": good}, business)
    assert loaded.status_code == 201
    assert (loaded.json()["added"], loaded.json()["unchanged"]) == (1, 0)
    again = _post(url, {"file_name": "platform.csv", "content": good}, business)
    assert again.status_code == 201 and Completion.objects.count() == 1

    for headers in (_token("social.worker"), _token("business.stoke")):
        assert _post(url, {"file_name": "x.csv", "content": good}, headers).status_code == 403
