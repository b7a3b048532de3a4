"""`safeguarding reminders`: run the day's scheduled jobs now, for cron or a systemd timer.

The same once-per-day rows as the worker's timetable (core/scheduler.py): a day already
run by the worker, or by an earlier cron run, is not run again.
"""

from __future__ import annotations

import datetime as dt
import socket

from django.core.management.base import BaseCommand, CommandError
from django.utils import timezone

from safeguarding.core import scheduler


class Command(BaseCommand):
    help = ("Send the reminders due today (learning review steps and child death reporting "
            "forms), once per day whoever runs them; catches up missed days. Exit 1 if a job "
            "failed.")

    def add_arguments(self, parser):
        parser.add_argument("--at", help="Act as if it were this local date and time "
                                         "(YYYY-MM-DDTHH:MM), for a catch-up or a test")

    def handle(self, *args, at=None, **options):
        now = None
        if at:
            try:
                now = timezone.make_aware(dt.datetime.fromisoformat(at))
            except ValueError:
                raise CommandError("--at must be a local date and time like 2021-04-12T07:30") \
                    from None
        runs = scheduler.run_due(now, claimer=f"reminders@{socket.gethostname()}")
        failed = [f"{r.job} for {r.run_for}: {r.error}" for r in runs
                  if r.status == r.Status.FAILED]
        for run in runs:
            self.stdout.write(f"{run.job} for {run.run_for}: {run.get_status_display()} "
                              f"{run.counts}")
        if not runs and not failed:
            self.stdout.write("Nothing due: every job has run for today (or it is not yet "
                              "time, or not a working day).")
        if failed:
            raise CommandError("Failed: " + "; ".join(failed) + ". See the scheduled jobs page.")
