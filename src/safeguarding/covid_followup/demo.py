"""The demo's Covid-19 follow-up: Staffordshire's demo schools, and the weekly attendance
extract for four weeks of the spring 2020 lockdown and four of the spring 2021 one. About
40 vulnerable children (CIN, CP, CLA); most who did not attend were followed up by their
school, the last week of 2021 still has follow-ups owed. Fixed every build."""

from __future__ import annotations

import csv
import datetime as dt
import io
import random

from safeguarding.core.models import Agency, Partnership
from safeguarding.covid_followup import services
from safeguarding.covid_followup.models import AttendanceRecord, FollowUp

D = dt.date
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
        out = io.StringIO()
        writer = csv.writer(out)
        writer.writerow(["school_urn", "child_id", "status", "week", "attended"])
        rate = 0.35 if week.year == 2020 else 0.25
        for urn, child, status in children:
            writer.writerow([urn, child, status, week.isoformat(),
                             "N" if rng.random() < rate else "Y"])
        services.attendance_import(actor=None, partnership=staffs,
                                   content=out.getvalue().encode(),
                                   file_name=f"vulnerable-attendance-{week.isoformat()}.csv")
    methods, outcomes = FollowUp.Method.values, FollowUp.Outcome.values
    for record in (AttendanceRecord.objects.filter(partnership=staffs, attended=False)
                   .order_by("week", "child_id")):
        if record.week == WEEKS[-1] and rng.random() < 0.5:
            continue  # the last week's follow-ups are still owed
        if rng.random() < 0.06:
            continue  # a few were missed
        services.follow_up_record(
            actor=None, record=record, made_on=record.week + dt.timedelta(days=rng.randint(1, 4)),
            method=rng.choice(methods), outcome=rng.choices(outcomes, [6, 3, 1, 1])[0])
