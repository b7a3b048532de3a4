"""An import whose process dies: its record never stays "running", and never lies.

bench/faults.py kills real import processes with SIGKILL; these tests pin the
two rules it relies on, in one process.
"""

from __future__ import annotations

import datetime as dt
from unittest import mock

import pytest
from django.utils import timezone

from safeguarding.datasets import services
from safeguarding.datasets.models import CinChild, DatasetImport, ImportKind, ImportStatus


class ProcessDied(BaseException):
    """Stands for SIGKILL: not an Exception, so nothing in the service catches it."""


def _running(partnership, started_at) -> DatasetImport:
    return DatasetImport.objects.create(
        kind=ImportKind.CIN_CENSUS, partnership=partnership, file_name="cin.xml",
        status=ImportStatus.RUNNING, actor_label="command line", started_at=started_at)


def test_an_import_left_running_by_a_dead_process_is_marked_interrupted(staffs):
    now = timezone.now()
    dead = _running(staffs, now - services.STUCK_AFTER - dt.timedelta(minutes=1))
    live = _running(staffs, now - dt.timedelta(minutes=10))

    assert services.imports_interrupted_mark(now=now) == 1

    dead.refresh_from_db()
    live.refresh_from_db()
    assert dead.status == ImportStatus.CRASHED and dead.is_finished
    assert "interrupted" in dead.summary and "nothing from the file was loaded" in dead.summary
    assert dead.finished_at == now
    assert live.status == ImportStatus.RUNNING


def test_the_next_import_marks_an_old_interrupted_one(staffs, census):
    dead = _running(staffs, timezone.now() - services.STUCK_AFTER - dt.timedelta(hours=1))
    record = services.import_file(actor=None, partnership=staffs, kind=ImportKind.CIN_CENSUS,
                                  path=census(children=5))
    assert record.status == ImportStatus.LOADED, record.summary
    dead.refresh_from_db()
    assert dead.status == ImportStatus.CRASHED


def test_a_process_dying_after_the_load_commits_leaves_the_record_saying_loaded(staffs, census):
    path = census(children=5)
    real_load = services._load

    def load_then_die(*args, **kwargs):
        real_load(*args, **kwargs)
        raise ProcessDied  # after the commit, before the record's final save

    with mock.patch.object(services, "_load", load_then_die), pytest.raises(ProcessDied):
        services.import_file(actor=None, partnership=staffs, kind=ImportKind.CIN_CENSUS,
                             path=path)

    record = DatasetImport.objects.get()
    assert CinChild.objects.count() == 5
    assert record.status == ImportStatus.LOADED
    assert record.counts["children"] == 5
    # ... so the sweep for dead imports leaves it alone.
    assert services.imports_interrupted_mark(now=timezone.now() + dt.timedelta(days=1)) == 0


def test_the_worker_marks_interrupted_imports_on_each_look_at_the_timetable(staffs):
    from safeguarding.core.signals import worker_tick

    dead = _running(staffs, timezone.now() - services.STUCK_AFTER - dt.timedelta(minutes=1))
    worker_tick.send(sender=None)
    dead.refresh_from_db()
    assert dead.status == ImportStatus.CRASHED
