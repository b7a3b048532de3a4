"""The Covid-19 follow-up pages for the browser tests (tests/browser/site_map.py)."""

from __future__ import annotations

from django.urls import reverse


def walk(w) -> None:
    from safeguarding.covid_followup.models import AttendanceRecord

    record = AttendanceRecord.objects.filter(attended=False).order_by("week", "pk").first()
    if record is None:
        return  # the demo's extract is not loaded
    week = record.week.isoformat()
    for path, label in [
        (reverse("covid_followup:home"), "Vulnerable children during Covid-19"),
        (reverse("covid_followup:import"), "Import a weekly extract"),
        (reverse("covid_followup:week", args=[week]), "Week of vulnerable children not attending"),
        (reverse("covid_followup:follow-up", args=[record.pk]), "Record the school's follow-up"),
    ]:
        w.open("business.staffs", path, label)
    form = w.open("business.staffs", reverse("covid_followup:import"), "Import a weekly extract")
    w.submit(form, "Import a weekly extract, empty (error summary)",
             expect_path=reverse("covid_followup:import"))
