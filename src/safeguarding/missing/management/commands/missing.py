"""`safeguarding missing ...`: import the police CSV of episodes, list interview offers
due and overdue, send the overdue reminders, print the template's header."""

from __future__ import annotations

import datetime as dt
from pathlib import Path

from django.core.management.base import BaseCommand, CommandError
from django.utils import timezone

from safeguarding.core.management.helpers import csv_import, partnership_by_code
from safeguarding.missing import importer, reminders, services
from safeguarding.missing.models import Episode

_partnership = partnership_by_code


class Command(BaseCommand):
    help = "Missing children: import police episodes, interviews due, reminders."

    def add_arguments(self, parser):
        sub = parser.add_subparsers(dest="action", required=True)
        load = sub.add_parser("import", help="Load the police CSV of missing episodes")
        load.add_argument("partnership", help="Partnership code, for example STAFFS")
        load.add_argument("file", type=Path)
        due = sub.add_parser("due", help="List return interview offers overdue and due")
        due.add_argument("partnership")
        due.add_argument("--at", help="As if it were this time (YYYY-MM-DD HH:MM)")
        remind = sub.add_parser("remind", help="Send the overdue-interview reminders now")
        remind.add_argument("--on")
        sub.add_parser("template", help="Print the CSV template's header line")

    def handle(self, *args, action, **options):
        getattr(self, f"_{action}")(**options)

    def _import(self, *, partnership, file, **_):
        found = _partnership(partnership)
        record = csv_import(self, lambda content, name: services.episodes_import(
            actor=None, partnership=found, content=content, file_name=name), file)
        self.stdout.write(f"{record.file_name}: {record.added} added, {record.changed} changed, "
                          f"{record.unchanged} unchanged")

    def _due(self, *, partnership, at=None, **_):
        now = importer.parse_datetime(at) if at else timezone.now()
        if now is None:
            raise CommandError("--at must look like 2020-06-05 14:30")
        found = Episode.objects.filter(partnership=_partnership(partnership),
                                       rhi_due_at__isnull=False, interview__isnull=True
                                       ).order_by("rhi_due_at", "pk")
        overdue = [e for e in found if e.rhi_due_at < now]
        self.stdout.write(f"{partnership}: {len(overdue)} interview offer(s) overdue, "
                          f"{len(found) - len(overdue)} due")
        for e in found:
            state = "OVERDUE" if e.rhi_due_at < now else "due"
            self.stdout.write(f"  {e.force_reference} {state} "
                              f"{timezone.localtime(e.rhi_due_at):%Y-%m-%d %H:%M}")

    def _remind(self, *, on=None, **_):
        result = reminders.overdue_reminders_send(on=dt.date.fromisoformat(on) if on else None)
        self.stdout.write(f"Reminders for {result['on']}: {result['sent']}")

    def _template(self, **_):
        self.stdout.write(importer.template_csv_header())
