"""Writes for the training programme: courses, sessions, organisations, the booking
lifecycle (request, manager approval, waiting list, offers, cancellation, register),
charges by the partnership's rules, waivers, invoices and evaluations. Every write checks
the actor (``actor=None`` is the command line or the scheduler) and appends an audit row.
The rules come from config.py (data/policies.yaml), never from constants here."""

from __future__ import annotations

import datetime as dt
import hashlib

from django.core import signing
from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.urls import reverse
from django.utils import timezone

from safeguarding.core.audit import audit_object
from safeguarding.core.models import (
    Agency,
    AuditEvent,
    Partnership,
    PartnershipShare,
    SharedFunction,
    User,
)
from safeguarding.core.rules import permission_require, seats
from safeguarding.measures.periods import PeriodError, parse
from safeguarding.training import config, importer, mail
from safeguarding.training.models import (
    ACTIVE,
    HOLDS_PLACE,
    Booking,
    Charge,
    Completion,
    CompletionImport,
    Course,
    Evaluation,
    Invoice,
    Organisation,
    Session,
)

APPROVAL_SALT = "safeguarding.training.manager-approval"
APPROVAL_MAX_AGE = 60 * 60 * 24 * 28


def _now(at: dt.datetime | None) -> dt.datetime:
    return at or timezone.now()


def _day(at: dt.datetime) -> dt.date:
    return timezone.localtime(at).date()


def session_day(session: Session) -> dt.date:
    return timezone.localtime(session.starts_at).date()


# Organisations, courses, sessions -----------------------------------------------

def organisation_for(partnership: Partnership, agency: Agency) -> Organisation:
    """The agency's training account with the partnership, made with its default band."""
    found, _ = Organisation.objects.get_or_create(
        partnership=partnership, agency=agency,
        defaults={"fee_band": config.default_band(agency.kind)})
    return found


def organisation_update(*, actor: User | None, organisation: Organisation, fee_band: str,
                        billing_contact: str = "", billing_email: str = "",
                        purchase_order: str = "") -> Organisation:
    permission_require(actor, "training.manage", organisation)
    if fee_band not in config.codes("fee_bands"):
        raise ValidationError({"fee_band": ["Choose a fee band"]})
    organisation.fee_band, organisation.billing_contact = fee_band, billing_contact
    organisation.billing_email, organisation.purchase_order = billing_email, purchase_order
    organisation.full_clean()
    organisation.save()
    audit_object(actor, AuditEvent.Action.UPDATE, organisation, "change training organisation",
                 {"fee_band": fee_band})
    return organisation


def course_add(*, actor: User | None, partnership: Partnership, code: str, title: str,
               level: str, audience: str, outcomes: str, format: str, length: str = "full_day",
               refresh_months: int | None = None) -> Course:
    permission_require(actor, "training.manage", partnership)
    if level not in config.codes("levels"):
        raise ValidationError({"level": ["Choose a competency level"]})
    if Course.objects.filter(partnership=partnership, code=code).exists():
        raise ValidationError({"code": [f"A course with code {code} already exists"]})
    course = Course(partnership=partnership, code=code, title=title, level=level,
                    audience=audience, outcomes=outcomes, format=format, length=length,
                    refresh_months=refresh_months)
    course.full_clean()
    course.save()
    audit_object(actor, AuditEvent.Action.CREATE, course, "add training course")
    return course


def session_add(*, actor: User | None, course: Course, starts_at: dt.datetime,
                ends_at: dt.datetime, trainers: str, capacity: int, venue: str = "",
                joining_link: str = "") -> Session:
    permission_require(actor, "training.manage", course)
    errors: dict[str, list[str]] = {}
    if ends_at <= starts_at:
        errors["ends_at"] = ["The session must end after it starts"]
    if capacity < 1:
        errors["capacity"] = ["Enter a capacity of 1 or more"]
    if course.format == "in_person" and not venue:
        errors["venue"] = ["Enter the venue of an in-person session"]
    if course.format in ("virtual", "conference") and not joining_link and not venue:
        errors["joining_link"] = ["Enter the joining link of an online session"]
    if errors:
        raise ValidationError(errors)
    session = Session.objects.create(course=course, starts_at=starts_at, ends_at=ends_at,
                                     trainers=trainers, capacity=capacity, venue=venue,
                                     joining_link=joining_link)
    audit_object(actor, AuditEvent.Action.CREATE, session, "add training session")
    return session


# Booking -----------------------------------------------------------------------

def places_held(session: Session) -> int:
    return session.bookings.filter(state__in=HOLDS_PLACE).count()


def _learner_agency(learner: User, partnership: Partnership) -> Agency:
    """The agency the learner books from: their seat in the programme's partnership, else
    in a partnership the programme is shared with."""
    shared = set(PartnershipShare.objects.filter(owner=partnership, function=SharedFunction.TRAINING)
                 .values_list("shared_with_id", flat=True))
    held = sorted(seats(learner), key=lambda s: (s.partnership_id != partnership.pk,
                                                  s.partnership_id, s.agency_id))
    for seat in held:
        if seat.partnership_id == partnership.pk or seat.partnership_id in shared:
            return Agency.objects.get(pk=seat.agency_id)
    raise PermissionDenied


def approval_token(booking: Booking) -> str:
    return signing.dumps({"b": booking.pk}, salt=APPROVAL_SALT)


def _place(booking: Booking, at: dt.datetime) -> None:
    """Confirm the booking if a place is free, else put it on the waiting list."""
    session = Session.objects.select_for_update().get(pk=booking.session_id)
    waiting = session.bookings.filter(state=Booking.State.WAITLISTED).exclude(pk=booking.pk)
    if places_held(session) < session.capacity and not waiting.exists():
        booking.state, booking.confirmed_at = Booking.State.CONFIRMED, at
        _tell_confirmed(booking)
    else:
        booking.state = Booking.State.WAITLISTED
    booking.save()


def booking_request(*, actor: User, session: Session, role: str = "", manager_email: str = "",
                    at: dt.datetime | None = None) -> Booking:
    """A learner books a place for themselves on their own account."""
    at = _now(at)
    permission_require(actor, "training.book", session)
    partnership = session.course.partnership
    policy = config.policy(partnership)
    if session.status != Session.Status.OPEN or session.starts_at <= at:
        raise ValidationError("This session is not open for booking")
    if Booking.objects.filter(learner=actor, session__course=session.course,
                              session__starts_at__gt=at, state__in=ACTIVE).exists():
        raise ValidationError("You already have a place or a request on this course: one "
                              "application per person per course")
    if Booking.objects.filter(learner=actor, session=session).exists():
        raise ValidationError("You have booked this session before")
    if policy.manager_approval and not manager_email:
        raise ValidationError({"manager_email": [
            "Enter your line manager's e-mail address: they approve the booking"]})
    organisation = organisation_for(partnership, _learner_agency(actor, partnership))
    with transaction.atomic():
        booking = Booking(session=session, learner=actor, organisation=organisation, role=role,
                          manager_email=manager_email, requested_at=at,
                          state=Booking.State.AWAITING_MANAGER)
        if policy.manager_approval:
            booking.save()
            link = mail.site_url(reverse("training:approve", args=[approval_token(booking)]))
            mail.send([manager_email], f"Approve a training booking: {session.course.title}",
                      f"{actor} asked to attend {session}. By approving you agree to the "
                      f"partnership's charging policy ({policy.title}). Approve or refuse: "
                      f"{link}")
        else:
            _place(booking, at)
        audit_object(actor, AuditEvent.Action.CREATE, booking, "book training",
                     {"state": booking.state})
    return booking


def booking_manager_decide(*, token: str, approve: bool, at: dt.datetime | None = None
                           ) -> Booking:
    """The line manager approves or refuses through the link e-mailed to them."""
    at = _now(at)
    try:
        data = signing.loads(token, salt=APPROVAL_SALT, max_age=APPROVAL_MAX_AGE)
    except signing.BadSignature as error:
        raise PermissionDenied from error
    with transaction.atomic():
        booking = Booking.objects.select_for_update().get(pk=data["b"])
        if booking.state != Booking.State.AWAITING_MANAGER:
            raise ValidationError("This booking has already been decided")
        if approve:
            _place(booking, at)
        else:
            booking.state = Booking.State.DECLINED
            booking.save()
        audit_object(None, AuditEvent.Action.UPDATE, booking, "manager decision on training booking",
                     {"approved": approve, "by": booking.manager_email})
    return booking


def _tell_confirmed(booking: Booking) -> None:
    session = booking.session
    where = session.venue or session.joining_link
    mail.send([booking.learner.email], f"Your place is confirmed: {session.course.title}",
              f"Your place on {session} is confirmed ({where}). Cancel before the cut-off "
              f"({config.policy(session.course.partnership).cutoff_text()}) to avoid a charge: "
              f"{mail.site_url(reverse('training:my-bookings'))}")


def cutoff_day(session: Session) -> dt.date:
    return config.policy(session.course.partnership).cutoff_day(session_day(session))


def is_late(booking: Booking, at: dt.datetime) -> bool:
    return _day(at) > cutoff_day(booking.session)


def booking_cancel(*, actor: User | None, booking: Booking, reason: str = "",
                   at: dt.datetime | None = None) -> Booking:
    """The learner (or the business unit for them) cancels. After the cut-off a confirmed
    place is a late cancellation and the organisation is charged by the partnership's rule."""
    at = _now(at)
    if actor is not None and actor.pk != booking.learner_id:
        permission_require(actor, "training.manage", booking.session.course)
    if booking.state not in ACTIVE or booking.state in (Booking.State.ATTENDED,
                                                        Booking.State.NO_SHOW):
        raise ValidationError("This booking cannot be cancelled")
    if booking.session.starts_at <= at:
        raise ValidationError("The session has started: the register records who attended")
    with transaction.atomic():
        late = booking.state == Booking.State.CONFIRMED and is_late(booking, at)
        booking.state = Booking.State.LATE_CANCELLED if late else Booking.State.CANCELLED
        booking.cancelled_at, booking.cancelled_by, booking.cancel_reason = at, actor, reason
        booking.save()
        audit_object(actor, AuditEvent.Action.UPDATE, booking, "cancel training booking",
                     {"late": late})
        if late:
            _charge(booking, Charge.Reason.LATE_CANCELLATION, _day(at))
        offers_refresh(booking.session, at=at)
    return booking


def offers_refresh(session: Session, *, at: dt.datetime | None = None) -> int:
    """Lapse offers not accepted in time, then offer each free place to the next on the
    waiting list (first come, first served), held for the partnership's hours."""
    at = _now(at)
    hold = dt.timedelta(hours=config.policy(session.course.partnership).offer_hold_hours)
    offered = 0
    with transaction.atomic():
        session = Session.objects.select_for_update().get(pk=session.pk)
        for lapsed in session.bookings.filter(state=Booking.State.OFFERED,
                                              offer_expires_at__lte=at):
            lapsed.state = Booking.State.DECLINED
            lapsed.save()
            audit_object(None, AuditEvent.Action.UPDATE, lapsed, "training offer lapsed")
        if session.starts_at <= at or session.status != Session.Status.OPEN:
            return 0
        free = session.capacity - places_held(session)
        for booking in session.bookings.filter(state=Booking.State.WAITLISTED)[:max(free, 0)]:
            booking.state, booking.offer_expires_at = Booking.State.OFFERED, min(
                at + hold, session.starts_at)
            booking.save()
            offered += 1
            audit_object(None, AuditEvent.Action.UPDATE, booking, "training place offered")
            mail.send([booking.learner.email], f"A place is free: {session.course.title}",
                      f"A place on {session} is yours if you accept it by "
                      f"{timezone.localtime(booking.offer_expires_at):%d %B %Y %H:%M}: "
                      f"{mail.site_url(reverse('training:my-bookings'))}")
    return offered


def booking_accept_offer(*, actor: User, booking: Booking, at: dt.datetime | None = None
                         ) -> Booking:
    at = _now(at)
    if actor.pk != booking.learner_id:
        raise PermissionDenied
    if booking.state != Booking.State.OFFERED:
        raise ValidationError("There is no offer to accept on this booking")
    if booking.offer_expires_at is not None and booking.offer_expires_at <= at:
        offers_refresh(booking.session, at=at)
        raise ValidationError("The offer has lapsed: the place went to the next on the list")
    booking.state, booking.confirmed_at = Booking.State.CONFIRMED, at
    booking.save()
    audit_object(actor, AuditEvent.Action.UPDATE, booking, "accept training place")
    _tell_confirmed(booking)
    return booking


def register_record(*, actor: User | None, session: Session, attended: set[int],
                    at: dt.datetime | None = None) -> dict[str, int]:
    """The session's register: every confirmed place is marked attended or did not attend;
    a no-show is charged by the partnership's rule. The register may be corrected: a
    no-show's charge not yet waived or invoiced is withdrawn when they are marked attended.
    The session becomes delivered."""
    at = _now(at)
    permission_require(actor, "training.manage", session.course)
    if session.starts_at > at:
        raise ValidationError("The register is taken once the session has started")
    counts = {"attended": 0, "no_show": 0}
    with transaction.atomic():
        for booking in session.bookings.filter(state__in=[Booking.State.CONFIRMED,
                                                          Booking.State.ATTENDED,
                                                          Booking.State.NO_SHOW]):
            came = booking.pk in attended
            booking.state = Booking.State.ATTENDED if came else Booking.State.NO_SHOW
            booking.registered_at = at
            booking.save()
            counts["attended" if came else "no_show"] += 1
            charge = Charge.objects.filter(booking=booking).first()
            if not came and charge is None:
                _charge(booking, Charge.Reason.NO_SHOW, session_day(session))
            elif came and charge is not None and charge.reason == Charge.Reason.NO_SHOW:
                if charge.status != Charge.Status.RAISED:
                    raise ValidationError(f"{booking.learner}'s no-show charge is already "
                                          f"{charge.get_status_display().lower()}: it stands")
                audit_object(actor, AuditEvent.Action.UPDATE, charge,
                             "training charge withdrawn: the register was corrected")
                charge.delete()
        session.status = Session.Status.DELIVERED
        session.save()
        audit_object(actor, AuditEvent.Action.UPDATE, session, "training register", counts)
    return counts


# Charges and invoices ----------------------------------------------------------

def _charge(booking: Booking, reason: str, on: dt.date) -> Charge | None:
    course = booking.session.course
    policy = config.policy(course.partnership)
    amount = policy.charge_for(reason, booking.organisation.fee_band, course.length)
    if amount <= 0:
        return None
    charge = Charge.objects.create(
        booking=booking, partnership=course.partnership, organisation=booking.organisation,
        reason=reason, amount_pence=amount, raised_on=on,
        rule=f"{policy.key}: {policy.title} ({policy.source})"[:300])
    audit_object(None, AuditEvent.Action.CREATE, charge, "training charge raised",
                 {"reason": reason, "amount_pence": amount})
    return charge


def charge_waive(*, actor: User | None, charge: Charge, reason: str, note: str = "",
                 on: dt.date | None = None) -> Charge:
    """The business unit waives a charge, with a reason (policies.yaml waiver_reasons)."""
    permission_require(actor, "training.manage", charge)
    if reason not in config.codes("waiver_reasons"):
        raise ValidationError({"reason": ["Choose the reason for the waiver"]})
    if reason == "other" and not note.strip():
        raise ValidationError({"note": ["Give the reason for the waiver"]})
    if charge.status != Charge.Status.RAISED:
        raise ValidationError("Only a charge not yet invoiced can be waived")
    charge.status, charge.waived_on = Charge.Status.WAIVED, on or timezone.localdate()
    charge.waived_by, charge.waiver_reason, charge.waiver_note = actor, reason, note.strip()
    charge.save()
    audit_object(actor, AuditEvent.Action.UPDATE, charge, "training charge waived", {"reason": reason})
    return charge


def invoices_make(*, actor: User | None, partnership: Partnership, period: str
                  ) -> list[Invoice]:
    """One invoice per organisation for the period: its charges raised in the period and
    neither waived nor invoiced. Running it again adds nothing twice."""
    permission_require(actor, "training.manage", partnership)
    try:
        span = parse(period)
    except PeriodError as error:
        raise ValidationError({"period": [str(error)]}) from error
    made = []
    with transaction.atomic():
        open_charges = Charge.objects.filter(partnership=partnership, status=Charge.Status.RAISED,
                                             raised_on__gte=span.start, raised_on__lte=span.end)
        for org_id in sorted(set(open_charges.values_list("organisation_id", flat=True))):
            organisation = Organisation.objects.get(pk=org_id)
            if Invoice.objects.filter(organisation=organisation, period=span.label).exists():
                raise ValidationError({"period": [
                    f"{organisation} already has an invoice for {span.label}"]})
            mine = open_charges.filter(organisation=organisation)
            invoice = Invoice.objects.create(
                partnership=partnership, organisation=organisation, period=span.label,
                number=f"{partnership.code}-TR-{span.label}-{organisation.pk:04d}",
                total_pence=sum(c.amount_pence for c in mine), created_by=actor)
            mine.update(status=Charge.Status.INVOICED, invoice=invoice)
            audit_object(actor, AuditEvent.Action.CREATE, invoice, "training invoice",
                         {"total_pence": invoice.total_pence})
            made.append(invoice)
    return made


# Evaluations -------------------------------------------------------------------

def evaluation_record(*, actor: User, booking: Booking, stage: str, confidence: int,
                      knowledge: int, quality: int | None = None, practice_change: str = "",
                      on: dt.date | None = None) -> Evaluation:
    """A learner rates their own confidence and knowledge (1 to 5): before the session,
    after attending it, and at follow-up within the partnership's weeks."""
    on = on or timezone.localdate()
    if actor.pk != booking.learner_id:
        raise PermissionDenied
    day = session_day(booking.session)
    policy = config.policy(booking.session.course.partnership)
    errors: dict[str, list[str]] = {}
    for name, value in (("confidence", confidence), ("knowledge", knowledge)):
        if not 1 <= int(value) <= 5:
            errors[name] = ["Choose a rating from 1 to 5"]
    if stage == Evaluation.Stage.BEFORE:
        if booking.state not in (Booking.State.CONFIRMED, Booking.State.ATTENDED) or on > day:
            errors["stage"] = ["Rate yourself before the course on a confirmed place"]
    elif booking.state != Booking.State.ATTENDED:
        errors["stage"] = ["Only those who attended can evaluate the course"]
    elif stage == Evaluation.Stage.FOLLOW_UP:
        earliest = day + dt.timedelta(weeks=policy.follow_up_from_weeks)
        latest = day + dt.timedelta(weeks=policy.follow_up_to_weeks)
        if not earliest <= on <= latest:
            errors["stage"] = [f"The follow-up is answered {policy.follow_up_from_weeks} to "
                               f"{policy.follow_up_to_weeks} weeks after the course "
                               f"({earliest:%-d %B} to {latest:%-d %B %Y})"]
    elif stage != Evaluation.Stage.AFTER:
        errors["stage"] = ["Choose before, after or follow-up"]
    if booking.evaluations.filter(stage=stage).exists():
        errors["stage"] = ["You have answered this evaluation already"]
    if errors:
        raise ValidationError(errors)
    found = Evaluation.objects.create(booking=booking, stage=stage, confidence=confidence,
                                      knowledge=knowledge, quality=quality,
                                      practice_change=practice_change, answered_on=on)
    audit_object(actor, AuditEvent.Action.CREATE, found, "training evaluation", {"stage": stage})
    return found


# E-learning completions (CSV, data/elearning_template.yaml) ------------------------

def _training_agencies(partnership: Partnership) -> dict[str, Agency]:
    """The agencies whose people may be on the programme, by name (lower case): the
    partnership's own and those of partnerships it shares training with."""
    shared = set(PartnershipShare.objects.filter(owner=partnership,
                                                 function=SharedFunction.TRAINING)
                 .values_list("shared_with_id", flat=True))
    found = Agency.objects.filter(partnerships__in={partnership.pk, *shared}).distinct()
    return {a.name.lower(): a for a in found}


def completions_import(*, actor: User | None, partnership: Partnership, content: bytes,
                       file_name: str) -> CompletionImport:
    """Load e-learning completions: every row or none; the same file again changes nothing,
    a completion already held (learner, course, day) is counted as unchanged.

    Raises ``importer.ImportRefused`` with every problem (file, row, column, rule)."""
    permission_require(actor, "training.manage", partnership)
    from safeguarding.training.rules import learner_partnerships

    sha = hashlib.sha256(content).hexdigest()
    done = CompletionImport.objects.filter(partnership=partnership, sha256=sha).first()
    if done is not None:
        return done
    rows = importer.read(content, file_name=file_name, today=timezone.localdate())
    courses = {c.code.upper(): c for c in Course.objects.filter(partnership=partnership)}
    agencies = _training_agencies(partnership)
    problems: list[importer.Problem] = []
    matched = []
    for row in rows:
        values = row.values
        who = values["learner"]
        learner = (User.objects.filter(is_active=True, email__iexact=who).first() if "@" in who
                   else User.objects.filter(is_active=True, username=who).first())
        if learner is None:
            problems.append(importer.Problem(file_name, row.number, "learner", "known_learner",
                                             f"no one with an account is '{who}'"))
        elif partnership.pk not in learner_partnerships(learner):
            problems.append(importer.Problem(
                file_name, row.number, "learner", "learner_programme",
                f"'{who}' holds no seat in {partnership.code} or a partnership it trains"))
        course = courses.get(values["course_code"].upper())
        if course is None:
            problems.append(importer.Problem(
                file_name, row.number, "course_code", "known_course",
                f"'{values['course_code']}' is not a course of {partnership.code}"))
        agency = agencies.get(values["organisation"].lower())
        if agency is None:
            problems.append(importer.Problem(
                file_name, row.number, "organisation", "known_organisation",
                f"'{values['organisation']}' is not an agency of {partnership.code}"))
        matched.append((learner, course, agency, values["completed_on"]))
    if problems:
        raise importer.ImportRefused(problems[:importer.MAX_PROBLEMS])
    with transaction.atomic():
        record = CompletionImport.objects.create(partnership=partnership, file_name=file_name,
                                                 sha256=sha, imported_by=actor)
        for learner, course, agency, day in matched:
            assert agency is not None  # every row matched, or refused above
            _made, created = Completion.objects.get_or_create(
                course=course, learner=learner, completed_on=day,
                defaults={"organisation": organisation_for(partnership, agency),
                          "source": record})
            if created:
                record.added += 1
            else:
                record.unchanged += 1
        record.save()
        audit_object(actor, AuditEvent.Action.CREATE, record, "import e-learning completions",
                     {"added": record.added, "unchanged": record.unchanged})
    return record
