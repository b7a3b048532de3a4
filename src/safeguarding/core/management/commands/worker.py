"""`safeguarding worker`: the django-tasks database worker that also keeps the timetable.

Between tasks it claims the scheduled jobs that have fallen due (core/data/schedules.yaml)
and enqueues them, at most once a minute. Several workers may run: each (job, day) is
claimed by exactly one of them.
"""

from __future__ import annotations

import logging
import time

from django_tasks_db.management.commands.db_worker import Command as DbWorkerCommand
from django_tasks_db.management.commands.db_worker import Worker

from safeguarding.core import scheduler
from safeguarding.core.signals import worker_tick

SCHEDULE_EVERY_SECONDS = 60
log = logging.getLogger("django_tasks_db")


class _QuietPasses(logging.Filter):
    """Each pass below runs the queue in batch mode, which logs its start and exit every
    time: keep the first start, drop the rest."""

    started = False

    def filter(self, record: logging.LogRecord) -> bool:
        message = str(record.msg)
        if message.startswith("No more tasks to run"):
            return False
        if message.startswith("Starting worker"):
            seen, self.started = self.started, True
            return not seen
        return True


class SchedulingWorker(Worker):
    def run(self) -> None:
        once = self.batch
        if not once:
            log.addFilter(_QuietPasses())
        last_look = 0.0
        while self.running:
            if time.monotonic() - last_look >= SCHEDULE_EVERY_SECONDS or once:
                last_look = time.monotonic()
                claimed = scheduler.enqueue_due(claimer=self.worker_id)
                # Apps do their housekeeping (datasets: imports left "running" by a
                # process that died) without core importing them.
                worker_tick.send(sender=self.__class__)
                for run in claimed:
                    log.info("Scheduled %s for %s", run.job, run.run_for)
            # Run everything queued, then come back to the timetable.
            self.batch = True
            done_before = self._run_tasks
            super().run()
            self.startup_delay = False
            if once or (self.max_tasks is not None and self._run_tasks >= self.max_tasks):
                return
            if self._run_tasks == done_before and self.running:
                time.sleep(self.interval)


class Command(DbWorkerCommand):
    help = ("Run the background worker: queued tasks, and the scheduled jobs (daily reminders) "
            "when they fall due.")

    def handle(self, *args, **options):
        # db_worker builds its Worker by module name; swap in ours for this call only.
        import django_tasks_db.management.commands.db_worker as db_worker

        original = db_worker.Worker
        db_worker.Worker = SchedulingWorker  # type: ignore[misc]
        try:
            return super().handle(*args, **options)
        finally:
            db_worker.Worker = original  # type: ignore[misc]
