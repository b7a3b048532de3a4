"""The demo partnership's Graded Care Profile 2, from the seed: both local authorities
commissioned GCP2 in July 2020 and in March 2021 Staffordshire trained 30 champions from a
range of agencies, each licensed that month. Champions then licensed practitioners through
2021-22 and 2022-23; each licence runs its configured term and is renewed shortly before it
expires, so licences run up to today (a few, issued to newcomers, expire in the coming
weeks and are not renewed yet: the expiring-soon list and the reminders have work). Every
agency with a licensed practitioner returns a summary of its assessments for each quarter
from 2020-Q4 (three years and more of summaries) up to the last quarter ended, except the
last quarter of children's services and of the police, left owed for their home page.

The other modules' demos hold 2019-20 to 2021-22; this one holds no 2019-20 by design:
the partnerships commissioned GCP2 in July 2020, so there was no champion, licence or
summary before then. It holds 2020-21 (the champions trained, the first quarter's summaries)
and 2021-22 onwards.

Counts and grades only, no child and none of the tool's text. People are synthetic
(Faker en_GB) and the same seed gives the same records (those dated relative to today
move with the day). Written through the services with ``actor=None`` (the command line).
"""

from __future__ import annotations

import datetime as dt
import random
from collections.abc import Mapping

from django.utils import timezone
from faker import Faker

from safeguarding.core.models import Partnership
from safeguarding.neglect import config, selectors, services
from safeguarding.neglect.models import Licence

TRAINED = dt.date(2021, 3, 10)
# Champions by agency (the seed's 30 "from a range of agencies").
CHAMPIONS = {"Staffordshire County Council Children's Services": 8,
             "Staffordshire Police": 4,
             "Staffordshire and Stoke-on-Trent Integrated Care Board": 6,
             "Brook Lane Academy (demo)": 2, "Hill Top Primary School (demo)": 2,
             "Staffordshire Youth Justice Service": 2,
             "Probation Service, Staffordshire and Stoke": 2,
             "Family Support Trust (demo)": 3,
             "Moorside Young Offender Institution (demo)": 1}
# Practitioners licensed by the champions, per agency per year from April 2021.
LICENSED_PER_YEAR = {"Staffordshire County Council Children's Services": 12,
                     "Staffordshire and Stoke-on-Trent Integrated Care Board": 8,
                     "Staffordshire Police": 4, "Family Support Trust (demo)": 3,
                     "Brook Lane Academy (demo)": 1, "Hill Top Primary School (demo)": 1}
OWED = ("Staffordshire County Council Children's Services", "Staffordshire Police")
FIRST_QUARTER = "2020-Q4"


def _chain(partnership, agency, name, email, issued_on, today):
    """Issue a licence and renew it 20 days before each expiry, up to today."""
    licence = services.licence_issue(actor=None, partnership=partnership, practitioner=name,
                                     agency=agency, email=email, issued_on=issued_on)
    while licence.expires_on - dt.timedelta(days=20) <= today:
        licence = services.licence_renew(actor=None, licence=licence,
                                         issued_on=licence.expires_on - dt.timedelta(days=20))
    return licence


def build(seed: int, partnerships: Mapping[str, Partnership]) -> None:
    partnership = partnerships.get("STAFFS")
    if partnership is None:
        return
    rng = random.Random(seed * 16 + 5)
    fake = Faker("en_GB")
    fake.seed_instance(seed * 16 + 5)
    today = timezone.localdate()
    agencies = {a.name: a for a in partnership.agencies.all()}

    def person() -> tuple[str, str]:
        first, last = fake.first_name(), fake.last_name()
        return f"{first} {last}", f"{first}.{last}@demo.invalid".lower().replace("'", "")

    for name, count in CHAMPIONS.items():
        agency = agencies[name]
        for n in range(count):
            who, email = person()
            champion = services.champion_add(actor=None, partnership=partnership, name=who,
                                              agency=agency, email=email,
                                              job_title="GCP2 champion", trained_on=TRAINED)
            _chain(partnership, agency, who, email, TRAINED + dt.timedelta(days=5), today)
            if n == 0 and count > 3:  # one champion of the larger agencies moves on
                services.champion_step_down(actor=None, champion=champion,
                                            on=dt.date(2022, 9, 30))
    for year in (2021, 2022):
        for name, count in LICENSED_PER_YEAR.items():
            for _ in range(count):
                who, email = person()
                issued = dt.date(year, 4, 1) + dt.timedelta(days=rng.randrange(0, 360))
                _chain(partnership, agencies[name], who, email, issued, today)
    # Newcomers licensed a term ago, expiring in the coming weeks, not renewed yet.
    for days in (20, 35, 50):
        who, email = person()
        issued = config.add_months(today, -int(config.config()["licence"]["valid_months"])) \
            + dt.timedelta(days=days + 1)
        services.licence_issue(actor=None, partnership=partnership, practitioner=who,
                               agency=agencies[OWED[0]], email=email, issued_on=issued)

    owed = selectors.owed([(partnership, a) for a in agencies.values()], today)
    last: dict[str, str] = {}
    for item in owed:
        last[item.agency.name] = max(last.get(item.agency.name, ""), item.period)
    codes = [code for code, _ in config.outcomes()]
    for item in sorted(owed, key=lambda o: (o.period, o.agency.name)):
        if item.period < FIRST_QUARTER or (item.agency.name in OWED
                                            and item.period == last[item.agency.name]):
            continue
        period = services.quarter(item.period)
        licensed = selectors.current_licences(
            Licence.objects.filter(partnership=partnership, agency=item.agency),
            period.end).count()
        completed = max(1, round(licensed * rng.uniform(0.6, 1.8)))
        grades = [0] * 5
        for _ in range(completed):
            grades[rng.choices(range(5), weights=(10, 25, 30, 25, 10))[0]] += 1
        outcomes = dict.fromkeys(codes, 0)
        for _ in range(completed):
            outcomes[rng.choices(codes, weights=(15, 40, 25, 10, 10))[0]] += 1
        reviewed = rng.randint(0, completed // 2)
        services.summary_record(
            actor=None, partnership=partnership, agency=item.agency, period=item.period,
            completed=completed, children=completed + rng.randint(0, completed // 3),
            grades=grades, reviewed=reviewed, improved=round(reviewed * rng.uniform(0.4, 0.8)),
            outcomes=outcomes, today=today)
