"""`safeguarding neglect ...`: a partnership's GCP2 champions, its licences (current or
expiring soon), agencies' assessment summaries and the summaries owed, and send the
licence reminders now."""

from __future__ import annotations

from django.core.management.base import BaseCommand

from safeguarding.core.management.helpers import date_option_or_today, partnership_by_code
from safeguarding.neglect import reminders, selectors
from safeguarding.neglect.models import AssessmentSummary, Champion, Licence

_partnership = partnership_by_code


class Command(BaseCommand):
    help = "GCP2: champions, licences, assessment summaries, licence reminders."

    def add_arguments(self, parser):
        sub = parser.add_subparsers(dest="action", required=True)
        champions = sub.add_parser("champions", help="A partnership's GCP2 champions")
        champions.add_argument("partnership", help="Partnership code, for example STAFFS")
        licences = sub.add_parser("licences", help="Licences current on a day")
        licences.add_argument("partnership")
        licences.add_argument("--expiring", action="store_true",
                              help="Only those expiring soon and not renewed")
        licences.add_argument("--on", help="As if today were this date (YYYY-MM-DD)")
        summaries = sub.add_parser("summaries", help="Assessment summaries by agency")
        summaries.add_argument("partnership")
        summaries.add_argument("--year", help="Financial year's first year, such as 2020")
        owed = sub.add_parser("owed", help="Assessment summaries agencies owe")
        owed.add_argument("partnership")
        owed.add_argument("--on")
        remind = sub.add_parser("remind", help="Send the licence reminders now")
        remind.add_argument("--on")

    def handle(self, *args, action, **options):
        getattr(self, f"_{action}")(**options)

    def _champions(self, *, partnership, **_):
        found = Champion.objects.filter(partnership=_partnership(partnership)) \
            .select_related("agency")
        for c in found:
            state = f"stepped down {c.stepped_down_on}" if c.stepped_down_on else "in post"
            self.stdout.write(f"{c.name}\t{c.agency.name}\ttrained {c.trained_on}\t{state}")
        self.stdout.write(f"{found.filter(stepped_down_on__isnull=True).count()} in post, "
                          f"{found.count()} trained")

    def _licences(self, *, partnership, expiring=False, on=None, **_):
        day = date_option_or_today(on)
        found = Licence.objects.filter(partnership=_partnership(partnership)) \
            .select_related("agency")
        found = selectors.expiring(found, day) if expiring \
            else selectors.current_licences(found, day)
        for lic in found:
            self.stdout.write(f"{lic.practitioner}\t{lic.agency.name}\tissued {lic.issued_on}"
                              f"\texpires {lic.expires_on}")
        self.stdout.write(f"{found.count()} {'expiring soon' if expiring else 'current'} "
                          f"on {day}")

    def _summaries(self, *, partnership, year=None, **_):
        found = AssessmentSummary.objects.filter(partnership=_partnership(partnership)) \
            .select_related("agency")
        if year:
            found = found.filter(period__startswith=year[:4])
        for row in selectors.by_agency(found):
            self.stdout.write(f"{row['agency']}\t{row['quarters']} quarters\t"
                              f"{row['completed']} assessments\t{row['concern']} graded 4-5\t"
                              f"{row['improved']}/{row['reviewed']} reviews improved")
        self.stdout.write(f"{sum(s.completed for s in found)} assessments in "
                          f"{found.count()} summaries")

    def _owed(self, *, partnership, on=None, **_):
        found = _partnership(partnership)
        day = date_option_or_today(on)
        rows = selectors.owed([(found, a) for a in found.agencies.order_by("name")], day)
        for o in rows:
            self.stdout.write(f"{o.agency.name}\t{o.period}\tdue {o.due}")
        self.stdout.write(f"{len(rows)} owed on {day}")

    def _remind(self, *, on=None, **_):
        result = reminders.licence_reminders_send(on=date_option_or_today(on))
        self.stdout.write(f"{result['licences']} licence(s) reached a reminder date on "
                          f"{result['on']}; {result['sent']} e-mail(s) sent")
