"""`safeguarding briefings ...`: a partnership's briefings with the agencies that have
recorded using each, the agencies still to record one, and its campaigns."""

from __future__ import annotations

from django.core.management.base import BaseCommand

from safeguarding.briefings import selectors
from safeguarding.briefings.models import Briefing, Campaign
from safeguarding.core.management.helpers import partnership_by_code

_partnership = partnership_by_code


class Command(BaseCommand):
    help = "Learning briefings and campaigns: briefings, agencies yet to record use, campaigns."

    def add_arguments(self, parser):
        sub = parser.add_subparsers(dest="action", required=True)
        for name, text in (("list", "Briefings with the agencies that recorded using them"),
                           ("pending", "Agencies expected to use a briefing with no use yet"),
                           ("campaigns", "Campaigns and their reach")):
            sub.add_parser(name, help=text).add_argument(
                "partnership", help="Partnership code, for example STAFFS")

    def handle(self, *args, action, partnership, **options):
        found = _partnership(partnership)
        getattr(self, f"_{action}")(found)

    def _list(self, partnership):
        for b in Briefing.objects.filter(partnership=partnership).defer("file"):
            status = selectors.agencies_status(b)
            used = sum(1 for _, n in status if n)
            self.stdout.write(f"{b.issued_on}\t{b.get_source_display()}\t{b.title}\t"
                              f"{used} of {len(status)} agencies recorded use")

    def _pending(self, partnership):
        count = 0
        for b in Briefing.objects.filter(partnership=partnership).defer("file"):
            for agency, n in selectors.agencies_status(b):
                if not n:
                    self.stdout.write(f"{b.title}\t{agency.name}")
                    count += 1
        self.stdout.write(f"{count} agency record(s) of use outstanding")

    def _campaigns(self, partnership):
        for c in Campaign.objects.filter(partnership=partnership):
            end = f" to {c.ends_on}" if c.ends_on else ""
            self.stdout.write(f"{c.name}\t{c.starts_on}{end}\t{c.audience}\treach {c.reach}")
