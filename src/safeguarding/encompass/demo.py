"""The demo's Operation Encompass: four schools (one with no Key Adult, one academy with its
own INSET day), and 30 incidents a year over 2019-20, 2020-21 and 2021-22 (so the seed's
year compares with the year before from data) with children of the index present,
recorded by the police mostly the same night or early next morning, a few late, and
acknowledged by the Key Adult mostly the next school morning; the last ones are left
open so the escalation page and the reminders have work.

Written through the services with ``actor=None`` (the command line). E-mails go to
Django's in-memory backend (nothing leaves the machine). The same seed and the same
children give the same records.
"""

from __future__ import annotations

import datetime as dt
import random
from collections.abc import Mapping

from django.test.utils import override_settings
from django.utils import timezone

from safeguarding.children import demo as children_demo
from safeguarding.core.models import Agency, Partnership
from safeguarding.encompass import importer, services
from safeguarding.encompass.models import Notification

YEAR_START = dt.date(2020, 4, 1)  # the seed report's year
YEARS = (2019, 2020, 2021)  # financial years held: 2019-20 to 2021-22
INCIDENTS = 30  # a year
# (partnership, LA, URN, name, agency name or None, key adult username or None, holiday contact)
SCHOOLS = [
    ("STAFFS", "860", "900001", "Brook Lane Academy (demo)", "Brook Lane Academy (demo)",
     "key.adult.brook", True),
    ("STAFFS", "860", "900002", "Hill Top Primary School (demo)",
     "Hill Top Primary School (demo)", "key.adult.hilltop", False),
    ("STAFFS", "860", "900004", "Moorfield Infant School (demo)", None, None, False),
    ("STOKE", "861", "900003", "Trentside High School (demo)", "Trentside High School (demo)",
     "key.adult.trentside", True),
]


def _schools(partnerships: Mapping[str, Partnership]) -> dict:
    found = {}
    for code, la, urn, name, agency_name, key_adult, holiday in SCHOOLS:
        if code not in partnerships:
            continue
        agency = Agency.objects.filter(name=agency_name).first() if agency_name else None
        found[urn] = services.school_add(
            actor=None, partnership=partnerships[code], la_code=la, urn=urn, name=name,
            agency=agency, key_adult_name=key_adult.replace(".", " ").title() if key_adult else "",
            key_adult_email=f"{key_adult}@demo.invalid" if key_adult else "",
            holiday_contact_name="School business manager" if holiday else "",
            holiday_contact_email=f"holidays.{urn}@demo.invalid" if holiday else "",
            added_on=dt.date(YEARS[0], 4, 1))
    return found


def _pupils(partnership: Partnership, rng: random.Random) -> list:
    found = [c for c in children_demo.index_children(partnership)
             if c.la_child_id and 5 <= importer.age_on(c.date_of_birth, YEAR_START) <= 15]
    rng.shuffle(found)
    return children_demo.children_chosen(found[:40])


def build(seed: int, partnerships: Mapping[str, Partnership]) -> int:
    """Build the demo's schools and incidents; return the number of notifications."""
    rng = random.Random(seed * 31 + 14)
    with override_settings(ENCOMPASS_EMAIL_BACKEND="django.core.mail.backends.locmem.EmailBackend"):
        _schools(partnerships)
        staffs = partnerships.get("STAFFS")
        if staffs is None:
            return 0
        pupils = _pupils(staffs, rng)
        if not pupils:
            return 0
        # One pupil in five at Moorfield, the school with no Key Adult.
        urns = ["900001", "900002", "900001", "900002", "900004"]
        school_of = {c.pk: urns[i % len(urns)] for i, c in enumerate(pupils)}
        # The seed's year from the seed's stream (as when the demo held it alone), then the
        # years either side from streams of their own.
        for year in sorted(YEARS, key=lambda y: y != YEAR_START.year):
            draw = rng if year == YEAR_START.year else random.Random(f"encompass:{seed}:{year}")
            _incidents(draw, staffs, pupils, school_of, year_start=dt.date(year, 4, 1),
                       last=year == YEARS[-1])
    return Notification.objects.filter(incident__partnership=staffs).count()


def _incidents(rng: random.Random, staffs: Partnership, pupils: list, school_of: dict, *,
               year_start: dt.date, last: bool) -> None:
    """A year's incidents from 1 April ``year_start``: notifications, mostly acknowledged."""
    march = (year_start.replace(year=year_start.year + 1, month=3) - year_start).days
    days = sorted(rng.sample(range(355), INCIDENTS))
    if days[-1] < march:
        # The recording covers up to the month of the latest incident: one in March, so
        # the demo covers the whole year whichever children the scale gives it.
        days[-1] = march + days[-1] % 21
    for n, offset in enumerate(days):
        hour = rng.choice([17, 18, 19, 20, 21, 22, 23, 1, 2])
        when = timezone.make_aware(dt.datetime.combine(
            year_start + dt.timedelta(days=offset), dt.time(hour, rng.choice([0, 15, 40]))))
        # A few children are notified again (repeat notifications).
        present = rng.sample(pupils[:8] if n % 4 == 0 else pupils, rng.choice([1, 1, 2]))
        late = n % 9 == 4
        recorded = when + dt.timedelta(hours=rng.choice([2, 4, 6]))
        values = {"police_reference": f"SP/{when:%y%m%d}/{n + 1:03d}", "occurred_at": when,
                  "domestic_abuse": True,
                  "children": [{"first_name": c.first_name, "last_name": c.last_name,
                                "date_of_birth": c.date_of_birth, "present": True,
                                "school_urn": school_of[c.pk], "la_child_id": c.la_child_id,
                                "nhs_number": ""} for c in present]}
        incident = services.incident_record(actor=None, partnership=staffs, values=values,
                                            now=recorded)
        for notice in incident.notifications.all():
            if late and notice.sent_at:
                # Sent the day after it was due (the police's queue was behind).
                Notification.objects.filter(pk=notice.pk).update(
                    sent_at=notice.due_at + dt.timedelta(days=1, hours=2))
                notice.refresh_from_db()
            if notice.sent_at is None or (last and n >= INCIDENTS - 2):
                continue  # the last year's last ones are still open
            delay = dt.timedelta(minutes=rng.choice([20, 35, 50])) if n % 7 else \
                dt.timedelta(days=3)
            services.notification_acknowledge(
                actor=None, notification=notice,
                now=max(notice.sent_at, notice.due_at) + delay)
