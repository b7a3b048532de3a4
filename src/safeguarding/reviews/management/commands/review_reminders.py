import datetime as dt

from django.core.management.base import BaseCommand, CommandError

from safeguarding.reviews import reminders
from safeguarding.reviews.tasks import send_review_reminders


class Command(BaseCommand):
    help = ("Send the day's reminders for serious incidents, rapid reviews, practice reviews "
            "and actions. Run once a day; by default the task is queued for the worker.")

    def add_arguments(self, parser):
        parser.add_argument("--now", action="store_true",
                            help="Send now, in this process, instead of queueing the task")
        parser.add_argument("--on", help="Act as if today were this date (YYYY-MM-DD)")

    def handle(self, *args, now, on, **options):
        if on:
            try:
                dt.date.fromisoformat(on)
            except ValueError:
                raise CommandError("--on must be a date like 2021-04-12") from None
        if now:
            result = reminders.send_reminders(on=dt.date.fromisoformat(on) if on else None)
            self.stdout.write(f"Reminders for {result['on']}: {result.get('skipped') or result['sent']}")
            return
        queued = send_review_reminders.enqueue(on=on)
        self.stdout.write(f"Queued the reminders task ({queued.id}).")
