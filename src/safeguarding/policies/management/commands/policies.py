"""`safeguarding policies ...`: the policy library from the command line: list a
partnership's policies with their review status, search them, send the day's reminders."""

from __future__ import annotations

from django.core.management.base import BaseCommand, CommandError
from django.utils import timezone

from safeguarding.core.management.helpers import date_option
from safeguarding.core.models import Partnership
from safeguarding.policies import reminders, selectors
from safeguarding.policies.models import Policy


class Command(BaseCommand):
    help = "Policies and procedures: list, overdue, search and reminders."

    def add_arguments(self, parser):
        sub = parser.add_subparsers(dest="action", required=True)
        listing = sub.add_parser("list", help="A partnership's policies and review status")
        listing.add_argument("partnership", help="Partnership code, for example STAFFS")
        listing.add_argument("--overdue", action="store_true", help="Only those overdue")
        remind = sub.add_parser("remind", help="Send the day's review reminders to owners")
        remind.add_argument("--on", help="As if today were this date (YYYY-MM-DD)")

    def handle(self, *args, action, **options):
        getattr(self, f"_{action}")(**options)

    def _list(self, *, partnership, overdue=False, **_):
        found = Partnership.objects.filter(code=partnership).first()
        if found is None:
            raise CommandError(f"No partnership with code {partnership}")
        today = timezone.localdate()
        policies = Policy.objects.filter(partnerships=found).prefetch_related("partnerships")
        for policy in policies.order_by("review_due", "title"):
            state = selectors.status(policy, today)
            if overdue and state != "overdue":
                continue
            version = selectors.current_version(policy)
            self.stdout.write(f"{policy.pk}\t{policy.review_due}\t{state}\t"
                              f"v{version.number if version else '-'}\t{policy.title}")

    def _remind(self, *, on=None, **_):
        done = reminders.reminders_send(on=date_option(on))
        self.stdout.write(f"{done['on']}: {done['sent']} reminder(s) sent")
