"""The test suite's copy of the small demo world (tests/conftest.py) is what a build writes.

Two builds differ from each other in a few columns (the moments rows were stamped, the
password hashes' random salts, the audit chain's hashes over both); the copy may differ
from a build there and nowhere else.
"""

from __future__ import annotations

import time

from django.db import connection, transaction

from safeguarding.core.audit import audit_verify
from safeguarding.core.models import User
from safeguarding.demo import builder
from safeguarding.demo.people import DEMO_PASSWORD
from tests.conftest import DEMO_WORLD, DemoWorldSnapshot, _rows


def _database(tables) -> dict[str, list[tuple]]:
    """Each table's rows by their first column: SQLite's values; PostgreSQL's COPY lines,
    split into fields, in the order of their ids (which differ from build to build there,
    and follow the order the build wrote the rows in)."""
    with connection.cursor() as cursor:
        found = _rows(cursor, tables, connection.vendor)
    if connection.vendor == "postgresql":
        def written(row):
            return (0, int(row[0]), b"") if row[0].isdigit() else (1, 0, row[0])

        return {table: sorted((tuple(line.rstrip(b"\n").split(b"\t")) for line in rows), key=written)
                for table, (_, rows) in found.items()}
    return {table: sorted(rows, key=lambda row: repr(row[0])) for table, (_, rows) in found.items()}


def _build() -> tuple[dict, dict[str, list[tuple]], float]:
    with transaction.atomic():
        started = time.process_time()
        result = builder.build(**DEMO_WORLD)
        seconds = time.process_time() - started
        rows = _database(_tables())
        transaction.set_rollback(True)
    return result, rows, seconds


def _tables() -> list[str]:
    with connection.cursor() as cursor:
        return [t.name for t in connection.introspection.get_table_list(cursor) if t.type == "t"]


def _varying(a: list[tuple], b: list[tuple]) -> set[int]:
    return {i for x, y in zip(a, b, strict=True) for i, (u, v) in enumerate(zip(x, y, strict=True))
            if u != v}


def _masked(rows: list[tuple], columns: set[int]) -> list[tuple]:
    return [tuple("<varies>" if i in columns else v for i, v in enumerate(row)) for row in rows]


def test_the_copied_demo_world_is_the_built_one_row_for_row(demo_world_snapshot, db):
    assert demo_world_snapshot.usable, "the build changed rows already there, so no copy is used"
    # The process's copy fits only where the database stands as when it was taken, which
    # an earlier test in this process may have moved; a copy taken here always fits.
    demo_world_snapshot = DemoWorldSnapshot(connection)
    assert demo_world_snapshot.usable

    with transaction.atomic():
        started = time.process_time()
        copied_result = demo_world_snapshot.restore(connection)
        copy_seconds = time.process_time() - started
        assert copied_result is not None, "the database did not stand where the copy expects"
        copied = _database(_tables())
        assert audit_verify()[1] is None, "the copy's audit chain is broken"
        assert User.objects.get(username="admin").check_password(DEMO_PASSWORD)
        transaction.set_rollback(True)
    built_result, built, build_seconds = _build()
    _, again, _ = _build()
    print(f"\ndemo world: copy {copy_seconds:.3f} s CPU, build {build_seconds:.3f} s CPU")

    assert copied_result == built_result
    assert sum(map(len, built.values())) > 100
    for table, rows in built.items():
        assert len(copied[table]) == len(rows) == len(again[table]), table
        varying = _varying(rows, again[table])
        assert _masked(copied[table], varying) == _masked(rows, varying), (
            f"{table} differs between the copy and a build")
