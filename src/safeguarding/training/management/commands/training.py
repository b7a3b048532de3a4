"""`safeguarding training ...`: the programme from the command line: list sessions, send the
day's reminders, make a period's invoices and export them as CSV, show a partnership's
rules and its learners' paired confidence change."""

from __future__ import annotations

from pathlib import Path

from django.core.exceptions import ValidationError
from django.core.management.base import BaseCommand, CommandError

from safeguarding.core.management.helpers import csv_import, date_option, partnership_by_code
from safeguarding.training import config, reminders, selectors, services
from safeguarding.training.models import Session

_partnership = partnership_by_code


class Command(BaseCommand):
    help = "Training programme: sessions, reminders, invoices, rules and evaluation."

    def add_arguments(self, parser):
        sub = parser.add_subparsers(dest="action", required=True)
        listing = sub.add_parser("sessions", help="List a partnership's sessions")
        listing.add_argument("partnership", help="Partnership code, for example STAFFS")
        remind = sub.add_parser("remind", help="Send the day's reminders and lapse old offers")
        remind.add_argument("--on", help="As if today were this date (YYYY-MM-DD)")
        invoice = sub.add_parser("invoice", help="Make a period's invoices, one per organisation")
        invoice.add_argument("partnership")
        invoice.add_argument("period", help="2020-09, 2020-Q3 or 2020-21")
        export = sub.add_parser("export", help="Write the invoice lines as CSV")
        export.add_argument("partnership")
        export.add_argument("--period")
        export.add_argument("--out", type=Path, help="A file (default: standard output)")
        rules = sub.add_parser("rules", help="Show a partnership's training rules and source")
        rules.add_argument("partnership")
        change = sub.add_parser("evaluation", help="Learners' paired confidence change")
        change.add_argument("partnership")
        elearning = sub.add_parser("import-elearning",
                                   help="Load a CSV of e-learning completions (all or nothing)")
        elearning.add_argument("partnership")
        elearning.add_argument("file", type=Path)
        refresh = sub.add_parser("refreshers", help="Learners due a refresher")
        refresh.add_argument("partnership")

    def handle(self, *args, action, **options):
        getattr(self, f"_{action.replace('-', '_')}")(**options)

    def _sessions(self, *, partnership, **_):
        for s in Session.objects.filter(course__partnership=_partnership(partnership)
                                        ).select_related("course"):
            self.stdout.write(f"{s.pk}\t{s.starts_at:%Y-%m-%d %H:%M}\t{s.course.code}\t"
                              f"{s.status}\t{services.places_held(s)}/{s.capacity}")

    def _remind(self, *, on=None, **_):
        done = reminders.training_daily(on=date_option(on))
        self.stdout.write(f"{done['on']}: {done['sent']} reminder(s) sent, "
                          f"{done['offered']} place(s) offered")

    def _invoice(self, *, partnership, period, **_):
        try:
            made = services.invoices_make(actor=None, partnership=_partnership(partnership),
                                          period=period)
        except ValidationError as error:
            raise CommandError(" ".join(error.messages)) from None
        for invoice in made:
            self.stdout.write(f"{invoice.number}\t{invoice.organisation}\t{invoice.pounds}")
        self.stdout.write(f"{len(made)} invoice(s) made")

    def _export(self, *, partnership, period=None, out=None, **_):
        text = selectors.invoices_csv(selectors.invoices(_partnership(partnership), period))
        if out is None:
            self.stdout.write(text, ending="")
        else:
            out.write_text(text)
            self.stdout.write(f"Wrote {out}")

    def _rules(self, *, partnership, **_):
        policy = config.policy(_partnership(partnership))
        self.stdout.write(f"{policy.key}: {policy.title}")
        self.stdout.write(f"Manager approval: {'yes' if policy.manager_approval else 'no'}")
        self.stdout.write(f"Cut-off: {policy.cutoff_text()}; offers held "
                          f"{policy.offer_hold_hours} hours")
        self.stdout.write("Reminders: " + ", ".join(f"{r.kind} {r.days_before} days before"
                                                    for r in policy.reminders))
        self.stdout.write(f"Source: {policy.source} ({'verified' if policy.verified else 'not verified'})")

    def _evaluation(self, *, partnership, **_):
        found = _partnership(partnership)
        for label, then in (("after", "after"), ("follow-up", "follow_up")):
            change = selectors.paired_change(found, then=then)
            self.stdout.write(f"Before and {label}: {change['learners']} learners, confidence "
                              f"{change['confidence']}, knowledge {change['knowledge']}")

    def _import_elearning(self, *, partnership, file, **_):
        found = _partnership(partnership)
        record = csv_import(self, lambda content, name: services.completions_import(
            actor=None, partnership=found, content=content, file_name=name), file)
        self.stdout.write(f"{record.file_name}: {record.added} added, "
                          f"{record.unchanged} already held")

    def _refreshers(self, *, partnership, **_):
        from django.utils import timezone

        for x in selectors.refreshers_due(_partnership(partnership), timezone.localdate()):
            self.stdout.write(f"{x.learner.username}\t{x.organisation}\t{x.course.code}\t"
                              f"{x.last}\t{x.due}\t{x.status}")
