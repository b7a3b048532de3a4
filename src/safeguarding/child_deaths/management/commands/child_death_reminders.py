from django.core.management.base import BaseCommand

from safeguarding.child_deaths.tasks import send_information_request_reminders


class Command(BaseCommand):
    help = (
        "Queue today's child death reporting-form reminders (run once a day). "
        "With --now, send them in this process instead of queueing."
    )

    def add_arguments(self, parser):
        parser.add_argument("--date", help="The day to act as, YYYY-MM-DD (default today)")
        parser.add_argument("--now", action="store_true", help="Send now, without the worker")

    def handle(self, *args, date=None, now=False, **options):
        if now:
            counts = send_information_request_reminders.call(date)
            self.stdout.write(f"Sent: {counts}")
        else:
            result = send_information_request_reminders.enqueue(date)
            self.stdout.write(f"Queued reminder task {result.id}")
