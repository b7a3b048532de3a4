"""The module's rules as data (data/config.yaml) and the school calendars
(data/school_calendars.yaml): when a notification is due, whether the holiday contact is
told too, and when an unacknowledged notification is escalated.

"Before the start of the next school day": the first school day's start (09:00 by
default) after the incident. A school day is a weekday inside one of the LA's terms (or
the school's own, where it sets them), not a bank holiday and not an INSET day. Past the
last term listed the next working day stands in, and the due time records that rule.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass
from functools import cache
from pathlib import Path

from django.utils import timezone

from safeguarding.core.calendar import add_working_days, non_working_days
from safeguarding.core.yaml_data import DataFile

DATA = Path(__file__).with_name("data")
RULE_SCHOOL_DAY = "start_of_next_school_day"
RULE_FALLBACK = "working_day_fallback"


config = DataFile(DATA / "config.yaml")
calendars = DataFile(DATA / "school_calendars.yaml")


def school_day_starts() -> dt.time:
    hour, minute = (int(p) for p in str(config()["notification_deadline"]
                                        ["school_day_starts"]).split(":"))
    return dt.time(hour, minute)


def ack_working_days() -> int:
    rule = config()["acknowledgement"]
    if rule["unit"] != "working_days":
        raise ValueError("data/config.yaml: acknowledgement unit must be working_days")
    return int(rule["amount"])


def repeat_months() -> int:
    return int(config()["repeat_notifications"]["months"])


@dataclass(frozen=True)
class SchoolCalendar:
    terms: tuple[tuple[dt.date, dt.date], ...]
    inset_days: frozenset[dt.date]

    @property
    def last_day(self) -> dt.date | None:
        return max((end for _, end in self.terms), default=None)

    def in_term(self, day: dt.date) -> bool:
        return any(start <= day <= end for start, end in self.terms)

    def is_school_day(self, day: dt.date) -> bool:
        return (day.weekday() < 5 and self.in_term(day) and day not in self.inset_days
                and day not in non_working_days([day.year]))


@cache
def calendar_for(la_code: str, urn: str = "") -> SchoolCalendar:
    """The LA's calendar with the school's own terms or INSET days over it."""
    data = calendars()
    la = (data.get("las") or {}).get(la_code) or {}
    own = (data.get("schools") or {}).get(str(urn)) or {}
    terms = own.get("terms") or la.get("terms") or []
    inset = set(la.get("inset_days") or []) | set(own.get("inset_days") or [])
    return SchoolCalendar(tuple((dt.date.fromisoformat(str(a)), dt.date.fromisoformat(str(b)))
                                for a, b in terms),
                          frozenset(dt.date.fromisoformat(str(d)) for d in inset))


@dataclass(frozen=True)
class Due:
    at: dt.datetime
    rule: str
    after_holiday: bool


def notification_due(occurred_at: dt.datetime, *, la_code: str, urn: str = "") -> Due:
    """When a notification of an incident at ``occurred_at`` is due at this school, and
    whether a holiday (a weekday that is not a school day) comes before it."""
    local = timezone.localtime(occurred_at)
    starts = school_day_starts()
    cal = calendar_for(la_code, urn)
    day = local.date()
    if local.time() >= starts:
        day += dt.timedelta(days=1)
    holiday = False
    last = cal.last_day
    while last is not None and day <= last:
        if cal.is_school_day(day):
            at = timezone.make_aware(dt.datetime.combine(day, starts))
            return Due(at, RULE_SCHOOL_DAY, holiday)
        if day.weekday() < 5:
            holiday = True
        day += dt.timedelta(days=1)
    fallback = add_working_days(local.date(), 1)
    return Due(timezone.make_aware(dt.datetime.combine(fallback, starts)), RULE_FALLBACK, False)


def acknowledgement_due(sent_at: dt.datetime, due_at: dt.datetime) -> dt.date:
    """The last day to acknowledge a notification: the clock starts when it is sent or, if
    later, at the start of the school day it is due (no one reads it in the holidays)."""
    start = max(timezone.localtime(sent_at), timezone.localtime(due_at)).date()
    return add_working_days(start, ack_working_days())


def now() -> dt.datetime:
    """The time notifications are sent and acknowledged at; tests replace this to fix it."""
    return timezone.now()


def today() -> dt.date:
    return timezone.localtime(now()).date()
