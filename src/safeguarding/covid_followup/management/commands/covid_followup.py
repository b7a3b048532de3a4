"""`safeguarding covid_followup ...`: import a weekly school-attendance extract, and list a
partnership's weekly counts of vulnerable children not attending and followed up."""

from __future__ import annotations

from pathlib import Path

from django.core.management.base import BaseCommand

from safeguarding.core.management.helpers import csv_import, partnership_by_code
from safeguarding.covid_followup import services
from safeguarding.covid_followup.models import AttendanceRecord

_partnership = partnership_by_code


class Command(BaseCommand):
    help = "Covid-19 follow-up: import the weekly attendance extract; weekly counts."

    def add_arguments(self, parser):
        sub = parser.add_subparsers(dest="action", required=True)
        load = sub.add_parser("import", help="Load a weekly extract (all rows or none)")
        load.add_argument("partnership")
        load.add_argument("file")
        weeks = sub.add_parser("weeks", help="Weekly counts: not attending, followed up")
        weeks.add_argument("partnership")

    def handle(self, *args, action, partnership, **options):
        found = _partnership(partnership)
        if action == "import":
            path = Path(options["file"])
            loaded, new = csv_import(self, lambda content, name: services.attendance_import(
                actor=None, partnership=found, content=content, file_name=name), path)
            self.stdout.write(f"{loaded.rows} rows loaded ({loaded.added} new)" if new
                              else f"{path.name} was loaded before: nothing changed")
            return
        weeks: dict = {}
        for week, attended, followed in (AttendanceRecord.objects.filter(partnership=found)
                                         .values_list("week", "attended", "follow_up")):
            row = weeks.setdefault(week, [0, 0])
            if not attended:
                row[0] += 1
                row[1] += followed is not None
        for week, (absent, followed) in sorted(weeks.items()):
            self.stdout.write(f"{week.isoformat()}  not attending {absent}, "
                              f"followed up {followed}")
