"""Shared fixtures: a small demo world and clients signed in with both factors."""

from __future__ import annotations

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


@pytest.hookimpl(tryfirst=True)
def pytest_collection_modifyitems(config, items):
    """Mark the tests that cannot touch the database ``db_free``.

    CI's PostgreSQL stage deselects them (``-m "not browser and not db_free"``): they
    have already run on SQLite and would only run again. Tryfirst, so ``-m`` sees the mark.
    """
    for item in items:
        if not _uses_database(item):
            item.add_marker(pytest.mark.db_free)


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


@pytest.fixture(scope="session")
def browser_demo(django_db_setup, django_db_blocker, tmp_path_factory):
    """The whole demo (every module, the returns and DfE's tables), built once for the
    browser tests; ``browser_demo()`` puts it in the database again for each test.

    On SQLite (the browser tests' database is a file) the built database is copied aside
    once with SQLite's backup API and copied back before each test, which is what the
    build would write (it is seeded) at a fraction of its cost. Elsewhere each test
    builds it, as before.
    """
    import sqlite3

    from django.contrib.contenttypes.models import ContentType
    from django.core.management import call_command
    from django.db import connection
    from django.test import override_settings

    from safeguarding.demo import builder

    def build():
        # Tasks run at once in the tests, so a recompute after an upload would run inside
        # the upload's request; the dashboard computes what it shows instead.
        with override_settings(MEASURES_RECOMPUTE_AFTER_IMPORT=False):
            builder.build(seed=7, quiet=True, children_override={"STAFFS": 30, "STOKE": 12})

    if connection.vendor != "sqlite" or connection.is_in_memory_db():
        return build
    saved = tmp_path_factory.mktemp("browser-demo") / "demo.sqlite3"
    with django_db_blocker.unblock():
        build()
        connection.ensure_connection()
        copy = sqlite3.connect(saved)
        connection.connection.backup(copy)
        copy.close()
        call_command("flush", interactive=False, verbosity=0)

    def restore():
        connection.ensure_connection()
        source = sqlite3.connect(saved)
        source.backup(connection.connection)
        source.close()
        ContentType.objects.clear_cache()

    return restore


@pytest.fixture
def demo_world(db):
    """The demo partnerships, agencies and every demo sign-in, with a few children."""
    from safeguarding.demo import builder

    return builder.build(seed=7, quiet=True, children_override={"STAFFS": 30, "STOKE": 12},
                         with_modules=False)


@pytest.fixture(scope="module")
def module_demo_world(django_db_setup, django_db_blocker):
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

    from safeguarding.demo import builder

    with django_db_blocker.unblock(), transaction.atomic():
        try:
            yield builder.build(seed=7, quiet=True, children_override={"STAFFS": 30, "STOKE": 12},
                                with_modules=False)
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
