"""The training API, mounted under ``/training`` on the project API (session with second
factor, or an agency token pinned to one seat). Learners read the open sessions and their
own bookings; the business unit reads its programme's charges and invoices."""

from __future__ import annotations

import datetime as dt

from django.core.exceptions import PermissionDenied
from ninja import Router, Schema
from ninja.errors import HttpError

from safeguarding.training import selectors

router = Router(tags=["training"])


class SessionOut(Schema):
    id: int
    course: str
    format: str
    level: str
    starts_at: dt.datetime
    ends_at: dt.datetime
    capacity: int
    places_held: int


class BookingOut(Schema):
    id: int
    session: int
    course: str
    starts_at: dt.datetime
    state: str
    cutoff: dt.date


class ChargeOut(Schema):
    id: int
    booking: int
    organisation: str
    reason: str
    amount_pence: int
    raised_on: dt.date
    status: str
    waiver_reason: str
    invoice: str | None


class InvoiceOut(Schema):
    number: str
    period: str
    organisation: str
    total_pence: int


def _learner(request) -> None:
    if not request.user.has_perm("training.open"):
        raise HttpError(403, "You do not take part in a training programme")


def _managed(request, partnership: int):
    try:
        return selectors.partnership_get(actor=request.user, pk=partnership)
    except PermissionDenied:
        raise HttpError(403, "You do not run this partnership's training") from None


@router.get("/sessions", response=list[SessionOut], url_name="training_sessions")
def sessions(request):
    """Sessions open for booking on the programmes you may book on."""
    _learner(request)
    return [{"id": s.pk, "course": s.course.title, "format": s.course.format,
             "level": s.course.level, "starts_at": s.starts_at, "ends_at": s.ends_at,
             "capacity": s.capacity, "places_held": s.held}
            for s in selectors.sessions_open(request.user)]


@router.get("/my-bookings", response=list[BookingOut], url_name="training_my_bookings")
def my_bookings(request):
    """Your own bookings, newest session first."""
    _learner(request)
    from safeguarding.training import services

    return [{"id": b.pk, "session": b.session_id, "course": b.session.course.title,
             "starts_at": b.session.starts_at, "state": b.state,
             "cutoff": services.cutoff_day(b.session)}
            for b in selectors.my_bookings(request.user)]


@router.get("/{partnership}/charges", response=list[ChargeOut], url_name="training_charges")
def charges(request, partnership: int, status: str = ""):
    found = _managed(request, partnership)
    return [{"id": c.pk, "booking": c.booking_id, "organisation": c.organisation.agency.name,
             "reason": c.reason, "amount_pence": c.amount_pence, "raised_on": c.raised_on,
             "status": c.status, "waiver_reason": c.waiver_reason,
             "invoice": c.invoice.number if c.invoice else None}
            for c in selectors.charges(found, status or None)]


@router.get("/{partnership}/invoices", response=list[InvoiceOut], url_name="training_invoices")
def invoices(request, partnership: int, period: str = ""):
    found = _managed(request, partnership)
    return [{"number": i.number, "period": i.period, "organisation": i.organisation.agency.name,
             "total_pence": i.total_pence} for i in selectors.invoices(found, period or None)]


class RecordOut(Schema):
    course: str
    title: str
    level: str
    last: dt.date
    how: str
    refresh_by: dt.date | None
    status: str


class RefresherOut(RecordOut):
    learner: str
    organisation: str


def _record(x) -> dict:
    return {"course": x.course.code, "title": x.course.title, "level": x.course.level,
            "last": x.last, "how": x.how, "refresh_by": x.due, "status": x.status}


@router.get("/my-record", response=list[RecordOut], url_name="training_my_record")
def my_record(request):
    """Your courses attended or completed online, and when each needs a refresher."""
    _learner(request)
    from django.utils import timezone

    return [_record(x) for x in selectors.learner_record(request.user, timezone.localdate())]


@router.get("/{partnership}/refreshers", response=list[RefresherOut],
            url_name="training_refreshers")
def refreshers(request, partnership: int):
    """The programme's learners whose refresher is due soon or overdue."""
    found = _managed(request, partnership)
    from django.utils import timezone

    return [{**_record(x), "learner": x.learner.username, "organisation": str(x.organisation)}
            for x in selectors.refreshers_due(found, timezone.localdate())]
