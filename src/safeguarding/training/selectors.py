"""Reads for the training programme. A learner reads their own bookings only; the
business unit reads its programme's bookings, charges and invoices (rules.py). The frames
for the measures are pseudonymous: a booking or session number, never a person."""

from __future__ import annotations

import csv
import datetime as dt
import io
from collections.abc import Iterable
from dataclasses import dataclass
from statistics import mean

from django.core.exceptions import PermissionDenied
from django.db.models import Count, Q, QuerySet
from django.utils import timezone

from safeguarding.core.calendar import add_months
from safeguarding.core.models import LocalAuthority, Partnership, User
from safeguarding.core.selectors import home_las
from safeguarding.measures.periods import financial_year_of
from safeguarding.training.models import (
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
from safeguarding.training.rules import learner_partnerships, managed_partnerships


def programmes_for(actor: User) -> QuerySet[Partnership]:
    return Partnership.objects.filter(pk__in=learner_partnerships(actor) |
                                      managed_partnerships(actor)).order_by("name")


def managed_for(actor: User) -> QuerySet[Partnership]:
    return Partnership.objects.filter(pk__in=managed_partnerships(actor)).order_by("name")


def sessions_open(actor: User, *, at: dt.datetime | None = None) -> QuerySet[Session]:
    at = at or timezone.now()
    return (Session.objects.filter(course__partnership__in=learner_partnerships(actor),
                                   status=Session.Status.OPEN, starts_at__gt=at)
            .select_related("course__partnership")
            .annotate(held=Count("bookings", filter=Q(bookings__state__in=HOLDS_PLACE))))


def session_get(*, actor: User, pk: int, manage: bool = False) -> Session:
    allowed = managed_partnerships(actor) if manage else (learner_partnerships(actor) |
                                                          managed_partnerships(actor))
    found = (Session.objects.select_related("course__partnership")
             .filter(pk=pk, course__partnership__in=allowed).first())
    if found is None:
        raise PermissionDenied
    return found


def my_bookings(actor: User) -> QuerySet[Booking]:
    return (Booking.objects.filter(learner=actor)
            .select_related("session__course__partnership", "charge")
            .prefetch_related("evaluations").order_by("-session__starts_at"))


def my_booking_get(*, actor: User, pk: int) -> Booking:
    found = my_bookings(actor).filter(pk=pk).first()
    if found is None:
        raise PermissionDenied
    return found


def my_booking_on_programme(*, actor: User, pk: int) -> Booking:
    """One of the actor's own bookings, on a programme the actor's seats may book on: for a
    request made with an API token, the token's one seat (core.rules.seats)."""
    found = my_bookings(actor).filter(
        pk=pk, session__course__partnership__in=learner_partnerships(actor)).first()
    if found is None:
        raise PermissionDenied
    return found


def sessions_managed(actor: User, partnership: Partnership | None = None) -> QuerySet[Session]:
    found = Session.objects.filter(course__partnership__in=managed_partnerships(actor))
    if partnership is not None:
        found = found.filter(course__partnership=partnership)
    return (found.select_related("course")
            .annotate(held=Count("bookings", filter=Q(bookings__state__in=HOLDS_PLACE)),
                      waiting=Count("bookings", filter=Q(bookings__state="waitlisted")))
            .order_by("-starts_at"))


def partnership_get(*, actor: User, pk: int) -> Partnership:
    found = managed_for(actor).filter(pk=pk).first()
    if found is None:
        raise PermissionDenied
    return found


def courses(partnership: Partnership) -> QuerySet[Course]:
    return Course.objects.filter(partnership=partnership)


def organisations(partnership: Partnership) -> QuerySet[Organisation]:
    return Organisation.objects.filter(partnership=partnership).select_related("agency")


def organisation_get(*, actor: User, pk: int) -> Organisation:
    found = Organisation.objects.filter(pk=pk, partnership__in=managed_partnerships(actor)
                                        ).select_related("agency", "partnership").first()
    if found is None:
        raise PermissionDenied
    return found


def charges(partnership: Partnership, status: str | None = None) -> QuerySet[Charge]:
    found = Charge.objects.filter(partnership=partnership).select_related(
        "organisation__agency", "booking__session__course", "booking__learner", "invoice")
    return found.filter(status=status) if status else found


def charge_get(*, actor: User, pk: int) -> Charge:
    found = Charge.objects.filter(pk=pk, partnership__in=managed_partnerships(actor)).first()
    if found is None:
        raise PermissionDenied
    return found


def invoices(partnership: Partnership, period: str | None = None) -> QuerySet[Invoice]:
    found = Invoice.objects.filter(partnership=partnership).select_related("organisation__agency")
    return found.filter(period=period) if period else found


INVOICE_COLUMNS = ("invoice_number", "period", "organisation", "fee_band", "billing_contact",
                   "billing_email", "purchase_order", "booking", "course", "session_date",
                   "reason", "rule", "amount_gbp")


def invoices_csv(found: Iterable[Invoice]) -> str:
    """One line per charge on each invoice, with the organisation's billing details."""
    out = io.StringIO()
    writer = csv.writer(out, lineterminator="\n")
    writer.writerow(INVOICE_COLUMNS)
    for invoice in found:
        org = invoice.organisation
        for charge in invoice.charges.select_related("booking__session__course").order_by("pk"):
            session = charge.booking.session
            writer.writerow([invoice.number, invoice.period, org.agency.name,
                             org.get_fee_band_display(), org.billing_contact, org.billing_email,
                             org.purchase_order, charge.booking_id, session.course.title,
                             timezone.localtime(session.starts_at).date().isoformat(),
                             charge.get_reason_display(), charge.rule,
                             f"{charge.amount_pence / 100:.2f}"])
    return out.getvalue()


def paired_change(partnership: Partnership, first: str = Evaluation.Stage.BEFORE,
                  then: str = Evaluation.Stage.AFTER) -> dict:
    """Learners who answered both stages: how many, and the mean change in confidence and
    knowledge (each learner's own difference, not a difference of averages)."""
    pairs: dict[int, dict[str, Evaluation]] = {}
    for ev in Evaluation.objects.filter(booking__session__course__partnership=partnership,
                                        stage__in=[first, then]):
        pairs.setdefault(ev.booking_id, {})[ev.stage] = ev
    matched = [p for p in pairs.values() if first in p and then in p]
    if not matched:
        return {"learners": 0, "confidence": None, "knowledge": None}
    return {"learners": len(matched),
            "confidence": round(mean(p[then].confidence - p[first].confidence
                                     for p in matched), 2),
            "knowledge": round(mean(p[then].knowledge - p[first].knowledge for p in matched), 2)}


# Frames for the measures (contract.py) ---------------------------------------------


def session_rows(las: list[str], where: Q | None = None) -> list[tuple]:
    hosts = home_las(las)
    found = Session.objects.filter(course__partnership__in=list(hosts))
    if where is not None:
        found = found.filter(where)
    return [(hosts[p], f"s{pk}", timezone.localtime(at).date())
            for pk, p, at in found.values_list("pk", "course__partnership", "starts_at")
            .order_by("pk")]


def booking_rows(las: list[str], where: Q | None = None) -> list[tuple]:
    hosts = home_las(las)
    found = Booking.objects.filter(session__course__partnership__in=list(hosts))
    if where is not None:
        found = found.filter(where)
    return [(hosts[p], f"b{pk}", timezone.localtime(at).date())
            for pk, p, at in found.values_list("pk", "session__course__partnership",
                                               "session__starts_at").order_by("pk")]


def charge_rows(las: list[str], *, waived: bool = False) -> list[tuple]:
    hosts = home_las(las)
    found = Charge.objects.filter(partnership__in=list(hosts))
    if waived:
        found = found.filter(status=Charge.Status.WAIVED)
    column = "waived_on" if waived else "raised_on"
    return [(hosts[p], f"c{pk}", day) for pk, p, day in
            found.values_list("pk", "partnership", column).order_by("pk")]


def evaluation_rows(las: list[str], *, improved: str | None = None,
                    then: str = Evaluation.Stage.AFTER) -> list[tuple]:
    """One row per learner with a before and a later rating (dated by the later one);
    with ``improved`` ("confidence" or "knowledge"), only those whose rating rose."""
    hosts = home_las(las)
    pairs: dict[int, dict[str, Evaluation]] = {}
    for ev in (Evaluation.objects.filter(booking__session__course__partnership__in=list(hosts),
                                         stage__in=[Evaluation.Stage.BEFORE, then])
               .select_related("booking__session__course")):
        pairs.setdefault(ev.booking_id, {})[ev.stage] = ev
    rows = []
    for booking_id, pair in sorted(pairs.items()):
        if Evaluation.Stage.BEFORE not in pair or then not in pair:
            continue
        before, later = pair[Evaluation.Stage.BEFORE], pair[then]
        if improved and getattr(later, improved) <= getattr(before, improved):
            continue
        rows.append((hosts[later.booking.session.course.partnership_id], f"b{booking_id}",
                     later.answered_on))
    return rows


def completion_rows(las: list[str]) -> list[tuple]:
    """One row per e-learning completion, dated the day completed."""
    hosts = home_las(las)
    found = Completion.objects.filter(course__partnership__in=list(hosts))
    return [(hosts[p], f"e{pk}", day) for pk, p, day in
            found.values_list("pk", "course__partnership", "completed_on").order_by("pk")]


def completion_imports(partnership: Partnership) -> QuerySet[CompletionImport]:
    return CompletionImport.objects.filter(partnership=partnership).select_related(
        "imported_by")


def coverage_spans(las: list[str]) -> list[tuple[str, dt.date, dt.date]]:
    """A programme covers every LA of its partnership from the start of the financial year
    of its first session (a month with no session is a true zero: the seed's programme was
    suspended from April 2020) to the end of the month of its latest session."""
    spans = []
    for pid in set(LocalAuthority.objects.filter(old_code__in=las)
                   .values_list("partnership_id", flat=True)):
        times = Session.objects.filter(course__partnership_id=pid).order_by("starts_at") \
            .values_list("starts_at", flat=True)
        first, last = times.first(), times.last()
        if first is None or last is None:
            continue
        start = financial_year_of(timezone.localtime(first).date()).start
        end = timezone.localtime(last).date()
        end = (end.replace(day=28) + dt.timedelta(days=4)).replace(day=1) - dt.timedelta(days=1)
        spans += [(code, start, end) for code in LocalAuthority.objects.filter(
            partnership_id=pid, old_code__in=las).values_list("old_code", flat=True)]
    return spans


# The learner record: refreshers and coverage ------------------------------------------


@dataclass(frozen=True)
class Learned:
    """A learner's latest attendance or completion of a course, and when to refresh it."""

    learner: User
    course: Course
    organisation: Organisation
    last: dt.date
    how: str  # "attended" or "completed"
    due: dt.date | None
    status: str  # "overdue", "due", "in_date" or "no_refresh"


def _events(bookings: QuerySet[Booking], completions: QuerySet[Completion]):
    for b in bookings.filter(state=Booking.State.ATTENDED).select_related(
            "session__course", "learner", "organisation__agency"):
        yield (b.learner, b.session.course, b.organisation,
               timezone.localtime(b.session.starts_at).date(), "attended")
    for c in completions.select_related("course", "learner", "organisation__agency"):
        yield c.learner, c.course, c.organisation, c.completed_on, "completed"


def _learned(bookings, completions, today: dt.date) -> list[Learned]:
    from safeguarding.training import config

    latest: dict[tuple[int, int], tuple] = {}
    for event in _events(bookings, completions):
        key = (event[0].pk, event[1].pk)
        if key not in latest or event[3] > latest[key][3]:
            latest[key] = event
    window = dt.timedelta(days=config.refresher_window_days())
    found = []
    for learner, course, organisation, last, how in latest.values():
        due = add_months(last, course.refresh_months) if course.refresh_months else None
        status = ("no_refresh" if due is None else "overdue" if due < today
                  else "due" if due <= today + window else "in_date")
        found.append(Learned(learner, course, organisation, last, how, due, status))
    return sorted(found, key=lambda x: (x.due or dt.date.max, x.course.code, x.learner.pk))


def learner_record(learner: User, today: dt.date) -> list[Learned]:
    """The person's own courses: the last time each was done and when it needs refreshing."""
    return _learned(Booking.objects.filter(learner=learner),
                    Completion.objects.filter(learner=learner), today)


def programme_record(partnership: Partnership, today: dt.date) -> list[Learned]:
    return _learned(Booking.objects.filter(session__course__partnership=partnership),
                    Completion.objects.filter(course__partnership=partnership), today)


def refreshers_due(partnership: Partnership, today: dt.date) -> list[Learned]:
    """Learners of the programme whose refresher is due soon or overdue."""
    return [x for x in programme_record(partnership, today) if x.status in ("due", "overdue")]


def coverage_table(partnership: Partnership, today: dt.date) -> dict:
    """Learners with in-date training by organisation and competency level: a course
    without a refresh interval stays in date; one past its refresher date does not."""
    from safeguarding.training import config

    levels = list(config.codes("levels"))
    cells: dict[str, dict[str, set[int]]] = {}
    everyone: dict[str, set[int]] = {}
    for x in programme_record(partnership, today):
        name = x.organisation.agency.name
        everyone.setdefault(name, set()).add(x.learner.pk)
        if x.status != "overdue":
            cells.setdefault(name, {}).setdefault(x.course.level, set()).add(x.learner.pk)
    counts = {name: [len(cells.get(name, {}).get(level, set())) for level in levels]
              for name in sorted(everyone)}
    rows = [{"organisation": name, "learners": len(everyone[name]), "levels": counts[name]}
            for name in counts]
    totals = [sum(c[i] for c in counts.values()) for i in range(len(levels))]
    return {"levels": [(code, config.codes("levels")[code]) for code in levels],
            "rows": rows, "totals": totals,
            "learners": sum(r["learners"] for r in rows)}
