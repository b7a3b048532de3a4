"""Issue 11, finding 6: session rotation, lockout, no-store, hashed backup codes,
the API schema behind sign-in, and deployment checks for hosts and the pseudonym key."""

from __future__ import annotations

import pytest
from django.conf import settings
from django.contrib.sessions.backends.db import SessionStore
from django.core.checks import run_checks
from django.db import connection
from django.test import Client, override_settings
from django.urls import reverse

from safeguarding.core import two_factor
from safeguarding.core.models import User
from safeguarding.demo.people import DEMO_PASSWORD
from tests.support import make_child, totp_now

pytestmark = pytest.mark.django_db


@pytest.fixture
def demo_world(module_demo_world, db):
    return module_demo_world


def password(client: Client, username: str, secret: str = DEMO_PASSWORD, ip: str = "10.0.0.1"):
    return client.post("/sign-in/", {"username": username, "password": secret},
                       REMOTE_ADDR=ip)


def totp_device(username: str):
    from django_otp.plugins.otp_totp.models import TOTPDevice

    return TOTPDevice.objects.get(user__username=username, confirmed=True)


# --- b. the session id changes at the second factor --------------------------------------------


class TestSessionRotation:
    def _check(self, code_for) -> None:
        client = Client()
        assert password(client, "social.worker")["Location"] == "/two-factor/"
        before = client.session.session_key
        response = client.post("/two-factor/", {"code": code_for()})
        assert response.status_code == 302 and response["Location"] == "/"
        after = client.session.session_key
        assert after and after != before
        # The old id no longer names a session, so it signs nobody in.
        assert not SessionStore().exists(before)
        stale = Client()
        stale.cookies[settings.SESSION_COOKIE_NAME] = before
        assert stale.get("/")["Location"].startswith("/sign-in/")
        assert client.get("/").status_code == 200

    def test_after_an_authenticator_code(self, demo_world):
        self._check(lambda: totp_now(totp_device("social.worker")))

    def test_after_a_backup_code(self, demo_world):
        codes = two_factor.backup_codes_issue(user=User.objects.get(username="social.worker"))
        self._check(lambda: codes[0])


# --- c. lockout by person, not by address ------------------------------------------------------


class TestLockout:
    def test_one_persons_failures_do_not_lock_another_at_the_same_address(self, demo_world):
        for _ in range(settings.AXES_FAILURE_LIMIT):
            password(Client(), "social.worker", "wrong", ip="10.9.9.9")
        response = password(Client(), "police.officer", ip="10.9.9.9")
        assert response.status_code == 302 and response["Location"] == "/two-factor/"

    def test_the_person_is_locked_after_the_limit_from_anywhere(self, demo_world):
        for _ in range(settings.AXES_FAILURE_LIMIT):
            password(Client(), "social.worker", "wrong", ip="10.9.9.9")
        assert password(Client(), "social.worker", ip="10.9.9.9").status_code == 429
        assert password(Client(), "social.worker", ip="10.1.2.3").status_code == 429


# --- d. Cache-Control: no-store on everything personal -----------------------------------------


def _no_store(response) -> bool:
    directives = {d.strip() for d in response.get("Cache-Control", "").split(",")}
    return {"no-store", "private"} <= directives


class TestNoStore:
    def test_identifiable_pages_are_not_stored(self, demo_world, client_for):
        from safeguarding.core.models import Partnership
        from tests.support import home_agency

        worker = User.objects.get(username="social.worker")
        child = make_child(Partnership.objects.get(code="STAFFS"), home_agency(worker))
        pages = {
            "social.worker": ["/", reverse("children:list"),
                              reverse("children:detail", args=[child.pk]),
                              reverse("children:list") + "?q=Test"],
            "admin": [reverse("core:audit-log"), reverse("core:people-list")],
            "business.staffs": [reverse("child_deaths:list"), reverse("child_deaths:exports"),
                                reverse("reviews:incident-list")],
        }
        for username, urls in pages.items():
            client = client_for(username)
            for url in urls:
                response = client.get(url)
                assert response.status_code in (200, 302), (username, url)
                assert _no_store(response), (username, url, response.get("Cache-Control"))

    def test_the_api_is_not_stored(self, demo_world, client_for):
        client = client_for("social.worker")
        for url in ("/api/me", "/api/children", "/api/openapi.json"):
            response = client.get(url)
            assert response.status_code == 200, url
            assert _no_store(response), url
        # Refusals too: they still say who asked.
        assert _no_store(Client().get("/api/children"))

    def test_static_files_may_be_cached(self, demo_world):
        response = Client().get(settings.STATIC_URL + "no-such-file.css")
        assert "no-store" not in response.get("Cache-Control", "")


# --- e. backup codes are kept only as hashes ---------------------------------------------------


class TestHashedBackupCodes:
    def test_the_database_holds_no_code_in_clear(self, demo_world):
        user = User.objects.get(username="social.worker")
        codes = two_factor.backup_codes_issue(user=user)
        with connection.cursor() as cursor:
            for table in connection.introspection.table_names():
                if "token" not in table and "backup" not in table and "static" not in table:
                    continue
                columns = [c.name for c in connection.introspection.get_table_description(
                    cursor, table)]
                cursor.execute(f'SELECT * FROM "{table}"')  # noqa: S608 - names from introspection
                for row in cursor.fetchall():
                    text = " ".join(str(v) for v in row)
                    assert not any(code in text for code in codes), (table, columns)
        assert two_factor.backup_codes_left(user) == 10

    def test_a_code_works_once_and_a_wrong_one_fails(self, demo_world):
        user = User.objects.get(username="social.worker")
        codes = two_factor.backup_codes_issue(user=user)
        wrong = next(f"{n:08d}" for n in range(10**8) if f"{n:08d}" not in codes)
        assert two_factor.verify(user, wrong) is None
        _let_throttle_pass(user)
        assert two_factor.verify(user, codes[3]) is not None
        assert two_factor.backup_codes_left(user) == 9
        _let_throttle_pass(user)
        assert two_factor.verify(user, codes[3]) is None


def _let_throttle_pass(user) -> None:
    import datetime as dt

    from django.utils import timezone
    from django_otp import devices_for_user

    for device in devices_for_user(user):
        if hasattr(device, "throttling_failure_timestamp"):
            type(device).objects.filter(pk=device.pk).update(
                throttling_failure_timestamp=timezone.now() - dt.timedelta(minutes=5),
                throttling_failure_count=0)


# --- f. the API's schema is for people and systems that may use the API ------------------------


class TestApiSchema:
    def test_anonymous_and_password_only_are_refused(self, demo_world):
        assert Client().get("/api/openapi.json").status_code == 401
        half = Client()
        password(half, "social.worker")
        assert half.get("/api/openapi.json").status_code == 401
        bad = Client().get("/api/openapi.json", HTTP_AUTHORIZATION="Bearer not-a-token")
        assert bad.status_code == 401

    def test_signed_in_with_both_factors_gets_the_schema(self, demo_world, client_for):
        response = client_for("social.worker").get("/api/openapi.json")
        assert response.status_code == 200
        assert "/api/children" in response.json()["paths"]

    def test_a_valid_token_gets_the_schema(self, demo_world):
        from tests.api.test_api import issue_token

        _, raw = issue_token("key.adult.brook")
        response = Client().get("/api/openapi.json", HTTP_AUTHORIZATION=f"Bearer {raw}")
        assert response.status_code == 200
        assert "/api/children" in response.json()["paths"]


# --- g. deployment checks: hosts and the pseudonym key -----------------------------------------


def _deploy_ids() -> set[str]:
    return {m.id for m in run_checks(include_deployment_checks=True, tags=["safeguarding"])}


class TestDeployChecks:
    GOOD_KEY = "Vq7-pL2xR9mZt4Kc8sWb1Nf6Hy3Dj5Ge"

    def test_a_wildcard_host_is_an_error(self):
        with override_settings(ALLOWED_HOSTS=["*"], PSEUDONYM_KEY=self.GOOD_KEY):
            assert "safeguarding.E001" in _deploy_ids()
        with override_settings(ALLOWED_HOSTS=["partnership.example.org", "*"],
                               PSEUDONYM_KEY=self.GOOD_KEY):
            assert "safeguarding.E001" in _deploy_ids()

    def test_an_empty_host_list_is_an_error(self):
        with override_settings(ALLOWED_HOSTS=[], PSEUDONYM_KEY=self.GOOD_KEY):
            assert "safeguarding.E001" in _deploy_ids()

    def test_a_short_or_repetitive_pseudonym_key_is_an_error(self):
        for key in ("x", "a" * 40, "0123456789" * 2, ""):
            with override_settings(ALLOWED_HOSTS=["partnership.example.org"], PSEUDONYM_KEY=key):
                assert "safeguarding.E002" in _deploy_ids(), key

    def test_a_good_configuration_passes(self):
        with override_settings(ALLOWED_HOSTS=["partnership.example.org"],
                               PSEUDONYM_KEY=self.GOOD_KEY):
            assert not {"safeguarding.E001", "safeguarding.E002"} & _deploy_ids()

    def test_the_checks_run_only_with_deploy(self):
        with override_settings(ALLOWED_HOSTS=["*"], PSEUDONYM_KEY="x"):
            plain = {m.id for m in run_checks(tags=["safeguarding"])}
        assert not {"safeguarding.E001", "safeguarding.E002"} & plain


class TestBackupCodeMigration:
    def test_codes_kept_in_clear_are_hashed_and_still_work_once(self, demo_world):
        import importlib

        from django.apps import apps
        from django_otp.plugins.otp_static.models import StaticDevice, StaticToken

        user = User.objects.get(username="health.visitor")
        old = StaticDevice.objects.create(user=user, name="Backup codes", confirmed=True)
        StaticToken.objects.bulk_create(StaticToken(device=old, token=t)
                                        for t in ("12345678", "87654321"))
        migration = importlib.import_module(
            "safeguarding.core.migrations.0006_hash_existing_backup_codes")
        migration.hash_existing(apps, None)
        assert not StaticToken.objects.exists() and not StaticDevice.objects.exists()
        assert two_factor.backup_codes_left(user) == 2
        assert two_factor.verify(user, "12345678") is not None
        _let_throttle_pass(user)
        assert two_factor.verify(user, "12345678") is None


def test_resetting_two_factor_removes_the_backup_codes(demo_world):
    from safeguarding.core import services

    user = User.objects.get(username="social.worker")
    codes = two_factor.backup_codes_issue(user=user)
    services.person_reset_two_factor(actor=User.objects.get(username="admin"), person=user)
    assert two_factor.backup_codes_left(user) == 0
    assert two_factor.verify(user, codes[0]) is None


# --- permissions come from seats alone (ADR 0040) ------------------------------------------------


def test_a_model_permission_row_opens_nothing(demo_world, client_for):
    """Nothing in the service assigns Django's model permissions; a row that did (a stray
    grant, a restored table) must not open a page that the person's seats do not."""
    from django.contrib.auth.models import Group, Permission

    user = User.objects.get(username="social.worker")
    assert not user.has_perm("core.search_audit")
    assert client_for("social.worker").get(reverse("core:audit-log")).status_code == 403
    # The audit log's permission is a rule; grant every model permission there is as well,
    # directly and through a group.
    group = Group.objects.create(name="stray")
    group.permissions.set(Permission.objects.all())
    user.groups.add(group)
    user.user_permissions.set(Permission.objects.all())
    user = User.objects.get(pk=user.pk)
    assert not user.has_perm("core.view_user") and not user.has_perm("core.search_audit")
    assert user.get_all_permissions() == set()
    assert client_for("social.worker").get(reverse("core:audit-log")).status_code == 403


def test_a_page_reads_the_seats_with_their_agency_kind_and_sub_group_once(demo_world,
                                                                          client_for):
    """The rules of every module grade a person's seats from one read of them, which carries
    each seat's agency kind and sub-group name (core/rules.py)."""
    from django.test.utils import CaptureQueriesContext

    client = client_for("cdop.member")
    client.get("/")  # the session and the clocks' first reads
    with CaptureQueriesContext(connection) as seen:
        assert client.get("/").status_code == 200
    reads = [q["sql"] for q in seen.captured_queries]
    by_name = [q for q in reads if 'FROM "core_subgroup"' in q and "IN (" in q]
    by_kind = [q for q in reads if 'FROM "core_agency"' in q and '"kind" IN' in q]
    assert not by_name and not by_kind, (by_name, by_kind)
