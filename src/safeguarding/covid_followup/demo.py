"""The demo's Covid-19 follow-up: Staffordshire's demo schools, and the weekly attendance
extract for the first two weeks of the first lockdown (23 and 30 March 2020, the end of
2019-20, when schools had just closed to all but vulnerable children and key workers' and
few of them came), four weeks of the spring 2020 lockdown and four of the spring 2021 one;
nothing in 2021-22, when schools were open. About 40 vulnerable children (CIN, CP, CLA);
most who did not attend were followed up by their school, the last week of 2021 still has
follow-ups owed. Fixed every build: the 2020-21 weeks are drawn from the stream they always
were, the two March 2020 weeks from a stream of their own, so 2020-21's figures do not move."""

from __future__ import annotations

import csv
import datetime as dt
import io
import random

from safeguarding.core.models import Agency, Partnership
from safeguarding.covid_followup import services
from safeguarding.covid_followup.models import AttendanceRecord, FollowUp

D = dt.date
FIRST_WEEKS = (D(2020, 3, 23), D(2020, 3, 30))  # 2019-20: the first two weeks of lockdown
WEEKS = (D(2020, 4, 20), D(2020, 4, 27), D(2020, 5, 4), D(2020, 5, 11),
         D(2021, 1, 11), D(2021, 1, 18), D(2021, 1, 25), D(2021, 2, 1))
SCHOOLS = (("Brook Lane Academy (demo)", "900101"), ("Hill Top Primary School (demo)", "900102"))


def build(seed: int, partnerships: dict[str, Partnership]) -> None:
    staffs = partnerships["STAFFS"]
    rng = random.Random(19)
    schools = []
    for name, urn in SCHOOLS:
        agency = Agency.objects.filter(name=name).first()
        schools.append(services.school_add(actor=None, partnership=staffs, urn=urn,
                                           name=name.replace(" (demo)", ""), agency=agency))
    children = [(schools[n % 2].urn, f"STF{7000 + n}", rng.choice(["CIN", "CIN", "CP", "CLA"]))
                for n in range(40)]
    for week in WEEKS:
        _week(staffs, rng, children, week, 0.35 if week.year == 2020 else 0.25)
    first = random.Random("covid_followup:19:2019")
    for week in FIRST_WEEKS:
        _week(staffs, first, children, week, 0.6)
    methods, outcomes = FollowUp.Method.values, FollowUp.Outcome.values
    records = (AttendanceRecord.objects.filter(partnership=staffs, attended=False)
               .order_by("week", "child_id"))
    for stream, found in ((rng, records.filter(week__gte=WEEKS[0])),
                          (first, records.filter(week__lt=WEEKS[0]))):
        for record in found:
            if record.week == WEEKS[-1] and stream.random() < 0.5:
                continue  # the last week's follow-ups are still owed
            if stream.random() < 0.06:
                continue  # a few were missed
            services.follow_up_record(
                actor=None, record=record,
                made_on=record.week + dt.timedelta(days=stream.randint(1, 4)),
                method=stream.choice(methods),
                outcome=stream.choices(outcomes, [6, 3, 1, 1])[0])


def _week(staffs: Partnership, rng: random.Random, children: list, week: dt.date,
          rate: float) -> None:
    """One week's attendance extract: ``rate`` is the chance a child did not attend."""
    out = io.StringIO()
    writer = csv.writer(out)
    writer.writerow(["school_urn", "child_id", "status", "week", "attended"])
    for urn, child, status in children:
        writer.writerow([urn, child, status, week.isoformat(),
                         "N" if rng.random() < rate else "Y"])
    services.attendance_import(actor=None, partnership=staffs, content=out.getvalue().encode(),
                               file_name=f"vulnerable-attendance-{week.isoformat()}.csv")
