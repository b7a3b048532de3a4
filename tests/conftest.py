"""Shared fixtures: a small demo world and clients signed in with both factors."""

from __future__ import annotations

import fcntl
import hashlib
import os
import sqlite3
from pathlib import Path

import pytest
from django.test import Client
from django_otp import DEVICE_ID_SESSION_KEY
from django_otp.plugins.otp_totp.models import TOTPDevice
from hypothesis import settings as hypothesis_settings

from safeguarding.core.models import User

# Property tests: no example database left in the working tree, no timing deadline
# (the calendar's properties read the database).
hypothesis_settings.register_profile("safeguarding", database=None, deadline=None)
hypothesis_settings.load_profile("safeguarding")


# The SQLite test database, migrated once and kept in var/test-db/ under a key of every
# migration file and the locked dependencies. Each test process (an xdist worker, the
# browser run) copies it in with SQLite's backup API instead of running the migrations
# again (about 30 s of CPU each); a change to a migration or a dependency makes a new one.
# The first process to need it migrates while holding a lock, so the others wait for it.
_TEMPLATE_DIR = Path(__file__).resolve().parents[1] / "var" / "test-db"
_setting_up_databases = False


def _template_key() -> str:
    import django
    from django.conf import settings

    root = Path(__file__).resolve().parents[1]
    digest = hashlib.sha256(f"{django.get_version()} {sqlite3.sqlite_version} "
                            f"{settings.INSTALLED_APPS}".encode())
    # The models too: an app without migrations gets its tables from them (run_syncdb).
    files = [*(root / "src").glob("safeguarding/**/migrations/*.py"),
             *(root / "src").glob("safeguarding/**/models*.py"),
             *(root / "src").glob("safeguarding/**/models/*.py")]
    for path in sorted(set(files)):
        digest.update(str(path.relative_to(root)).encode())
        digest.update(path.read_bytes())
    digest.update((root / "uv.lock").read_bytes())
    return digest.hexdigest()[:16]


def _migrate_from_template(original):
    def handle(self, *args, **options):
        from django.db import connections

        connection = connections[options.get("database") or "default"]
        if (not _setting_up_databases or options.get("app_label")
                or options.get("migration_name")):
            return original(self, *args, **options)
        if connection.vendor == "postgresql":
            return _migrate_postgresql(connection, lambda: original(self, *args, **options))
        if connection.vendor != "sqlite":
            return original(self, *args, **options)
        _TEMPLATE_DIR.mkdir(parents=True, exist_ok=True)
        key = _template_key()
        template = _TEMPLATE_DIR / f"{key}.sqlite3"
        with open(_TEMPLATE_DIR / "lock", "w") as lock:
            fcntl.flock(lock, fcntl.LOCK_EX)
            if template.exists():
                _copy_into(connection, template)
                return None
            result = original(self, *args, **options)
            _save_copy(connection, template)
            for old in _TEMPLATE_DIR.glob("*.sqlite3"):
                if old != template:
                    old.unlink(missing_ok=True)
            return result

    return handle


def _migrate_postgresql(connection, migrate):
    """PostgreSQL's test database, made from a migrated template database.

    The first process to need it migrates its own test database and copies it to a
    template (``sg_test_<key>``, the key as for SQLite); later processes (the other xdist
    worker, the transactional run) drop their empty test database and create it again
    from the template, which PostgreSQL copies file by file in a second or two.
    """
    _TEMPLATE_DIR.mkdir(parents=True, exist_ok=True)
    template = f"sg_test_{_template_key()}"
    with open(_TEMPLATE_DIR / "lock-postgresql", "w") as lock:
        fcntl.flock(lock, fcntl.LOCK_EX)
        templates = _postgresql_databases(connection, "sg_test_")
        if template in templates:
            _postgresql_recreate(connection, template)
            return None
        result = migrate()
        _save_copy(connection, template)
        _postgresql_drop(connection, templates)
        return result


def _setup_databases_once(original):
    def setup_databases(*args, **kwargs):
        global _setting_up_databases
        _setting_up_databases = True
        try:
            return original(*args, **kwargs)
        finally:
            _setting_up_databases = False

    return setup_databases


def pytest_configure(config):
    import django.test.utils
    from django.core.management.commands import migrate

    if os.environ.get("SG_TEST_DB_TEMPLATE", "1") == "0":
        return
    migrate.Command.handle = _migrate_from_template(migrate.Command.handle)
    django.test.utils.setup_databases = _setup_databases_once(django.test.utils.setup_databases)


# Fixtures through which a test reaches the database. pytest-django refuses database
# access to a test that requests none of them (or its own fixtures' django_db_blocker).
_DB_FIXTURES = {"db", "transactional_db", "django_db_reset_sequences",
                "django_db_serialized_rollback", "live_server", "django_db_setup"}


def _uses_database(item) -> bool:
    if item.get_closest_marker("django_db") or _DB_FIXTURES & set(item.fixturenames):
        return True
    # A project fixture that unblocks the database itself (module_demo_world and the like);
    # pytest-django's own autouse fixtures also take django_db_blocker, and do not count.
    info = getattr(item, "_fixtureinfo", None)
    for definitions in (info.name2fixturedefs.values() if info else ()):
        for definition in definitions:
            module = getattr(definition.func, "__module__", "") or ""
            if "django_db_blocker" in definition.argnames and not module.startswith("pytest_django"):
                return True
    return False


# The browser run collects this folder alone (``make test``): collecting the whole suite to
# select its 11 tests took about 5 s of each of its processes.
_BROWSER_TESTS = Path(__file__).resolve().parent / "browser"


@pytest.hookimpl(tryfirst=True)
def pytest_collection_modifyitems(config, items):
    """Mark the tests that cannot touch the database ``db_free``.

    CI's PostgreSQL stage deselects them (``-m "not browser and not db_free"``): they
    have already run on SQLite and would only run again. Tryfirst, so ``-m`` sees the mark.
    """
    for item in items:
        if not _uses_database(item):
            item.add_marker(pytest.mark.db_free)
        if _transactional(item):
            item.add_marker(pytest.mark.transactional)
        if item.get_closest_marker("browser") and _BROWSER_TESTS not in item.path.parents:
            raise pytest.UsageError(
                f"{item.nodeid}: a browser test must live in tests/browser/, the only folder "
                "make test's browser run collects")


def _transactional(item) -> bool:
    """A test whose database is flushed after it (not rolled back): the flush empties the
    rows the migrations seed (the national theme lists), so ``make test`` runs these on
    their own, after the rest (``-m transactional``)."""
    marker = item.get_closest_marker("django_db")
    if marker is not None and (marker.kwargs.get("transaction") or (marker.args and marker.args[0])):
        return True
    return bool({"transactional_db", "live_server"} & set(item.fixturenames))


@pytest.fixture(scope="session")
def django_db_modify_db_settings(django_db_modify_db_settings_parallel_suffix, request,
                                 tmp_path_factory):
    """Browser tests on SQLite get a database file (in WAL mode, from the base settings).

    The live server answers from its own thread. With SQLite's default in-memory
    test database Django hands that thread the test's own connection, so the test
    body and a request (or a page polling in the background) share one connection,
    and under load SQLite answered "database table is locked". A file gives each
    thread its own connection; WAL lets one read while the other writes, and a
    writer waits (the settings' timeout) rather than failing.
    """
    from django.db import connections

    browser = any(item.get_closest_marker("browser") for item in request.session.items)
    test_settings = connections["default"].settings_dict.setdefault("TEST", {})
    if browser and connections["default"].vendor == "sqlite" and not test_settings.get("NAME"):
        test_settings["NAME"] = str(tmp_path_factory.mktemp("browser-db") / "test.sqlite3")


# The whole demo (every module, its returns and DfE's tables) as the browser tests, the home
# page's tests, the measure values and the demo's reproducibility test use it: seed 7, the
# tiny scale (a child index of 400 and 160, returns of 300 and 120 children). One build serves them all (whole_demo_file).
WHOLE_DEMO = {"seed": 7, "quiet": True}
# Background work as `make demo` leaves it: queued for the task worker (base settings), not
# run inside the build as the tests' immediate backend would. The build's only task is the
# published report's PDF (7 s of a 43 s whole build), which the download renders on
# demand if no worker has (tests/reports/test_publish.py).
QUEUED_TASKS = {"default": {"BACKEND": "django_tasks_db.DatabaseBackend"}}


def demo_fingerprint_parts() -> dict[str, list[str]]:
    """The records builder.fingerprint() digests, readable, to say what differs."""
    from safeguarding.children.models import Child, Involvement
    from safeguarding.core.models import Agency, LocalAuthority, User

    def rows(queryset, *fields):
        return sorted({str(row) for row in queryset.values_list(*fields)})

    return {
        "partnerships": rows(LocalAuthority.objects, "partnership__code", "partnership__name",
                             "old_code"),
        "agencies": rows(Agency.objects, "name", "kind", "partnerships__code"),
        "people": sorted({f"{u.username}|{u.first_name}|{u.last_name}|"
                          f"{sorted(str(m) for m in u.memberships.all())}"
                          for u in User.objects.prefetch_related("memberships")}),
        "children": rows(Child.objects, "partnership__code", "la_child_id", "first_name",
                         "last_name", "date_of_birth", "sex", "ethnicity", "postcode",
                         "nhs_number", "upn", "police_reference", "pseudonym"),
        "involvements": rows(Involvement.objects, "child__la_child_id", "agency__name", "reason",
                             "started_on"),
    }


def _whole_demo_key(params: dict) -> str:
    """A key of everything a whole demo build reads: the migrated database's key, the
    source (code, catalogue and code lists), the data files and the build's arguments."""
    import json

    root = Path(__file__).resolve().parents[1]
    # "kept 3": the kept result holds the build's fingerprint and the build leaves its PDF
    # task queued (a kept build from before either is not reused).
    digest = hashlib.sha256(
        f"kept 3 {_template_key()} {json.dumps(params, sort_keys=True)}".encode())
    files = [path for folder in (root / "src" / "safeguarding", root / "data")
             for path in folder.rglob("*")
             if path.is_file() and "__pycache__" not in path.parts
             and "static" not in path.parts and "templates" not in path.parts]
    for path in sorted(files):
        digest.update(str(path.relative_to(root)).encode())
        digest.update(path.read_bytes())
    return digest.hexdigest()[:16]


def whole_demo_file(django_db_blocker, params: dict) -> tuple[Path | str, dict]:
    """The whole demo built with ``params``, kept, and the build's result.

    SQLite: a file (``Path``); PostgreSQL: a template database (its name, ``sg_demo_...``),
    which ``_copy_into`` makes the test database a copy of.

    Kept under a key of the source, the data and the arguments (``_whole_demo_key``), so
    one build serves every test process that needs the same demo, in this run (the unit
    stage's modules, then the browser run) and in later runs until something it reads
    changes. The first process to need it builds it in its own test database while holding
    a lock, copies it aside (SQLite's backup API, or CREATE DATABASE ... TEMPLATE) and puts
    the migrated template back; the others wait and copy it in.
    """
    import json

    from django.db import connection
    from django.test import override_settings

    from safeguarding.demo import builder

    _TEMPLATE_DIR.mkdir(parents=True, exist_ok=True)
    # One copy per set of arguments; a new key replaces that set's older copy only.
    variant = hashlib.sha256(json.dumps(params, sort_keys=True).encode()).hexdigest()[:8]
    key = _whole_demo_key(params)
    postgresql = connection.vendor == "postgresql"
    if postgresql:
        saved: Path | str = f"sg_demo_{variant}_{key}"
        result_file = _TEMPLATE_DIR / f"{saved}.json"
    else:
        saved = _TEMPLATE_DIR / f"demo-{variant}-{key}.sqlite3"
        result_file = saved.with_suffix(".json")
    with open(_TEMPLATE_DIR / ("lock-demo-postgresql" if postgresql else "lock-demo"),
              "w") as lock:
        fcntl.flock(lock, fcntl.LOCK_EX)
        with django_db_blocker.unblock():
            kept = (saved in _postgresql_databases(connection, f"sg_demo_{variant}_")
                    if postgresql else saved.exists())
            if kept and result_file.exists():
                return saved, json.loads(result_file.read_text())
            # Tasks run at once in the tests, so a recompute after an upload would run
            # inside the upload's request; the dashboard computes what it shows instead.
            with override_settings(MEASURES_RECOMPUTE_AFTER_IMPORT=False, TASKS=QUEUED_TASKS):
                result = builder.build(**params, log=lambda _message: None)
            # What the reproducibility test compares another build of these arguments with.
            result["fingerprint"] = builder.fingerprint()
            result["fingerprint_parts"] = demo_fingerprint_parts()
            _save_copy(connection, saved)
            result_file.write_text(json.dumps(result))
            _restore_migrated(connection)
            if postgresql:
                _postgresql_drop(
                    connection, _postgresql_databases(connection, f"sg_demo_{variant}_") - {saved})
            else:
                for old in _TEMPLATE_DIR.glob(f"demo-{variant}-*"):
                    if old.stem != saved.stem:
                        old.unlink(missing_ok=True)
            return saved, result


def _postgresql_databases(connection, prefix: str) -> set[str]:
    with connection._nodb_cursor() as cursor:
        cursor.execute("SELECT datname FROM pg_database WHERE starts_with(datname, %s)",
                       [prefix])
        return {row[0] for row in cursor.fetchall()}


def _postgresql_drop(connection, names) -> None:
    with connection._nodb_cursor() as cursor:
        for name in names:
            cursor.execute(f"DROP DATABASE IF EXISTS {connection.ops.quote_name(name)}")


def _postgresql_copy(connection, source: str, target: str) -> None:
    """Make ``target`` a new copy of ``source`` (PostgreSQL copies it file by file), replacing
    it whole. A database being copied may have no other connection: this process's
    connection (the only one to its test database) is closed first."""
    connection.close()
    _postgresql_drop(connection, [target])
    quote = connection.ops.quote_name
    with connection._nodb_cursor() as cursor:
        cursor.execute(f"CREATE DATABASE {quote(target)} TEMPLATE {quote(source)}")


def _postgresql_recreate(connection, template: str) -> None:
    """Make the test database a new copy of another database."""
    _postgresql_copy(connection, template, connection.settings_dict["NAME"])


def _copy_into(connection, path: Path | str) -> None:
    """Replace the test database's contents with a kept copy's: a SQLite file (the backup
    API) or a PostgreSQL template database."""
    from django.contrib.contenttypes.models import ContentType

    if connection.vendor == "postgresql":
        _postgresql_recreate(connection, str(path))
        ContentType.objects.clear_cache()
        return
    connection.ensure_connection()
    source = sqlite3.connect(path)
    source.backup(connection.connection)
    source.close()
    if not connection.is_in_memory_db():
        # The browser tests' file: WAL as the settings' init_command makes it.
        connection.connection.execute("PRAGMA journal_mode=WAL")
    ContentType.objects.clear_cache()


def _save_copy(connection, path: Path | str) -> None:
    """Copy the test database aside, replacing any copy of that name whole: a SQLite file
    (the backup API) or a PostgreSQL template database."""
    if connection.vendor == "postgresql":
        _postgresql_copy(connection, connection.settings_dict["NAME"], str(path))
        return
    connection.ensure_connection()
    partial = path.with_suffix(".partial")
    copy = sqlite3.connect(partial)
    connection.connection.backup(copy)
    copy.close()
    os.replace(partial, path)


def _restore_migrated(connection) -> None:
    """Put the migrated, empty test database back (the template every process starts from)."""
    if connection.vendor == "postgresql":
        template: Path | str = f"sg_test_{_template_key()}"
        kept = template in _postgresql_databases(connection, template)
    else:
        template = _TEMPLATE_DIR / f"{_template_key()}.sqlite3"
        kept = template.exists()
    if kept:
        _copy_into(connection, template)
        return
    from django.core.management import call_command

    call_command("flush", interactive=False, verbosity=0)


def empty_before_the_flush() -> None:
    """Put the migrated, empty database back before pytest-django flushes it.

    The flush deletes every table's rows one statement at a time, with the foreign keys
    checked: about three seconds for the whole demo. The next test copies the demo in whole
    anyway, so the database is first made the migrated template (SQLite's backup API, a
    fraction of a second) and the flush then empties tables that hold next to nothing.
    """
    from django.db import connection

    if connection.vendor == "sqlite" and not connection.is_in_memory_db():
        _restore_migrated(connection)


@pytest.fixture(scope="session")
def browser_demo(django_db_setup, django_db_blocker):
    """The whole demo (``WHOLE_DEMO``) for the browser tests; ``browser_demo()`` puts it in
    the database again for each test.

    On SQLite (the browser tests' database is a file) it is copied in from the kept build
    (``whole_demo_file``), which is what the build would write (it is seeded) at a fraction
    of its cost. Elsewhere each test builds it, as before.
    """
    from django.db import connection
    from django.test import override_settings

    from safeguarding.demo import builder

    if connection.vendor != "sqlite" or connection.is_in_memory_db():
        def build():
            with override_settings(MEASURES_RECOMPUTE_AFTER_IMPORT=False,
                                   TASKS=QUEUED_TASKS):
                builder.build(**WHOLE_DEMO)
        return build
    saved, _result = whole_demo_file(django_db_blocker, WHOLE_DEMO)
    return lambda: _copy_into(connection, saved)


def whole_demo_in_database(django_db_blocker, params: dict):
    """Put the whole demo built with ``params`` in the test database for a block; yield
    the build's result.

    It is copied in from the kept build (``whole_demo_file``) and the migrated database is
    put back after the block; tests inside still run in their own rolled-back
    transactions. On another database it is built in a transaction rolled back after it.
    """
    from django.db import connection, transaction
    from django.test import override_settings

    from safeguarding.demo import builder

    if connection.vendor in ("sqlite", "postgresql"):
        saved, result = whole_demo_file(django_db_blocker, params)
        with django_db_blocker.unblock():
            _copy_into(connection, saved)
            try:
                yield result
            finally:
                _restore_migrated(connection)
        return
    with django_db_blocker.unblock(), transaction.atomic(), \
            override_settings(MEASURES_RECOMPUTE_AFTER_IMPORT=False, TASKS=QUEUED_TASKS):
        try:
            yield builder.build(**params, log=lambda _message: None)
        finally:
            transaction.set_rollback(True)


@pytest.fixture(scope="session", autouse=True)
def whole_demo_made_first(request):
    """With ``SAFEGUARDING_WHOLE_DEMO_FIRST`` set, make the kept whole demo before the first
    test, if it is not kept already.

    ``make test`` and CI set it for the transactional tests' process, which starts beside
    the two workers: after a change to the source it builds the demo (about 40 s) while
    they run other files, instead of one worker building it while the other, wanting it
    too, waits for its lock with a core idle."""
    if not os.environ.get("SAFEGUARDING_WHOLE_DEMO_FIRST"):
        return
    request.getfixturevalue("django_db_setup")
    whole_demo_file(request.getfixturevalue("django_db_blocker"), WHOLE_DEMO)


@pytest.fixture(scope="module")
def module_whole_demo(django_db_setup, django_db_blocker):
    """The whole demo (``WHOLE_DEMO``) for a whole test module; yields the build's result."""
    yield from whole_demo_in_database(django_db_blocker, WHOLE_DEMO)


DEMO_WORLD = {"seed": 7, "quiet": True, "children_override": {"STAFFS": 30, "STOKE": 12},
              "with_modules": False}


class DemoWorldSnapshot:
    """The rows one build of the small demo world adds, taken once per test process.

    The build is seeded, so inside a test's rolled-back transaction it writes the same rows
    in every test. They are taken once (from a build rolled back at once) and inserted
    again for each test, which gives the test the database the build would have left, at
    a fraction of its cost. The copy is used only when the database stands where it stood
    when the copy was taken (as in a fresh test); otherwise the test builds as before.

    - SQLite: the build starts from the same row ids each time (its id counters roll back
      with the test), so the copy is used when the counters stand where they stood.
    - PostgreSQL: sequences do not roll back, so each later test would get new ids. The
      copy keeps the ids of the build it was taken from (inserting an explicit id is
      allowed; no later row can hold one, as the sequences have passed them), and is used
      when every table holds the rows, by count and highest id, it held then. Rows move
      as COPY's text lines, which round-trip every column type unchanged.
    """

    def __init__(self, connection):
        from django.db import transaction

        from safeguarding.demo import builder

        self.usable = False
        self.vendor = connection.vendor
        with connection.cursor() as cursor, transaction.atomic():
            if _inserts_behind_the_build(cursor, self.vendor):
                return  # rows written behind the build's back: build each time
            tables = [t.name for t in connection.introspection.get_table_list(cursor)
                      if t.type == "t"]
            self.state = _state(cursor, tables, self.vendor)
            before = _rows(cursor, tables, self.vendor)
            self.result = builder.build(**DEMO_WORLD)
            after = _rows(cursor, tables, self.vendor)
            self.state_after = _state(cursor, tables, self.vendor)
            transaction.set_rollback(True)
        self.added: dict[str, tuple[list[str], list]] = {}
        for table, (columns, rows) in after.items():
            old = before[table][1]
            remaining = set(rows)
            if any(row not in remaining for row in old):
                return  # the build changed or removed a row already there: build each time
            kept = set(old)
            new = [row for row in rows if row not in kept]
            if new:
                self.added[table] = (columns, new)
        self.usable = True

    def restore(self, connection) -> dict | None:
        """Insert the build's rows and return its result, or None if the copy does not fit."""
        import copy

        if not self.usable:
            return None
        with connection.cursor() as cursor:
            if _state(cursor, list(self.state), self.vendor) != self.state:
                return None
            quote = connection.ops.quote_name
            for table, (columns, rows) in self.added.items():
                names = ", ".join(quote(c) for c in columns)
                if self.vendor == "postgresql":
                    with cursor.cursor.copy(f"COPY {quote(table)} ({names}) FROM STDIN") as out:
                        for line in rows:
                            out.write(line)
                    continue
                marks = ", ".join(["%s"] * len(columns))
                cursor.executemany(f"INSERT INTO {quote(table)} ({names}) VALUES ({marks})",  # noqa: S608
                                   rows)
            if self.vendor == "postgresql":
                _sequences_past(cursor, [table for table, (columns, _rows) in self.added.items()
                                         if "id" in columns], quote)
            if _state(cursor, list(self.state_after), self.vendor) != self.state_after:
                raise AssertionError("the demo world's copy left the database elsewhere than "
                                     "its build did")
        return copy.deepcopy(self.result)


def _sequences_past(cursor, tables, quote) -> None:
    """Move each table's id sequence past the highest id it holds, never back.

    The copy keeps its build's ids. The sequences had passed them when it was taken, but a
    test database made again from the migrated template (after a module that had the whole
    demo copied in) starts its sequences again at 1, and the next new row would take an id
    the copy already holds."""
    for table in tables:
        cursor.execute("SELECT pg_get_serial_sequence(%s, 'id')", [table])
        sequence = cursor.fetchone()[0]
        if sequence is None:
            continue
        cursor.execute(
            f"SELECT setval(%s, GREATEST((SELECT last_value FROM {sequence}), "  # noqa: S608
            f"(SELECT max(id) FROM {quote(table)})))", [sequence])


def _inserts_behind_the_build(cursor, vendor: str) -> bool:
    """Whether the database writes rows of its own on an insert (a trigger, a full-text
    table): a copy would then write them twice."""
    if vendor == "postgresql":
        # pg_trigger.tgtype bit 2 (value 4): the trigger fires on INSERT.
        cursor.execute("SELECT count(*) FROM pg_trigger WHERE NOT tgisinternal "
                       "AND (tgtype::int & 4) <> 0")
    else:
        cursor.execute("SELECT count(*) FROM sqlite_master WHERE type = 'trigger' "
                       "OR sql LIKE 'CREATE VIRTUAL TABLE%'")
    return bool(cursor.fetchone()[0])


def _state(cursor, tables, vendor: str) -> dict:
    """Where the database stands: SQLite's id counters; on PostgreSQL each table's row
    count and highest id (ids are never reused there)."""
    if vendor != "postgresql":
        cursor.execute("SELECT name, seq FROM sqlite_sequence")
        return dict(cursor.fetchall())
    from django.db import connection

    quote = connection.ops.quote_name
    cursor.execute("SELECT table_name FROM information_schema.columns "
                   "WHERE table_schema = current_schema() AND column_name = 'id' "
                   "AND data_type IN ('integer', 'bigint', 'smallint')")
    with_id = {row[0] for row in cursor.fetchall()}
    found = {}
    # One query per batch of tables: a row of (count, max) pairs.
    for start in range(0, len(tables), 200):
        batch = tables[start:start + 200]
        selects = ", ".join(
            f"(SELECT count(*) FROM {quote(t)}), "  # noqa: S608
            f"({_highest_id(t, quote) if t in with_id else 'SELECT 0'})"
            for t in batch)
        cursor.execute(f"SELECT {selects}")  # noqa: S608
        row = cursor.fetchone()
        for i, table in enumerate(batch):
            found[table] = (row[2 * i], row[2 * i + 1])
    return found


def _highest_id(table: str, quote) -> str:
    return f"SELECT max(id) FROM {quote(table)}"  # noqa: S608


def _rows(cursor, tables, vendor: str) -> dict[str, tuple[list[str], list]]:
    """Each table's rows as the database stores them, to write back unchanged.

    SQLite: ``+column`` (a no-op that drops the declared type) keeps Django's converters
    away. PostgreSQL: COPY's text lines."""
    from django.db import connection

    quote = connection.ops.quote_name
    found = {}
    for table in tables:
        if vendor == "postgresql":
            columns = [c.name for c in
                       connection.introspection.get_table_description(cursor, table)]
            names = ", ".join(quote(c) for c in columns)
            with cursor.cursor.copy(f"COPY {quote(table)} ({names}) TO STDOUT") as source:
                data = b"".join(bytes(block) for block in source)
            found[table] = (columns, [line + b"\n" for line in data.split(b"\n") if line])
            continue
        # PRAGMA table_info: Django's description also parses each table's SQL for its
        # collations (4.4 s for the 204 tables, twice, against a few milliseconds).
        cursor.execute(f"PRAGMA table_info({quote(table)})")
        columns = [row[1] for row in cursor.fetchall()]
        cursor.execute(f"SELECT {', '.join('+' + quote(c) for c in columns)} "  # noqa: S608
                       f"FROM {quote(table)}")
        found[table] = (columns, cursor.fetchall())
    return found


@pytest.fixture(scope="session")
def demo_world_snapshot(django_db_setup, django_db_blocker):
    """One build of the small demo world per test process, kept as rows."""
    from django.db import connection

    if connection.vendor not in ("sqlite", "postgresql"):
        return None
    with django_db_blocker.unblock():
        return DemoWorldSnapshot(connection)


def build_demo_world(snapshot: DemoWorldSnapshot | None) -> dict:
    """The small demo world: its rows copied in when they fit, else built."""
    from django.db import connection

    from safeguarding.demo import builder

    result = snapshot.restore(connection) if snapshot is not None else None
    return result if result is not None else builder.build(**DEMO_WORLD)


@pytest.fixture
def demo_world(demo_world_snapshot, db):
    """The demo partnerships, agencies and every demo sign-in, with a few children."""
    return build_demo_world(demo_world_snapshot)


@pytest.fixture(scope="module")
def module_demo_world(demo_world_snapshot, django_db_setup, django_db_blocker):
    """The same demo world, built once for a whole test module and rolled back at its end.

    A module opts in by overriding demo_world::

        @pytest.fixture
        def demo_world(module_demo_world, db):
            return module_demo_world

    Each test still runs in its own transaction inside this one, so what a test
    changes is undone before the next. Only for modules whose every test may see
    the demo data.
    """
    from django.db import transaction

    with django_db_blocker.unblock(), transaction.atomic():
        try:
            yield build_demo_world(demo_world_snapshot)
        finally:
            transaction.set_rollback(True)


def sign_in(client: Client, user: User) -> Client:
    """Sign a client in as if the person had entered a password and a security code."""
    client.force_login(user)
    device = TOTPDevice.objects.filter(user=user, confirmed=True).first()
    if device is None:
        device = TOTPDevice.objects.create(user=user, name="Test", confirmed=True)
    session = client.session
    session[DEVICE_ID_SESSION_KEY] = device.persistent_id
    session.save()
    return client


@pytest.fixture
def client_for(demo_world):
    """Return a function giving a fully signed-in client for a demo username."""

    def make(username: str) -> Client:
        return sign_in(Client(), User.objects.get(username=username))

    return make
