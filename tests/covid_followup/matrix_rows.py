# ruff: noqa: E501  (the table is wider than the line limit on purpose)
"""The Covid-19 follow-up's rows of the authorization matrix.

The business unit sees every school of its partnership and imports the weekly extract; a
school key adult sees and follows up only their own school's children; board members and
analysts see the weekly counts, never a child. ``own`` is a STAFFS record at the person's
own school (Brook Lane for anyone not at a school), ``other`` a Stoke-on-Trent one.
"""

from __future__ import annotations

import datetime as dt

from safeguarding.core.models import Agency
from safeguarding.covid_followup import services
from safeguarding.covid_followup.models import AttendanceRecord, School

MATRIX_TEXT = """
url name                         | method | target             | anonymous | password only | sysadmin | business unit | board member | sub-group | analyst | practitioner | key adult
covid_followup:home              | GET    | -                  | >sign-in  | >two-factor   | 403      | 200           | 200          | 403       | 200     | 403          | 200
covid_followup:import            | GET    | -                  | >sign-in  | >two-factor   | 403      | 200           | 403          | 403       | 403     | 403          | 403
covid_followup:week              | GET    | covid-week         | >sign-in  | >two-factor   | 403      | 200           | 403          | 403       | 403     | 403          | 200
covid_followup:follow-up         | GET    | covid-record       | >sign-in  | >two-factor   | 403      | 200/404       | 403          | 403       | 403     | 403          | 200/404
api:covid_followup_weeks         | GET    | -                  | 401       | 401           | 403      | 200           | 200          | 403       | 200     | 403          | 200
api:covid_followup_owed          | GET    | -                  | 401       | 401           | 403      | 200           | 403          | 403       | 403     | 403          | 200
"""

WEEK = dt.date(2020, 4, 20)


def _school(partnership, agency) -> School:
    found = School.objects.filter(partnership=partnership, agency=agency).first()
    if found is None:
        urn = f"8{agency.pk:05d}"
        found = services.school_add(actor=None, partnership=partnership, urn=urn,
                                    name=agency.name, agency=agency)
    return found


def _record(world, user, scope: str) -> int:
    partnership = world.partnership(scope)
    if scope == "own":
        seat = user.memberships.filter(agency__kind="education",
                                       partnership=partnership).first() if user else None
        agency = seat.agency if seat else Agency.objects.get(name="Brook Lane Academy (demo)")
    else:
        agency = Agency.objects.get(name="Trentside High School (demo)")
    school = _school(partnership, agency)
    record, _ = AttendanceRecord.objects.get_or_create(
        school=school, child_id="MATRIX1", week=WEEK,
        defaults={"partnership": partnership, "status": "CP", "attended": False})
    return record.pk


TARGETS = {
    "covid-week": lambda w, u, s: WEEK.isoformat(),
    "covid-record": _record,
}
