"""Working days in England: Monday to Friday, less bank holidays and added dates.

Convention (documented in docs/adr/0004-working-days.md): the day of the
triggering event is day 0. ``working_days_between(start, end)`` counts the
working days d with start < d <= end, so Friday to the next Monday is 1 and
the same day is 0. ``add_working_days(day, n)`` is the n-th working day after
``day``: the inverse, so ``working_days_between(d, add_working_days(d, n)) == n``.
"""

from __future__ import annotations

import calendar
import datetime as dt
from functools import lru_cache


@lru_cache(maxsize=64)
def _bank_holidays(year: int) -> frozenset[dt.date]:
    # England and Wales share one list; the package carries one-off days such
    # as the 2022 State Funeral and the 2023 Coronation.
    import holidays  # imported on first use: about 0.1 s a process start that never needs it

    return frozenset(holidays.country_holidays("GB", subdiv="ENG", years=year).keys())


def _added_days() -> frozenset[dt.date]:
    from safeguarding.core.models import NonWorkingDay

    return frozenset(NonWorkingDay.objects.values_list("date", flat=True))


def non_working_days(years: range | list[int]) -> frozenset[dt.date]:
    days: set[dt.date] = set()
    for year in years:
        days |= _bank_holidays(year)
    return frozenset(days | _added_days())


def is_working_day(day: dt.date, closed: frozenset[dt.date] | None = None) -> bool:
    if closed is None:
        closed = non_working_days([day.year])
    return day.weekday() < 5 and day not in closed


def working_days_between(start: dt.date, end: dt.date) -> int:
    """Count working days after ``start`` up to and including ``end``; negative if end < start."""
    if end < start:
        return -working_days_between(end, start)
    closed = non_working_days(range(start.year, end.year + 1))
    # Whole weeks hold five weekdays; only the remainder needs a day-by-day walk.
    span = (end - start).days
    weeks, remainder = divmod(span, 7)
    count = weeks * 5
    day = start + dt.timedelta(days=weeks * 7)
    for _ in range(remainder):
        day += dt.timedelta(days=1)
        if day.weekday() < 5:
            count += 1
    count -= sum(1 for d in closed if start < d <= end and d.weekday() < 5)
    return count


def add_working_days(day: dt.date, n: int) -> dt.date:
    """Return the n-th working day after ``day`` (n >= 0; 0 returns ``day`` itself)."""
    if n < 0:
        raise ValueError("n must be zero or more")
    closed = non_working_days(range(day.year, day.year + 2 + n // 200))
    counted = 0
    while counted < n:
        day += dt.timedelta(days=1)
        if day.weekday() < 5 and day not in closed:
            counted += 1
    return day


def add_months(day: dt.date, months: int) -> dt.date:
    """The same day of the month ``months`` calendar months on (back, if negative); the
    month's last day where it is shorter (31 August + 6 months is 28 or 29 February)."""
    year, month = divmod(day.year * 12 + day.month - 1 + months, 12)
    return dt.date(year, month + 1, min(day.day, calendar.monthrange(year, month + 1)[1]))


def month_end(day: dt.date) -> dt.date:
    """The last day of ``day``'s month."""
    return day.replace(day=calendar.monthrange(day.year, day.month)[1])
