"""Helpers for the child death tests: valid notification data and quick cases."""

from __future__ import annotations

import datetime as dt
import itertools

from safeguarding.child_deaths import services
from safeguarding.child_deaths.models import ChildDeath
from safeguarding.core.models import Agency, AuditEvent, Partnership, User

_serial = itertools.count(1)
TODAY = dt.date(2021, 6, 30)


def user(username: str) -> User:
    return User.objects.get(username=username)


def partnership(code: str) -> Partnership:
    return Partnership.objects.get(code=code)


def icb() -> Agency:
    return Agency.objects.get(name__startswith="Staffordshire and Stoke-on-Trent Integrated")


def police() -> Agency:
    return Agency.objects.get(name="Staffordshire Police")


def notification(code: str = "STAFFS", **overrides) -> dict:
    n = next(_serial)
    data = {
        "partnership": partnership(code),
        "birth_status": "born_alive",
        "first_name": "Test",
        "last_name": f"Deathcase{n:04d}",
        "date_of_birth": dt.date(2015, 5, 1),
        "sex": "2",
        "ethnicity": "WBRI",
        "date_of_death": dt.date(2020, 6, 1),
        "place_of_death": "hospital",
        "expected": "expected",
        "jar_triggers": [],
        "notified_on": dt.date(2020, 6, 2),
        "notifier_name": "Dr Test Person",
        "notifier_role": "Consultant paediatrician",
        "notifying_agency": icb(),
    }
    data.update(overrides)
    return data


def notify(actor: str | User = "business.staffs", code: str = "STAFFS", **overrides) -> ChildDeath:
    actor = user(actor) if isinstance(actor, str) else actor
    return services.child_death_notify(actor=actor, today=TODAY, **notification(code, **overrides))


def audit_rows(case: ChildDeath, action: str | None = None):
    rows = AuditEvent.objects.filter(object_type="child_deaths.childdeath", object_id=str(case.pk))
    return rows.filter(action=action) if action else rows


def post_date(prefix: str, day: dt.date) -> dict:
    return {
        f"{prefix}_day": str(day.day),
        f"{prefix}_month": str(day.month),
        f"{prefix}_year": str(day.year),
    }
