"""What the Covid-19 follow-up gives the rest of the house (core/modules.py).

Frames by the partnership's home LA (the lowest LA code), one row per child-week of a
vulnerable child who did not attend school, (LA, record key, the week's Monday): all of
them, and those the school followed up. The key is the record's own ("V" and its number),
never the child's identifier. Counts of children: seen through disclosure control.
"""

from __future__ import annotations

from functools import partial
from pathlib import Path

from django.db.models import Max, Min

from safeguarding.core.modules import FrameSpec, ModuleContract, ReportSection, Theme
from safeguarding.core.selectors import home_las
from safeguarding.covid_followup import selectors
from safeguarding.covid_followup.models import AttendanceRecord

COLUMNS = {"la": "str", "child": "str", "day": "date"}


def absent_rows(las: list[str], *, followed: bool) -> list[tuple]:
    homes = home_las(las)
    found = AttendanceRecord.objects.filter(partnership_id__in=list(homes), attended=False)
    if followed:
        found = found.filter(follow_up__isnull=False)
    return [(homes[p], f"V{pk}", week) for pk, p, week in
            found.order_by("pk").values_list("pk", "partnership_id", "week")]


def _year_start(day):
    return day.replace(year=day.year if day.month >= 4 else day.year - 1, month=4, day=1)


def coverage(las: list[str]):
    """The weekly extract ran only in the lockdown weeks, so a week without it is a true 0:
    the records cover whole financial years, from the year of the first week to the end of
    the year of the last."""
    homes = home_las(las)
    spans = []
    for pid, la in sorted(homes.items(), key=lambda kv: kv[1]):
        span = AttendanceRecord.objects.filter(partnership_id=pid).aggregate(
            first=Min("week"), last=Max("week"))
        if span["first"]:
            end = _year_start(span["last"])
            spans.append((la, _year_start(span["first"]), end.replace(year=end.year + 1,
                                                                      month=3, day=31)))
    return {"covid_followup": spans}


CONTRACT = ModuleContract(
    app_label="covid_followup",
    frames=(FrameSpec("covid_followup_not_attending", COLUMNS,
                      partial(absent_rows, followed=False)),
            FrameSpec("covid_followup_followed_up", COLUMNS,
                      partial(absent_rows, followed=True))),
    coverage=coverage,
    catalogue=Path(__file__).with_name("catalogue.yaml"),
    records_feed_figures=True,
    themes=(Theme("covid-19-follow-up", "covid_followup", "Vulnerable children during Covid-19",
                  "Children in need, on a plan or looked after who did not attend school in "
                  "the lockdown weeks, and how many the schools followed up."),),
    report_sections=(ReportSection(
        "covid-followup", "Vulnerable children during Covid-19",
        measures=("covid_followup_not_attending", "covid_followup_followed_up_rate"),
        intro="When schools closed to most pupils, children in need, on a child protection "
              "plan or looked after were expected in school. Each week the local authority "
              "shared who did not attend, and each school followed the child up."),),
    home_items=selectors.home_items,
)
