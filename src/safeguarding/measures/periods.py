"""Reporting periods: a financial year 2020-21, a quarter 2020-Q3 or a month 2020-06.

Quarters are quarters of the financial year: 2020-Q1 is April to June 2020 and
2020-Q4 is January to March 2021, so four quarters make the year 2020-21.

This is the one period type of the platform: the dashboard, the yearly report and
the learning-review and child-death statistics all use it.
"""

from __future__ import annotations

import calendar
import datetime as dt
import re
from dataclasses import dataclass

_YEAR = re.compile(r"^(?P<start>\d{4})-(?P<end>\d{2})$")
_QUARTER = re.compile(r"^(?P<year>\d{4})-Q(?P<q>[1-4])$")
_MONTH = re.compile(r"^(?P<year>\d{4})-(?P<month>0[1-9]|1[0-2])$")
_YEAR_WRITTEN = re.compile(r"^(?P<start>\d{4})[-/](?P<end>\d{2}|\d{4})$")


# The first financial year the platform offers: 2018-19, the first year of the
# arrangements of Working Together to Safeguard Children 2018.
FIRST_YEAR = 2018


class PeriodError(ValueError):
    pass


@dataclass(frozen=True)
class Period:
    label: str
    kind: str  # year, quarter or month
    start: dt.date
    end: dt.date

    def __str__(self) -> str:
        return self.label

    def contains(self, day: dt.date) -> bool:
        return self.start <= day <= self.end

    @property
    def title(self) -> str:
        if self.kind == "year":
            return f"1 April {self.start.year} to 31 March {self.end.year}"
        return f"{self.start:%-d %B %Y} to {self.end:%-d %B %Y}"

    @property
    def start_year(self) -> int:
        """The calendar year the period starts in (for a financial year, its first year)."""
        return self.start.year

    def previous(self, years: int = 1) -> Period:
        """The same kind of period ``years`` years earlier, for year-on-year comparison."""
        if self.kind == "year":
            return financial_year(self.start.year - years)
        if self.kind == "quarter":
            return parse(f"{int(self.label[:4]) - years}{self.label[4:]}")
        return parse(f"{self.start.year - years}-{self.start.month:02d}")

    def months(self) -> list[Period]:
        out, day = [], self.start
        while day <= self.end:
            out.append(parse(f"{day.year}-{day.month:02d}"))
            day = (day.replace(day=28) + dt.timedelta(days=4)).replace(day=1)
        return out

    def quarters(self) -> list[Period]:
        if self.kind != "year":
            return [self]
        return [parse(f"{self.start.year}-Q{q}") for q in range(1, 5)]


def financial_year(start_year: int) -> Period:
    return parse(f"{start_year}-{str(start_year + 1)[2:]}")


def financial_year_of(day: dt.date) -> Period:
    return financial_year(day.year if day.month >= 4 else day.year - 1)


def financial_years_over(start: dt.date, end: dt.date) -> list[Period]:
    """The financial years that the days from start to end (both included) fall in."""
    years, day = [], start
    while day <= end:
        years.append(financial_year_of(day))
        day = years[-1].end + dt.timedelta(days=1)
    return years


def financial_years_since(first_start_year: int = FIRST_YEAR, *,
                          today: dt.date) -> list[Period]:
    """The financial years from the current one (of ``today``) back to the one starting in
    ``first_start_year``, newest first: the years a page offers to choose from."""
    current = financial_year_of(today).start.year
    return [financial_year(y) for y in range(current, first_start_year - 1, -1)]


def years_ending_with(year: Period, count: int) -> list[Period]:
    """``count`` financial years ending with ``year``, oldest first: a trend's years."""
    return [year.previous(back) for back in range(count - 1, -1, -1)]


def parse_financial_year(text: str) -> Period:
    """A financial year however people write it: 2020-21, 2020/21 or 2020-2021."""
    match = _YEAR_WRITTEN.match((text or "").strip())
    if not match:
        raise PeriodError(f"Enter a financial year like 2020-21, not '{text}'")
    start, end = int(match["start"]), match["end"]
    if int(end) % 100 != (start + 1) % 100 or (len(end) == 4 and int(end) != start + 1):
        raise PeriodError(f"The second year must follow the first, like 2020-21, not '{text}'")
    return financial_year(start)


def parse(label: str) -> Period:
    label = label.strip()
    m = _YEAR.match(label)
    if m and (int(m["start"]) + 1) % 100 == int(m["end"]):
        start = int(m["start"])
        return Period(label, "year", dt.date(start, 4, 1), dt.date(start + 1, 3, 31))
    if m := _QUARTER.match(label):
        year, q = int(m["year"]), int(m["q"])
        first_month = 4 + 3 * (q - 1)
        y, month = (year, first_month) if first_month <= 12 else (year + 1, first_month - 12)
        last = month + 2
        return Period(label, "quarter", dt.date(y, month, 1),
                      dt.date(y, last, calendar.monthrange(y, last)[1]))
    if m := _MONTH.match(label):
        year, month = int(m["year"]), int(m["month"])
        return Period(label, "month", dt.date(year, month, 1),
                      dt.date(year, month, calendar.monthrange(year, month)[1]))
    raise PeriodError(
        f"'{label}' is not a period: use a financial year (2020-21), a quarter (2020-Q3) "
        "or a month (2020-06)"
    )
