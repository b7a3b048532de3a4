"""The timetable: each job once per day however many claim it, missed days caught up once,
working days only, outcomes recorded for administrators."""

from __future__ import annotations

import datetime as dt
import io
import zoneinfo

import pytest
from django.core.management import call_command
from django.core.management.base import CommandError

from safeguarding.core import scheduler
from safeguarding.core.models import ScheduledRun

LONDON = zoneinfo.ZoneInfo("Europe/London")
REMINDERS = {"review_reminders", "child_death_reminders", "restraint_review_reminders",
             "training_reminders", "governance_action_reminders", "missing_rhi_reminders",
             "encompass_reminders", "policy_review_reminders",
             "neglect_licence_reminders",
             "audits_return_reminders"}
JOBS = REMINDERS | {"indicator_results_rebuild"}


def at(year, month, day, hour=7, minute=30) -> dt.datetime:
    return dt.datetime(year, month, day, hour, minute, tzinfo=LONDON)


def _days(job="review_reminders"):
    return list(ScheduledRun.objects.filter(job=job).order_by("run_for")
                .values_list("run_for", flat=True))


def test_every_job_runs_once_a_day_not_twice(db):
    first = scheduler.enqueue_due(at(2021, 4, 12), claimer="worker-a")
    assert {r.job for r in first} == JOBS
    # A second worker, and the same worker a minute later, find nothing left to claim.
    assert scheduler.enqueue_due(at(2021, 4, 12, 7, 31), claimer="worker-b") == []
    assert scheduler.run_due(at(2021, 4, 12, 18, 0), claimer="cron") == []
    runs = ScheduledRun.objects.all()
    assert runs.count() == len(JOBS)
    assert {r.status for r in runs} == {ScheduledRun.Status.SUCCEEDED}  # immediate backend
    assert {r.claimed_by for r in runs} == {"worker-a"}
    review = runs.get(job="review_reminders")
    assert review.counts == {"on": "2021-04-12", "sent": {}} and review.finished_at


def test_two_workers_racing_for_the_same_day_one_wins_on_the_unique_constraint(db, monkeypatch):
    # Both workers read "no run yet" before either writes: only the database can decide.
    real_due_days = scheduler.due_days
    monkeypatch.setattr(scheduler, "due_days", lambda job, moment, last: real_due_days(
        job, moment, None))
    won_a = scheduler.claim_due(at(2021, 4, 12), claimer="worker-a")
    won_b = scheduler.claim_due(at(2021, 4, 12), claimer="worker-b")
    assert {r.job for r in won_a} == JOBS and won_b == []
    assert ScheduledRun.objects.count() == len(JOBS)


def _reminders(runs) -> list:
    return [r for r in runs if r.job in REMINDERS]


def test_nothing_is_due_before_the_configured_time_or_on_a_non_working_day(db):
    assert _reminders(scheduler.enqueue_due(at(2021, 4, 12, 6, 59))) == []
    assert _reminders(scheduler.enqueue_due(at(2021, 4, 12, 7, 0))) != []
    assert _reminders(scheduler.enqueue_due(at(2021, 4, 16, 12, 0))) != []  # Friday
    # Saturday and Sunday are not working days: no reminders, but the figures are rebuilt.
    saturday = scheduler.enqueue_due(at(2021, 4, 17, 12, 0))
    assert [r.job for r in saturday] == ["indicator_results_rebuild"]
    assert _reminders(scheduler.enqueue_due(at(2021, 4, 18, 12, 0))) == []


def test_a_missed_day_is_caught_up_once(db):
    scheduler.enqueue_due(at(2021, 4, 8))  # Thursday 8 April 2021
    # The worker is down on Friday 9 and Monday 12 April; it is back on Tuesday 13.
    runs = scheduler.enqueue_due(at(2021, 4, 13, 9, 0))
    assert sorted((r.job, r.run_for, r.caught_up) for r in runs if r.job == "review_reminders") \
        == [("review_reminders", dt.date(2021, 4, 9), True),
            ("review_reminders", dt.date(2021, 4, 12), True),
            ("review_reminders", dt.date(2021, 4, 13), False)]
    assert scheduler.enqueue_due(at(2021, 4, 13, 9, 1)) == []
    assert _days() == [dt.date(2021, 4, d) for d in (8, 9, 12, 13)]


def test_days_beyond_the_catch_up_window_are_not_run(db):
    scheduler.enqueue_due(at(2021, 3, 1))
    scheduler.enqueue_due(at(2021, 3, 22))  # three weeks later: the last seven days only
    assert _days() == [dt.date(2021, 3, 1), dt.date(2021, 3, 15), dt.date(2021, 3, 16),
                       dt.date(2021, 3, 17), dt.date(2021, 3, 18), dt.date(2021, 3, 19),
                       dt.date(2021, 3, 22)]


def test_a_failure_is_recorded_and_the_other_jobs_still_run(db, monkeypatch):
    from safeguarding.reviews import reminders

    def broken(**kwargs):
        raise RuntimeError("mail server refused the connection")

    monkeypatch.setattr(reminders, "send_reminders", broken)
    runs = scheduler.run_due(at(2021, 4, 12))
    outcome = {r.job: (r.status, r.error) for r in runs}
    assert outcome["review_reminders"] == (
        "failed", "RuntimeError: mail server refused the connection")
    assert outcome["child_death_reminders"][0] == "succeeded"
    # A failed day is not run again by itself: the administrator sees it on the page.
    assert scheduler.run_due(at(2021, 4, 12, 9, 0)) == []


def test_the_reminders_command_runs_the_due_jobs_once(db):
    out = io.StringIO()
    call_command("reminders", "--at", "2021-04-12T08:00", stdout=out)
    assert "review_reminders for 2021-04-12: Succeeded" in out.getvalue()
    out = io.StringIO()
    call_command("reminders", "--at", "2021-04-12T09:00", stdout=out)
    assert "Nothing due" in out.getvalue()
    with pytest.raises(CommandError, match="--at must be"):
        call_command("reminders", "--at", "tomorrow")


# The worker closes its database connection between tasks, as a long-running process
# should; inside a test transaction (PostgreSQL) that would end the test's transaction.
@pytest.mark.django_db(transaction=True)
def test_the_worker_enqueues_and_runs_the_due_jobs(settings, monkeypatch):
    settings.TASKS = {"default": {"BACKEND": "django_tasks_db.DatabaseBackend"}}
    monkeypatch.setattr(scheduler, "now", lambda: at(2021, 4, 12))
    call_command("worker", "--batch", "--no-startup-delay", "--no-reload", stdout=io.StringIO())
    runs = ScheduledRun.objects.all()
    assert {r.job for r in runs} == JOBS
    assert {r.status for r in runs} == {ScheduledRun.Status.SUCCEEDED}
    assert all(r.task_id for r in runs)
    call_command("worker", "--batch", "--no-startup-delay", "--no-reload", stdout=io.StringIO())
    assert ScheduledRun.objects.count() == len(JOBS)


# The worker closes its database connection between tasks, as a long-running process
# should; inside a test transaction (PostgreSQL) that would end the test's transaction.
@pytest.mark.django_db(transaction=True)
def test_the_long_running_worker_schedules_then_runs_the_queue(settings, monkeypatch):
    settings.TASKS = {"default": {"BACKEND": "django_tasks_db.DatabaseBackend"}}
    monkeypatch.setattr(scheduler, "now", lambda: at(2021, 4, 12))
    # Not batch mode: it would keep going; one task per job of the day and it stops.
    call_command("worker", "--max-tasks", str(len(JOBS)), "--no-startup-delay", "--no-reload",
                 "--interval", "0", stdout=io.StringIO())
    assert {r.status for r in ScheduledRun.objects.all()} == {ScheduledRun.Status.SUCCEEDED}


def test_administrators_see_the_last_runs(client_for):
    scheduler.run_due(at(2021, 4, 12))
    page = client_for("admin").get("/scheduled-jobs/")
    text = page.content.decode()
    assert page.status_code == 200
    assert "Learning review reminders" in text and "Monday 12 April 2021" in text
    assert "Succeeded" in text
    assert client_for("business.staffs").get("/scheduled-jobs/").status_code == 403
