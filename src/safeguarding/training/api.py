"""The training API, mounted under ``/training`` on the project API (session with second
factor, or an agency token pinned to one seat). Learners read the open sessions and their
own bookings, book, cancel, accept an offered place and answer their evaluations; the
business unit reads its programme's charges and invoices, waives a charge with a reason,
makes and exports the invoices, and imports e-learning completions.

Every write calls the same service as the page, so the same rules apply: a token acts as
its one seat (a learner on the programmes that seat may book on; the business unit of that
seat's partnership only). Someone else's booking, or another partnership's session, charge
or programme, is refused with 403 and nothing about it in the answer."""

from __future__ import annotations

import datetime as dt

from django.core.exceptions import PermissionDenied
from django.http import HttpResponse
from django.utils import timezone
from ninja import Field, Router, Schema, Status
from ninja.errors import HttpError

from safeguarding.training import importer, selectors, services

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


def _booking(b) -> dict:
    return {"id": b.pk, "session": b.session_id, "course": b.session.course.title,
            "starts_at": b.session.starts_at, "state": b.state,
            "cutoff": services.cutoff_day(b.session)}


def _charge(c) -> dict:
    return {"id": c.pk, "booking": c.booking_id, "organisation": c.organisation.agency.name,
            "reason": c.reason, "amount_pence": c.amount_pence, "raised_on": c.raised_on,
            "status": c.status, "waiver_reason": c.waiver_reason,
            "invoice": c.invoice.number if c.invoice else None}


def _invoice(i) -> dict:
    return {"number": i.number, "period": i.period, "organisation": i.organisation.agency.name,
            "total_pence": i.total_pence}


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
    return [_booking(b) for b in selectors.my_bookings(request.user)]


@router.get("/{partnership}/charges", response=list[ChargeOut], url_name="training_charges")
def charges(request, partnership: int, status: str = ""):
    found = _managed(request, partnership)
    return [_charge(c) for c in selectors.charges(found, status or None)]


@router.get("/{partnership}/invoices", response=list[InvoiceOut], url_name="training_invoices")
def invoices(request, partnership: int, period: str = ""):
    found = _managed(request, partnership)
    return [_invoice(i) for i in selectors.invoices(found, period or None)]


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
    return [_record(x) for x in selectors.learner_record(request.user, timezone.localdate())]


@router.get("/{partnership}/refreshers", response=list[RefresherOut],
            url_name="training_refreshers")
def refreshers(request, partnership: int):
    """The programme's learners whose refresher is due soon or overdue."""
    found = _managed(request, partnership)
    return [{**_record(x), "learner": x.learner.username, "organisation": str(x.organisation)}
            for x in selectors.refreshers_due(found, timezone.localdate())]


# Writes: each calls the page's service ---------------------------------------------------


class BookIn(Schema):
    role: str = Field("", max_length=200)
    manager_email: str = Field("", max_length=254, pattern=r"^$|^[^@\s]+@[^@\s]+\.[^@\s]+$")


class CancelIn(Schema):
    reason: str = Field("", max_length=300)


class EvaluationIn(Schema):
    stage: str
    confidence: int
    knowledge: int
    quality: int | None = Field(None, ge=1, le=5)
    practice_change: str = Field("", max_length=5000)


class EvaluationOut(Schema):
    id: int
    booking: int
    stage: str
    confidence: int
    knowledge: int
    quality: int | None
    answered_on: dt.date


class WaiveIn(Schema):
    reason: str
    note: str = ""


class InvoicesIn(Schema):
    period: str


class CompletionsIn(Schema):
    file_name: str = Field(min_length=1, max_length=200)
    content: str


class ImportOut(Schema):
    file_name: str
    added: int
    unchanged: int


class ProblemOut(Schema):
    file: str
    row: int
    column: str
    rule: str
    message: str


class RefusedOut(Schema):
    detail: str
    problems: list[ProblemOut]


def _my_booking(request, pk: int):
    """The caller's own booking on a programme their seat (a token's one seat) learns on."""
    _learner(request)
    try:
        return selectors.my_booking_on_programme(actor=request.user, pk=pk)
    except PermissionDenied:
        raise HttpError(403, "This is not one of your bookings") from None


@router.post("/sessions/{pk}/book", response={201: BookingOut}, url_name="training_book")
def book(request, pk: int, data: BookIn):
    """Book a place on a session for yourself: confirmed, waiting list, or awaiting your line
    manager's approval when the programme asks for it (``manager_email``)."""
    _learner(request)
    try:
        session = selectors.session_get(actor=request.user, pk=pk)
    except PermissionDenied:
        raise HttpError(403, "You may not book on this session") from None
    booking = services.booking_request(actor=request.user, session=session, role=data.role,
                                       manager_email=data.manager_email)
    return Status(201, _booking(booking))


@router.post("/bookings/{pk}/cancel", response=BookingOut, url_name="training_cancel")
def cancel(request, pk: int, data: CancelIn):
    """Cancel your booking. After the programme's cut-off a confirmed place is a late
    cancellation (state ``late_cancelled``) and your organisation is charged by its rule."""
    booking = services.booking_cancel(actor=request.user, booking=_my_booking(request, pk),
                                      reason=data.reason)
    return _booking(booking)


@router.post("/bookings/{pk}/accept", response=BookingOut, url_name="training_accept")
def accept(request, pk: int):
    """Accept a place offered to you from the waiting list, before the offer lapses."""
    booking = services.booking_accept_offer(actor=request.user,
                                            booking=_my_booking(request, pk))
    return _booking(booking)


@router.post("/bookings/{pk}/evaluations", response={201: EvaluationOut},
             url_name="training_evaluate")
def evaluate(request, pk: int, data: EvaluationIn):
    """Your own ratings (1 to 5) of confidence and knowledge: ``before`` the course, ``after``
    attending it, and at ``follow_up`` in the programme's weeks."""
    found = services.evaluation_record(
        actor=request.user, booking=_my_booking(request, pk), stage=data.stage,
        confidence=data.confidence, knowledge=data.knowledge, quality=data.quality,
        practice_change=data.practice_change)
    return Status(201, {"id": found.pk, "booking": found.booking_id, "stage": found.stage,
                        "confidence": found.confidence, "knowledge": found.knowledge,
                        "quality": found.quality, "answered_on": found.answered_on})


@router.post("/charges/{pk}/waive", response=ChargeOut, url_name="training_waive")
def waive(request, pk: int, data: WaiveIn):
    """Waive a charge not yet invoiced, with a reason (the programme's waiver reasons; a note
    is required for ``other``). The business unit of the charge's partnership only."""
    try:
        charge = selectors.charge_get(actor=request.user, pk=pk)
    except PermissionDenied:
        raise HttpError(403, "You do not run this partnership's training") from None
    services.charge_waive(actor=request.user, charge=charge, reason=data.reason,
                          note=data.note)
    return _charge(selectors.charges(charge.partnership).get(pk=charge.pk))


@router.post("/{partnership}/invoices", response={201: list[InvoiceOut]},
             url_name="training_invoices_make")
def invoices_make(request, partnership: int, data: InvoicesIn):
    """One invoice per organisation for the period (a month 2020-09, a quarter 2020-Q3 or a
    financial year 2020-21) of its charges neither waived nor invoiced. Again: nothing twice."""
    found = _managed(request, partnership)
    made = services.invoices_make(actor=request.user, partnership=found, period=data.period)
    return Status(201, [_invoice(i) for i in made])


@router.get("/{partnership}/invoices.csv", url_name="training_invoices_csv",
            openapi_extra={"responses": {200: {
                "description": "The invoices' lines, one row per charge",
                "content": {"text/csv": {"schema": {"type": "string"}}}}}})
def invoices_csv(request, partnership: int, period: str = ""):
    """The invoices as CSV (the page's export), for a period or all; the export is audited."""
    found = _managed(request, partnership)
    from safeguarding.core.audit import audit_append

    audit_append(actor=request.user, action="export", object_type="training.invoice",
                 object_id=str(found.pk), purpose="export training invoices (API)",
                 detail={"period": period or None})
    response = HttpResponse(selectors.invoices_csv(selectors.invoices(found, period or None)),
                            content_type="text/csv")
    name = f"training-invoices-{found.code}-{period or 'all'}.csv"
    response["Content-Disposition"] = f'attachment; filename="{name}"'
    return response


@router.post("/{partnership}/elearning", response={201: ImportOut, 400: RefusedOut},
             url_name="training_elearning_import")
def elearning_import(request, partnership: int, data: CompletionsIn):
    """Import the e-learning platform's completions: ``content`` is the CSV text of the
    template (learner, organisation, course_code, completed_on). Every row or none; the same
    file again changes nothing. A refused file answers 400 with every problem: file, row
    (the header is row 1), column and rule."""
    found = _managed(request, partnership)
    try:
        record = services.completions_import(actor=request.user, partnership=found,
                                             content=data.content.encode("utf-8"),
                                             file_name=data.file_name)
    except importer.ImportRefused as refused:
        count = len(refused.problems)
        return Status(400, {"detail": f"{data.file_name} was not loaded: {count} "
                                      f"problem{'s' if count != 1 else ''} found",
                            "problems": [{"file": p.file, "row": p.row, "column": p.column,
                                          "rule": p.rule, "message": p.message}
                                         for p in refused.problems]})
    return Status(201, {"file_name": record.file_name, "added": record.added,
                        "unchanged": record.unchanged})
