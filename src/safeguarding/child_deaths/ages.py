"""Ages at death, neonatal deaths and financial years: derived, never typed.

Neonatal death: death within the first 28 days of life. The day of birth is day
0, so a child who dies aged 0 to 27 completed days is a neonatal death and one
who dies on day 28 is not (domain.md section 2.7; the same day-0 convention as
the working-day calendar). Financial years are ``measures.periods.Period``, the
platform's one period type.
"""

from __future__ import annotations

import datetime as dt

NEONATAL_DAYS = 28
EARLY_NEONATAL_DAYS = 7


def age_in_days(date_of_birth: dt.date, date_of_death: dt.date) -> int:
    return (date_of_death - date_of_birth).days


def is_neonatal(date_of_birth: dt.date, date_of_death: dt.date) -> bool:
    return 0 <= age_in_days(date_of_birth, date_of_death) < NEONATAL_DAYS


def birthday(date_of_birth: dt.date, years: int) -> dt.date:
    """The child's birthday in a later year; 29 February falls on 28 February."""
    try:
        return date_of_birth.replace(year=date_of_birth.year + years)
    except ValueError:
        return date_of_birth.replace(year=date_of_birth.year + years, day=28)


def age_in_years(date_of_birth: dt.date, on: dt.date) -> int:
    years = on.year - date_of_birth.year
    if on < birthday(date_of_birth, years):
        years -= 1
    return years


def died_before_eighteenth_birthday(date_of_birth: dt.date, date_of_death: dt.date) -> bool:
    return date_of_death < birthday(date_of_birth, 18)


def age_band(date_of_birth: dt.date, date_of_death: dt.date) -> str:
    """The reporting band code (see code_lists.yaml age_bands)."""
    days = age_in_days(date_of_birth, date_of_death)
    if days < EARLY_NEONATAL_DAYS:
        return "neonatal_early"
    if days < NEONATAL_DAYS:
        return "neonatal_late"
    years = age_in_years(date_of_birth, date_of_death)
    if years < 1:
        return "post_neonatal"
    if years < 5:
        return "age_1_4"
    if years < 10:
        return "age_5_9"
    if years < 15:
        return "age_10_14"
    return "age_15_17"
