"""The demo's training programme: Staffordshire's multi-agency training in 2020-21, shared
with Stoke-on-Trent (core PartnershipShare "training"), told as the seed tells it: the
programme moved to a virtual platform from September 2020, with two virtual child
exploitation conferences (capacity 500 each; the seed reached about 500 delegates, the demo
books a modest sample of synthetic learners), fewer no-shows and late cancellations as the
year went on, and learners reporting more confidence after each course.

The demo holds three years, 2019-20 to 2021-22, so 2020-21 compares with the years either
side: in 2019-20 the programme was face to face (working together courses and a child
exploitation conference at a venue, more no-shows, the last course a fortnight before the
first lockdown; no GCP2 course, commissioned in July 2020); in 2021-22 it stayed virtual,
with the GCP2 course run through the year and fewer no-shows still. 2020-21 is drawn first
from the demo's stream, as it always was; each other year from a stream of its own, so
2020-21's figures do not move.

Row counts stay modest: 36 synthetic learners (Faker en_GB, practitioner seats, no
password), 3 courses, 20 sessions over the three years (8 in 2020-21) and one open session a
few weeks ahead of the build day, so a learner can book in the demo. Everything is written
through the services (``actor=None``, the command line); the same seed gives the same
records.
"""

from __future__ import annotations

import csv
import datetime as dt
import io
import random
from collections.abc import Mapping

from django.utils import timezone
from faker import Faker

from safeguarding.core import services as core_services
from safeguarding.core.models import Agency, Partnership, User
from safeguarding.training import services
from safeguarding.training.models import Booking, Charge

LEARNERS = 36
AGENCY_KINDS = ("la_childrens_services", "police", "health", "education", "voluntary",
                "youth_justice", "probation")
COURSES = [
    ("CEC", "Child exploitation conference", "level_2", "Everyone working with children "
     "and young people at risk of exploitation", "Recognise criminal and sexual exploitation; "
     "know the MACE referral route", "conference", "full_day", None),
    ("WT1", "Working together: multi-agency child protection", "level_2",
     "Practitioners who take part in child protection conferences and core groups",
     "Know the thresholds; share information; contribute to a child protection plan",
     "virtual", "full_day", 36),
    ("GCP", "Neglect and the Graded Care Profile 2", "level_3",
     "Practitioners assessing neglect; GCP2 champions",
     "Use the GCP2 tool; recognise cumulative neglect", "virtual", "half_day", 24),
    ("EL1", "Safeguarding children: universal (e-learning)", "level_1",
     "Everyone who works with children, young people or their families",
     "Recognise abuse and neglect; know how to raise a concern", "e_learning", "half_day", 24),
]
# E-learning completions in the year, imported as the platform's CSV (one per learner).
ELEARNING = 24
# (course, date, capacity, bookings, no-shows, late cancellations, early cancellations)
SESSIONS = [
    ("WT1", dt.date(2020, 9, 15), 20, 14, 3, 2, 1),
    ("GCP", dt.date(2020, 10, 6), 15, 12, 2, 1, 1),
    ("CEC", dt.date(2020, 11, 18), 500, 30, 3, 1, 2),
    ("WT1", dt.date(2020, 12, 8), 20, 16, 2, 1, 1),
    ("GCP", dt.date(2021, 1, 19), 15, 13, 1, 1, 0),
    ("CEC", dt.date(2021, 2, 24), 500, 32, 2, 0, 1),
    ("WT1", dt.date(2021, 3, 9), 20, 15, 1, 0, 1),
    ("GCP", dt.date(2021, 3, 23), 15, 12, 1, 1, 0),
]
# The years either side, by financial year (the conference at a venue before Covid-19).
SESSIONS_BY_YEAR = {
    2019: [("WT1", dt.date(2019, 5, 14), 20, 17, 4, 2, 1),
           ("WT1", dt.date(2019, 9, 10), 20, 18, 3, 2, 2),
           ("CEC", dt.date(2019, 11, 20), 200, 30, 4, 2, 1),
           ("WT1", dt.date(2020, 1, 14), 20, 16, 3, 1, 1),
           ("WT1", dt.date(2020, 3, 10), 20, 15, 3, 2, 1)],
    2020: SESSIONS,
    2021: [("WT1", dt.date(2021, 5, 11), 20, 15, 1, 1, 1),
           ("GCP", dt.date(2021, 6, 8), 15, 13, 1, 0, 1),
           ("WT1", dt.date(2021, 9, 14), 20, 16, 1, 1, 0),
           ("CEC", dt.date(2021, 11, 17), 500, 30, 2, 1, 1),
           ("GCP", dt.date(2021, 12, 7), 15, 12, 1, 0, 0),
           ("WT1", dt.date(2022, 2, 8), 20, 15, 0, 1, 1),
           ("GCP", dt.date(2022, 3, 22), 15, 12, 1, 0, 1)],
}
# E-learning completions in the years either side: the learners not in 2020-21's import.
ELEARNING_BY_YEAR = {2019: 12, 2021: 12}


def _at(day: dt.date, hour: int = 9) -> dt.datetime:
    return timezone.make_aware(dt.datetime.combine(day, dt.time(hour)))


def _learners(seed: int, partnerships: Mapping[str, Partnership]) -> list[User]:
    fake = Faker("en_GB")
    fake.seed_instance(seed + 16)
    agencies = list(Agency.objects.filter(kind__in=AGENCY_KINDS).order_by("name"))
    found = []
    for n in range(LEARNERS):
        code = "STOKE" if n % 4 == 3 and "STOKE" in partnerships else "STAFFS"
        partnership = partnerships[code]
        mine = [a for a in agencies if a.partnerships.filter(pk=partnership.pk).exists()]
        agency = mine[n % len(mine)]
        username = f"learner.{n + 1:03d}"
        user = core_services.user_add(actor=None, username=username,
                                      first_name=fake.first_name(), last_name=fake.last_name(),
                                      email=f"{username}@demo.invalid")
        core_services.membership_add(actor=None, user=user, agency=agency,
                                     partnership=partnership, role="practitioner")
        found.append(user)
    return found


def build(seed: int, partnerships: Mapping[str, Partnership]) -> dict:
    staffs = partnerships.get("STAFFS")
    if staffs is None:
        return {}
    rng = random.Random(seed + 1600)
    learners = _learners(seed, partnerships)
    courses = {code: services.course_add(
        actor=None, partnership=staffs, code=code, title=title, level=level, audience=audience,
        outcomes=outcomes, format=fmt, length=length, refresh_months=refresh)
        for code, title, level, audience, outcomes, fmt, length, refresh in COURSES}
    # The years are built in order (a learner books one session of a course at a time).
    _other_year(seed, 2019, staffs, courses, learners)
    for code, day, capacity, booked, no_shows, late, early in SESSIONS:
        _session(rng, courses[code], day, capacity, learners[:], booked, no_shows, late, early)
    # The waiver: a learner was ill on the day of the first session of 2020-21.
    first_no_show = (Charge.objects.filter(partnership=staffs, reason="no_show",
                                           raised_on__gte=dt.date(2020, 4, 1))
                     .order_by("pk").first())
    if first_no_show is not None:
        services.charge_waive(actor=None, charge=first_no_show, reason="illness",
                              note="Sickness note from the learner's manager",
                              on=first_no_show.raised_on + dt.timedelta(days=3))
    _elearning(rng, staffs, learners)
    for quarter in ("2020-Q2", "2020-Q3", "2020-Q4"):
        services.invoices_make(actor=None, partnership=staffs, period=quarter)
    _other_year(seed, 2021, staffs, courses, learners)
    upcoming = timezone.localdate() + dt.timedelta(weeks=6)
    services.session_add(actor=None, course=courses["WT1"], starts_at=_at(upcoming, 9),
                         ends_at=_at(upcoming, 16), trainers="Partnership training team",
                         capacity=20, joining_link="https://meet.example.org/wt1-next")
    return {"learners": len(learners),
            "sessions": sum(len(found) for found in SESSIONS_BY_YEAR.values()) + 1}


def _elearning(rng: random.Random, staffs: Partnership, learners: list[User]) -> None:
    """The year's e-learning completions, loaded through the CSV importer; and the demo's
    social worker, who completed it nearly two years before the build day, so their
    refresher falls due within the window (their home page and training record show it)."""
    from safeguarding.training import importer

    out = io.StringIO()
    writer = csv.writer(out, lineterminator="\n")
    writer.writerow([c["name"] for c in importer.columns()])
    year = dt.date(2020, 4, 1)
    for learner in learners[:ELEARNING]:
        agency = learner.memberships.get().agency
        day = year + dt.timedelta(days=rng.randrange(0, 365))
        writer.writerow([learner.email, agency.name, "EL1", day.isoformat()])
    worker = User.objects.filter(username="social.worker").first()
    if worker is not None and worker.email:
        agency = worker.memberships.get().agency
        day = timezone.localdate() - dt.timedelta(days=700)
        writer.writerow([worker.email, agency.name, "EL1", day.isoformat()])
    services.completions_import(actor=None, partnership=staffs, content=out.getvalue().encode(),
                                file_name="elearning-completions-2020-21.csv")


def _other_year(seed: int, year: int, staffs: Partnership, courses: dict,
                learners: list[User]) -> None:
    """2019-20 or 2021-22: the year's sessions, e-learning and invoices, from a stream of its
    own (2020-21's draws do not move)."""
    rng = random.Random(f"training:{seed}:{year}")
    for code, day, capacity, booked, no_shows, late, early in SESSIONS_BY_YEAR[year]:
        _session(rng, courses[code], day, capacity, learners[:], booked, no_shows, late, early)
    _elearning_year(rng, staffs, learners[-ELEARNING_BY_YEAR[year]:], year)
    for q in range(1, 5):
        services.invoices_make(actor=None, partnership=staffs, period=f"{year}-Q{q}")


def _elearning_year(rng: random.Random, staffs: Partnership, learners: list[User],
                    year: int) -> None:
    """A year's e-learning completions (2019-20 or 2021-22), through the CSV importer."""
    from safeguarding.training import importer

    out = io.StringIO()
    writer = csv.writer(out, lineterminator="\n")
    writer.writerow([c["name"] for c in importer.columns()])
    start = dt.date(year, 4, 1)
    for learner in learners:
        agency = learner.memberships.get().agency
        day = start + dt.timedelta(days=rng.randrange(0, 365))
        writer.writerow([learner.email, agency.name, "EL1", day.isoformat()])
    services.completions_import(actor=None, partnership=staffs, content=out.getvalue().encode(),
                                file_name=f"elearning-completions-{year}-{(year + 1) % 100}.csv")


def _session(rng: random.Random, course, day: dt.date, capacity: int, people: list[User],
             booked: int, no_shows: int, late: int, early: int) -> None:
    session = services.session_add(
        actor=None, course=course, starts_at=_at(day, 9 if course.length == "full_day" else 13),
        ends_at=_at(day, 16 if course.length == "full_day" else 17),
        trainers="Partnership training team", capacity=capacity,
        joining_link=f"https://meet.example.org/{course.code.lower()}-{day:%Y%m%d}")
    rng.shuffle(people)
    bookings = [services.booking_request(actor=p, session=session, role="Practitioner",
                                         at=_at(day - dt.timedelta(days=30 - n % 10)))
                for n, p in enumerate(people[:booked])]
    for booking in bookings[:early]:
        services.booking_cancel(actor=booking.learner, booking=booking, reason="Clash",
                                at=_at(day - dt.timedelta(days=14)))
    for booking in bookings[early:early + late]:
        services.booking_cancel(actor=booking.learner, booking=booking, reason="Work pressure",
                                at=_at(day - dt.timedelta(days=1)))
    held = [b for b in bookings[early + late:]]
    for booking in held:
        booking.refresh_from_db(fields=["state"])  # its session, course and partnership kept
        if booking.state == Booking.State.CONFIRMED:
            services.evaluation_record(actor=booking.learner, booking=booking, stage="before",
                                       confidence=rng.choice((2, 2, 3, 3, 4)),
                                       knowledge=rng.choice((2, 3, 3)),
                                       on=day - dt.timedelta(days=2))
    came = {b.pk for b in held[no_shows:]}
    services.register_record(actor=None, session=session, attended=came, at=_at(day, 18))
    for booking in held[no_shows:]:
        booking.refresh_from_db(fields=["state"])  # its session, course and partnership kept
        before = booking.evaluations.filter(stage="before").first()
        if before is None:
            continue
        services.evaluation_record(
            actor=booking.learner, booking=booking, stage="after",
            confidence=min(5, before.confidence + rng.choice((0, 1, 1, 2))),
            knowledge=min(5, before.knowledge + rng.choice((0, 1, 1, 2))),
            quality=rng.choice((4, 4, 5)), on=day)
        if rng.random() < 0.5:
            services.evaluation_record(
                actor=booking.learner, booking=booking, stage="follow_up",
                confidence=min(5, before.confidence + rng.choice((0, 1, 1))),
                knowledge=min(5, before.knowledge + rng.choice((0, 1, 1))),
                practice_change="Used the learning in a strategy discussion",
                on=day + dt.timedelta(weeks=8))
