"""The test suite's copy of the small demo world (tests/conftest.py) is what a build writes,
but for the moments its rows were stamped (the one build's, earlier in the session)."""

from __future__ import annotations

import re
import time

import pytest
from django.db import connection, transaction

from safeguarding.demo import builder
from tests.conftest import DEMO_WORLD, _rows

# A moment (created or updated at): the copy's rows carry the moment of the one build.
STAMP = re.compile(r"^\d{4}-\d{2}-\d{2}[ T]\d{2}:\d{2}:\d{2}")


def _database(tables) -> dict[str, list[tuple]]:
    with connection.cursor() as cursor:
        return {table: sorted((tuple("<moment>" if isinstance(v, str) and STAMP.match(v) else v
                                     for v in row) for row in rows), key=repr)
                for table, (_, rows) in _rows(cursor, tables).items()}


def test_the_copied_demo_world_is_the_built_one_row_for_row(demo_world_snapshot, db):
    if demo_world_snapshot is None:
        pytest.skip("the copy is taken on SQLite only; PostgreSQL builds the world each time")
    assert demo_world_snapshot.usable, "the build changed rows already there, so no copy is used"
    with connection.cursor() as cursor:
        tables = [t.name for t in connection.introspection.get_table_list(cursor) if t.type == "t"]

    with transaction.atomic():
        started = time.process_time()
        copied_result = demo_world_snapshot.restore(connection)
        copy_seconds = time.process_time() - started
        assert copied_result is not None, "the id counters did not stand where the copy expects"
        copied = _database(tables)
        transaction.set_rollback(True)
    with transaction.atomic():
        started = time.process_time()
        built_result = builder.build(**DEMO_WORLD)
        build_seconds = time.process_time() - started
        built = _database(tables)
        transaction.set_rollback(True)

    print(f"\ndemo world: copy {copy_seconds:.3f} s CPU, build {build_seconds:.3f} s CPU")
    assert copied_result == built_result
    assert sum(map(len, built.values())) > 100
    for table in tables:
        assert copied[table] == built[table], f"{table} differs between the copy and a build"
