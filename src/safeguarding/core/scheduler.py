"""Jobs on a timetable (data/schedules.yaml), each run at most once per day.

``claim_due`` decides which days of which jobs are due at a moment and claims each
by inserting a ``ScheduledRun`` row: the unique (job, day) constraint lets exactly
one claimer win, whether the others are more workers or a cron run of
``safeguarding reminders``. ``safeguarding worker`` claims and enqueues every
minute; the task (``core.tasks.run_scheduled_job``) records the outcome on the row.

A day missed while nothing ran (the worker was down) is caught up once, the next
time the scheduler looks, if it is within the job's catch-up window; with no run
recorded yet, a job starts from today.
"""

from __future__ import annotations

import datetime as dt
import importlib
import logging
from dataclasses import dataclass
from functools import cache
from pathlib import Path

from django.db import IntegrityError, transaction
from django.utils import timezone

from safeguarding.core.calendar import is_working_day
from safeguarding.core.models import ScheduledRun
from safeguarding.core.yaml_data import load_yaml

log = logging.getLogger(__name__)
_PATH = Path(__file__).with_name("data") / "schedules.yaml"
DAY_RULES = {"working_days", "every_day"}


def now() -> dt.datetime:
    """The current moment; tests replace this to fix the time."""
    return timezone.now()


@dataclass(frozen=True)
class Job:
    key: str
    title: str
    call: str
    day_argument: str
    at: dt.time
    days: str
    catch_up_days: int

    def runs_on(self, day: dt.date) -> bool:
        return self.days == "every_day" or is_working_day(day)

    def function(self):
        module, name = self.call.split(":")
        return getattr(importlib.import_module(module), name)


@cache
def jobs() -> dict[str, Job]:
    found = {}
    for key, raw in load_yaml(_PATH.read_text())["jobs"].items():
        if raw["days"] not in DAY_RULES:
            raise ValueError(f"schedules.yaml: job '{key}' has days '{raw['days']}', "
                             f"not one of {', '.join(sorted(DAY_RULES))}")
        found[key] = Job(key=key, title=raw["title"], call=raw["call"],
                         day_argument=raw["day_argument"], at=dt.time.fromisoformat(raw["at"]),
                         days=raw["days"], catch_up_days=int(raw["catch_up_days"]))
    return found


def due_days(job: Job, at: dt.datetime, last: dt.date | None) -> list[dt.date]:
    """The days the job should run for at ``at``, oldest first, given its last run's day."""
    local = timezone.localtime(at)
    today = local.date()
    newest = today if local.time() >= job.at else today - dt.timedelta(days=1)
    oldest = today - dt.timedelta(days=job.catch_up_days)
    first = newest if last is None else max(last + dt.timedelta(days=1), oldest)
    days = []
    day = first
    while day <= newest:
        if job.runs_on(day):
            days.append(day)
        day += dt.timedelta(days=1)
    return days


def claim_due(at: dt.datetime | None = None, *, claimer: str = "") -> list[ScheduledRun]:
    """Claim every due (job, day) not yet claimed by anyone; return the runs this caller won."""
    at = at or now()
    today = timezone.localtime(at).date()
    won = []
    for job in jobs().values():
        last = (ScheduledRun.objects.filter(job=job.key).order_by("-run_for")
                .values_list("run_for", flat=True).first())
        for day in due_days(job, at, last):
            try:
                with transaction.atomic():
                    run = ScheduledRun.objects.create(job=job.key, run_for=day,
                                                      caught_up=day < today, claimed_by=claimer)
            except IntegrityError:
                continue  # another worker, or cron, claimed this day first
            won.append(run)
    return won


def enqueue_due(at: dt.datetime | None = None, *, claimer: str = "") -> list[ScheduledRun]:
    """Claim the due runs and hand each to the task queue (``safeguarding worker``)."""
    from safeguarding.core.tasks import run_scheduled_job

    runs = claim_due(at, claimer=claimer)
    for run in runs:
        result = run_scheduled_job.enqueue(run.pk)
        ScheduledRun.objects.filter(pk=run.pk, task_id="").update(task_id=str(result.id))
    return runs


def run_due(at: dt.datetime | None = None, *, claimer: str = "") -> list[ScheduledRun]:
    """Claim the due runs and run them here, in order (``safeguarding reminders``, cron)."""
    runs = claim_due(at, claimer=claimer)
    for run in runs:
        try:
            execute(run.pk)
        except Exception:  # noqa: S112 - recorded on the row; the other jobs still run
            continue
    return [ScheduledRun.objects.get(pk=run.pk) for run in runs]


def execute(run_id: int) -> ScheduledRun:
    """Run one claimed run and record its outcome; a failure is recorded, then raised."""
    run = ScheduledRun.objects.get(pk=run_id)
    if run.status != ScheduledRun.Status.QUEUED:
        return run  # already run: a task delivered twice does nothing the second time
    job = jobs()[run.job]
    run.status, run.started_at = ScheduledRun.Status.RUNNING, timezone.now()
    run.save(update_fields=["status", "started_at"])
    try:
        counts = job.function()(**{job.day_argument: run.run_for})
    except Exception as error:
        run.status, run.error = ScheduledRun.Status.FAILED, f"{type(error).__name__}: {error}"
        run.finished_at = timezone.now()
        run.save(update_fields=["status", "error", "finished_at"])
        log.exception("Scheduled job %s for %s failed", run.job, run.run_for)
        raise
    run.status, run.counts, run.finished_at = (ScheduledRun.Status.SUCCEEDED, counts or {},
                                               timezone.now())
    run.save(update_fields=["status", "counts", "finished_at"])
    return run


def latest_runs(limit: int = 60) -> list[ScheduledRun]:
    return list(ScheduledRun.objects.all()[:limit])


def summary() -> list[dict]:
    """Each job with its timetable and its last run, for the administrators' page."""
    rows = []
    for job in jobs().values():
        last = ScheduledRun.objects.filter(job=job.key).order_by("-run_for").first()
        rows.append({"job": job, "last": last})
    return rows
