"""Training on a person's home page (core/home.py, issue 18).

- a learner: places offered to accept, and evaluations owed after a course they attended;
- the business unit running the programme: sessions held whose register is not taken.
"""

from __future__ import annotations

import datetime as dt

from django.db.models import Exists, OuterRef
from django.urls import reverse
from django.utils import timezone

from safeguarding.core.home import capped
from safeguarding.core.modules import HomeItem
from safeguarding.training.models import Booking, Evaluation, Session
from safeguarding.training.rules import managed_partnerships

# An evaluation after a course is owed for this long after it.
EVALUATE_WITHIN = dt.timedelta(weeks=12)


def home_items(user) -> list[HomeItem]:
    now = timezone.now()
    on = timezone.localdate()
    items = []
    mine = Booking.objects.filter(learner=user).select_related("session__course")
    for b in mine.filter(state=Booking.State.OFFERED):
        expires = timezone.localtime(b.offer_expires_at).date() if b.offer_expires_at else None
        items.append(HomeItem(kind="return", title=f"Accept your place: {b.session.course.title}",
                              url=reverse("training:booking-accept", args=[b.pk]), due=expires,
                              overdue=False,
                              detail=f"Session on {timezone.localtime(b.session.starts_at):%-d %B %Y}"))
    evaluated = Evaluation.objects.filter(booking=OuterRef("pk"), stage=Evaluation.Stage.AFTER)
    for b in mine.filter(state=Booking.State.ATTENDED, session__ends_at__gte=now - EVALUATE_WITHIN
                         ).exclude(Exists(evaluated)):
        items.append(HomeItem(kind="return", title=f"Evaluate your training: "
                                                   f"{b.session.course.title}",
                              url=reverse("training:booking-evaluate", args=[b.pk])
                              + "?stage=after",
                              detail="How your confidence and knowledge changed"))
    managed = managed_partnerships(user)
    if managed:
        unregistered = Booking.objects.filter(session=OuterRef("pk"),
                                              state=Booking.State.CONFIRMED)
        held = (Session.objects.filter(course__partnership__in=managed, ends_at__lt=now)
                .exclude(status=Session.Status.CANCELLED).filter(Exists(unregistered))
                .select_related("course").order_by("starts_at"))
        found = [HomeItem(kind="return", title=f"Take the register: {s.course.title}",
                          url=reverse("training:session-register", args=[s.pk]),
                          due=timezone.localtime(s.ends_at).date(),
                          overdue=timezone.localtime(s.ends_at).date() < on,
                          detail=f"Held {timezone.localtime(s.starts_at):%-d %B %Y}")
                 for s in held]
        items += capped(found, more="{n} more registers to take",
                        url=reverse("training:home"), kind="return")
    return items
