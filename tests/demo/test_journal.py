"""A national build on SQLite runs with a rollback journal and leaves the database in WAL mode."""

from __future__ import annotations

import sqlite3
from contextlib import contextmanager

import pytest

from safeguarding.demo import builder


class _Connection:
    """The part of Django's connection ``journal_for`` uses, over a file of our own."""

    def __init__(self, path, vendor: str = "sqlite"):
        self.vendor = vendor
        self.db = sqlite3.connect(path, isolation_level=None)

    @contextmanager
    def cursor(self):
        yield self.db.cursor()

    def mode(self) -> str:
        return self.db.execute("PRAGMA journal_mode").fetchone()[0]


@pytest.fixture
def wal_file(tmp_path):
    path = tmp_path / "demo.sqlite3"
    first = _Connection(path)
    first.db.execute("PRAGMA journal_mode=WAL")
    first.db.execute("CREATE TABLE t (x)")
    first.db.close()
    return path


def test_a_national_build_writes_with_a_rollback_journal_then_wal_again(wal_file):
    connection = _Connection(wal_file)
    with builder.journal_for("national", connection) as mode:
        assert mode == "delete" == connection.mode()
        connection.db.execute("INSERT INTO t VALUES (1)")
        assert not wal_file.with_name("demo.sqlite3-wal").exists()
    assert connection.mode() == "wal"
    assert connection.db.execute("SELECT x FROM t").fetchall() == [(1,)]


def test_the_mode_comes_back_when_the_build_fails(wal_file):
    connection = _Connection(wal_file)
    with pytest.raises(RuntimeError), builder.journal_for("national", connection):
        raise RuntimeError("the build stopped")
    assert connection.mode() == "wal"


def test_a_database_another_connection_has_open_keeps_wal(wal_file):
    reader = _Connection(wal_file)
    reader.db.execute("SELECT * FROM t").fetchall()
    connection = _Connection(wal_file)
    with builder.journal_for("national", connection) as mode:
        assert mode == "wal" == connection.mode()
    assert connection.mode() == "wal"


@pytest.mark.parametrize(("scale", "vendor"), [("county", "sqlite"), ("tiny", "sqlite"),
                                               ("national", "postgresql")])
def test_smaller_builds_and_postgresql_are_left_as_they_are(wal_file, scale, vendor):
    connection = _Connection(wal_file, vendor=vendor)
    with builder.journal_for(scale, connection) as mode:
        assert mode == ""
        assert connection.mode() == "wal"
