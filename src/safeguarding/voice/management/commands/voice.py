"""`safeguarding voice ...`: list a partnership's surveys with their responses and tracked
results, import a CSV of responses, close a survey, and print a survey's CSV template."""

from __future__ import annotations

import datetime as dt
from pathlib import Path

from django.core.management.base import BaseCommand, CommandError
from django.utils import timezone

from safeguarding.core.management.helpers import csv_import
from safeguarding.core.models import Partnership
from safeguarding.voice import importer, selectors, services


def _survey(reference: str):
    found = selectors.survey_by_reference(reference)
    if found is None:
        raise CommandError(f"No survey with reference {reference}")
    return found


class Command(BaseCommand):
    help = "Voice: surveys, their results, importing responses, closing a survey."

    def add_arguments(self, parser):
        sub = parser.add_subparsers(dest="action", required=True)
        listed = sub.add_parser("surveys", help="List a partnership's surveys")
        listed.add_argument("partnership", help="Partnership code, for example STAFFS")
        load = sub.add_parser("import", help="Load a CSV of responses (all rows or none)")
        load.add_argument("survey", help="Survey reference, for example STAFFS-S01")
        load.add_argument("file")
        close = sub.add_parser("close", help="Close an open survey")
        close.add_argument("survey")
        close.add_argument("--on", help="Closing date (YYYY-MM-DD), today if not given")
        template = sub.add_parser("template", help="Print a survey's CSV template header")
        template.add_argument("survey")

    def handle(self, *args, action, **options):
        getattr(self, f"_{action}")(**options)

    def _surveys(self, partnership, **_):
        found = Partnership.objects.filter(code=partnership).first()
        if found is None:
            raise CommandError(f"No partnership with code {partnership}")
        for s in found.voice_surveys.order_by("pk"):
            kind = "anonymous" if s.anonymous else "named"
            self.stdout.write(f"{s.reference}  {s.title} ({s.audience}, {kind}, {s.status}, "
                              f"{s.responses.count()} responses)")
            for r in selectors.question_results(s):
                if r.question.tag:
                    shown = ", ".join(f"{c.label} {c.percent if c.percent is not None else '-'}%"
                                      for c in r.cells)
                    self.stdout.write(f"    {r.question.text}: {shown}")

    def _import(self, survey, file, **_):
        found = _survey(survey)
        path = Path(file)
        loaded, new = csv_import(self, lambda content, name: services.responses_import(
            actor=None, survey=found, content=content, file_name=name), path)
        self.stdout.write(f"{loaded.rows} responses loaded" if new
                          else f"{path.name} was loaded before: nothing changed")

    def _close(self, survey, on=None, **_):
        found = _survey(survey)
        try:
            day = dt.date.fromisoformat(on) if on else timezone.localdate()
        except ValueError:
            raise CommandError(f"Not a date (YYYY-MM-DD): {on}") from None
        services.survey_close(actor=None, survey=found, on=day)
        self.stdout.write(f"{found.reference} closed on {day.isoformat()}")

    def _template(self, survey, **_):
        self.stdout.write(importer.template_header(_survey(survey).questions.all()))
