"""The daily training job: reminders before each session (by default 2 weeks, then
joining instructions 5 days, before: the partnership's ``reminders`` in policies.yaml) to
every learner with a confirmed place, and lapsing offers of freed places not accepted in
time (the place goes to the next on the waiting list).

Run by the timetable (core/data/schedules.yaml, ``training_reminders``) each working day (a
reminder falling on a weekend or holiday goes on the next working day); each
reminder is recorded (``ReminderSent``), so a day run twice sends nothing twice. A booking
made after an earlier reminder fell due gets only the nearest one.
"""

from __future__ import annotations

import datetime as dt

from django.db import IntegrityError, transaction
from django.urls import reverse
from django.utils import timezone

from safeguarding.training import config, mail, services
from safeguarding.training.models import Booking, ReminderSent, Session


def _body(booking: Booking, kind: str) -> str:
    session = booking.session
    where = session.venue or session.joining_link
    policy = config.policy(session.course.partnership)
    manage = mail.site_url(reverse("training:my-bookings"))
    when = timezone.localtime(session.starts_at).strftime("%A %-d %B %Y at %H:%M")
    text = f"{session.course.title} on {when}, {where}. "
    if kind == "joining" and session.joining_link:
        text += f"Join online: {session.joining_link}. Cameras on, no recording. "
    cutoff = services.cutoff_day(session)
    text += (f"If you cannot attend, cancel by {cutoff:%-d %B %Y} ({policy.cutoff_text()}) "
             f"to avoid a charge to your organisation: {manage}")
    return text


def training_daily(*, on: dt.date | None = None) -> dict:
    on = on or timezone.localdate()
    at = timezone.make_aware(dt.datetime.combine(on, dt.time(7, 0)))
    lapsed_sessions = Session.objects.filter(bookings__state=Booking.State.OFFERED,
                                             bookings__offer_expires_at__lte=at).distinct()
    offered = sum(services.offers_refresh(s, at=at) for s in lapsed_sessions)
    sent = 0
    horizon = on + dt.timedelta(days=max((r.days_before for p in _policies()
                                          for r in p.reminders), default=0) + 1)
    bookings = (Booking.objects.filter(state=Booking.State.CONFIRMED,
                                       session__status=Session.Status.OPEN,
                                       session__starts_at__gte=at,
                                       session__starts_at__date__lte=horizon)
                .select_related("session__course__partnership", "learner")
                .prefetch_related("reminders"))
    for booking in bookings:
        policy = config.policy(booking.session.course.partnership)
        days_to_go = (services.session_day(booking.session) - on).days
        done = {r.kind for r in booking.reminders.all()}
        due = sorted((r for r in policy.reminders
                      if 0 < days_to_go <= r.days_before and r.kind not in done),
                     key=lambda r: r.days_before)
        if not due:
            continue
        nearest = due[0]
        try:
            with transaction.atomic():
                for reminder in due:
                    ReminderSent.objects.create(booking=booking, kind=reminder.kind, sent_on=on)
                mail.send([booking.learner.email], nearest.title, _body(booking, nearest.kind))
        except IntegrityError:
            continue
        sent += 1
    return {"on": on.isoformat(), "sent": sent, "offered": offered}


def _policies():
    from safeguarding.core.models import Partnership

    return [config.policy(p) for p in Partnership.objects.all()]
