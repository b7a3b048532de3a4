"""`safeguarding restraint ...`: import an establishment's CSV, list overdue reviews,
draw and check a quarterly sample, send the overdue reminders, print the template."""

from __future__ import annotations

import datetime as dt
from pathlib import Path

from django.core.exceptions import ValidationError
from django.core.management.base import BaseCommand, CommandError

from safeguarding.core.management.helpers import csv_import
from safeguarding.restraint import importer, reminders, selectors, services
from safeguarding.restraint.models import Establishment, Sample


def _establishment(code: str) -> Establishment:
    found = Establishment.objects.filter(code=code).select_related("partnership").first()
    if found is None:
        raise CommandError(f"No establishment with code {code}")
    return found


class Command(BaseCommand):
    help = "Review of restraint: import, overdue reviews, quarterly samples, reminders."

    def add_arguments(self, parser):
        sub = parser.add_subparsers(dest="action", required=True)
        load = sub.add_parser("import", help="Load an establishment's CSV of restraints")
        load.add_argument("establishment", help="Establishment code, for example MYOI")
        load.add_argument("file", type=Path)
        overdue = sub.add_parser("overdue", help="List reviews past the next working day")
        overdue.add_argument("establishment")
        overdue.add_argument("--on", help="As if today were this date (YYYY-MM-DD)")
        draw = sub.add_parser("sample", help="Draw (or draw again) a quarter's sample")
        draw.add_argument("establishment")
        draw.add_argument("quarter", help="Financial quarter, for example 2020-Q3")
        draw.add_argument("--seed", type=int)
        draw.add_argument("--size", type=int)
        check = sub.add_parser("check", help="Check a sample against its stored seed")
        check.add_argument("establishment")
        check.add_argument("quarter")
        remind = sub.add_parser("remind", help="Send the overdue-review reminders now")
        remind.add_argument("--on")
        sub.add_parser("template", help="Print the CSV template's header line")

    def handle(self, *args, action, **options):
        getattr(self, f"_{action}")(**options)

    def _import(self, *, establishment, file, **_):
        estab = _establishment(establishment)
        record = csv_import(self, lambda content, name: services.incidents_import(
            actor=None, establishment=estab, content=content, file_name=name), file)
        self.stdout.write(f"{record.file_name}: {record.added} added, {record.changed} changed, "
                          f"{record.unchanged} unchanged")

    def _overdue(self, *, establishment, on=None, **_):
        estab = _establishment(establishment)
        day = dt.date.fromisoformat(on) if on else None
        counts = selectors.overdue_counts(day)
        self.stdout.write(f"{estab.name}: {counts.get(estab.pk, 0)} review(s) overdue")
        for ref, due in (estab.incidents.filter(review__isnull=True,
                                                review_due__lt=day or dt.date.today())
                         .order_by("review_due", "reference").values_list("reference",
                                                                         "review_due")):
            self.stdout.write(f"  {ref} due {due.isoformat()}")

    def _sample(self, *, establishment, quarter, seed=None, size=None, **_):
        try:
            sample = services.sample_draw(actor=None, establishment=_establishment(establishment),
                                          quarter=quarter, seed=seed, size=size)
        except ValidationError as error:
            raise CommandError("; ".join(error.messages)) from None
        self.stdout.write(f"Sample {sample.quarter}: seed {sample.seed}, size {sample.size}")
        for item in sample.items.select_related("incident"):
            self.stdout.write(f"  {item.incident.reference} ({item.why})")

    def _check(self, *, establishment, quarter, **_):
        sample = Sample.objects.filter(establishment=_establishment(establishment),
                                       quarter=quarter).first()
        if sample is None:
            raise CommandError(f"No sample drawn for {quarter}")
        if not services.sample_check(sample):
            raise CommandError(f"Sample {quarter} does not match a draw with seed {sample.seed}")
        self.stdout.write(f"Sample {quarter} matches a draw with seed {sample.seed}")

    def _remind(self, *, on=None, **_):
        result = reminders.overdue_reminders_send(on=dt.date.fromisoformat(on) if on else None)
        self.stdout.write(f"Reminders for {result['on']}: {result.get('skipped') or result['sent']}")

    def _template(self, **_):
        self.stdout.write(importer.template_csv_header())
