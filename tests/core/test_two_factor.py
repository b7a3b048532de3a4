"""Signing in: password, then a security code or a backup code; enrolment; throttling."""

from __future__ import annotations

import datetime as dt
import re

import pytest
from django.test import Client
from django.utils import timezone
from django_otp import devices_for_user
from django_otp.plugins.otp_totp.models import TOTPDevice

from safeguarding.core import services, two_factor
from safeguarding.core.models import AuditEvent, BackupCode, User
from safeguarding.demo.people import DEMO_PASSWORD
from tests.support import password_only_client, totp_now

pytestmark = pytest.mark.django_db


@pytest.fixture
def demo_world(module_demo_world, db):
    """One demo build for this module (tests/conftest.py); each test is rolled back."""
    return module_demo_world


def sign_in_with_password(client: Client, username: str, password: str = DEMO_PASSWORD,
                          next_url: str = ""):
    return client.post("/sign-in/", {"username": username, "password": password,
                                     "next": next_url})


def time_passes(device) -> None:
    """Let the throttling delay after a wrong code run out, as it would for a person."""
    type(device).objects.filter(pk=device.pk).update(
        throttling_failure_timestamp=timezone.now() - dt.timedelta(minutes=5))


def demo_device(username: str) -> TOTPDevice:
    return TOTPDevice.objects.get(user__username=username, confirmed=True)


def shown_codes(response) -> list[str]:
    """The backup codes the page shows, each of which must appear in the page itself."""
    codes = (response.context or {}).get("codes") or []
    assert all(code.encode() in response.content for code in codes)
    return list(codes)


def is_fully_signed_in(client: Client) -> bool:
    return client.get("/").status_code == 200


class TestSignIn:
    def test_password_leads_to_the_two_factor_page(self, demo_world):
        client = Client()
        response = sign_in_with_password(client, "social.worker")
        assert (response.status_code, response["Location"]) == (302, "/two-factor/")
        page = client.get("/two-factor/")
        assert page.status_code == 200
        assert b"Enter your security code" in page.content
        assert not is_fully_signed_in(client)

    def test_wrong_password_shows_the_error_summary(self, demo_world):
        response = sign_in_with_password(Client(), "social.worker", "not-the-password")
        assert response.status_code == 200
        assert b"govuk-error-summary" in response.content
        assert b"Enter a correct username and password" in response.content

    def test_wrong_code_shows_the_error_summary_linked_to_the_field(self, demo_world):
        client = Client()
        sign_in_with_password(client, "social.worker")
        response = client.post("/two-factor/", {"code": "000000"})
        assert response.status_code == 200
        html = response.content.decode()
        assert "govuk-error-summary" in html
        assert 'href="#id_code"' in html and 'id="id_code"' in html
        assert "The security code is not right" in html
        assert not is_fully_signed_in(client)

    def test_correct_code_signs_in_and_returns_to_the_page_asked_for(self, demo_world):
        client = Client()
        sign_in_with_password(client, "social.worker", next_url="/children/")
        response = client.post("/two-factor/", {"code": totp_now(demo_device("social.worker"))})
        assert (response.status_code, response["Location"]) == (302, "/children/")
        assert is_fully_signed_in(client)
        row = AuditEvent.objects.filter(action="sign_in").latest("sequence")
        assert row.actor.username == "social.worker"

    def test_correct_code_after_a_wrong_one(self, demo_world):
        client = Client()
        sign_in_with_password(client, "social.worker")
        device = demo_device("social.worker")
        client.post("/two-factor/", {"code": "000000"})
        time_passes(device)
        response = client.post("/two-factor/", {"code": totp_now(device)})
        assert (response.status_code, response["Location"]) == (302, "/")
        assert is_fully_signed_in(client)

    def test_next_cannot_send_the_person_to_another_site(self, demo_world):
        client = Client()
        sign_in_with_password(client, "social.worker", next_url="https://evil.example/")
        response = client.post("/two-factor/", {"code": totp_now(demo_device("social.worker"))})
        assert response["Location"] == "/"

    def test_a_code_is_accepted_once_only(self, demo_world):
        code = totp_now(demo_device("social.worker"))
        first = Client()
        sign_in_with_password(first, "social.worker")
        assert first.post("/two-factor/", {"code": code}).status_code == 302
        second = Client()
        sign_in_with_password(second, "social.worker")
        assert second.post("/two-factor/", {"code": code}).status_code == 200
        assert not is_fully_signed_in(second)

    def test_signing_out_ends_the_session(self, client_for):
        client = client_for("social.worker")
        assert client.post("/sign-out/")["Location"] == "/sign-in/"
        assert client.get("/")["Location"].startswith("/sign-in/")


class TestBackupCodes:
    def test_a_backup_code_works_once_only(self, demo_world):
        user = User.objects.get(username="social.worker")
        codes = two_factor.backup_codes_issue(user=user)
        assert len(codes) == 10 and all(re.fullmatch(r"\d{8}", c) for c in codes)

        client = Client()
        sign_in_with_password(client, "social.worker")
        assert client.post("/two-factor/", {"code": codes[0]})["Location"] == "/"
        assert is_fully_signed_in(client)
        assert two_factor.backup_codes_left(user) == 9

        client.post("/sign-out/")
        sign_in_with_password(client, "social.worker")
        for device in devices_for_user(user):
            time_passes(device)
        response = client.post("/two-factor/", {"code": codes[0]})
        assert response.status_code == 200
        assert b"already been used" in response.content
        assert not is_fully_signed_in(client)

    def test_making_new_codes_stops_the_old_ones(self, client_for):
        user = User.objects.get(username="social.worker")
        old = two_factor.backup_codes_issue(user=user)
        client = client_for("social.worker")
        assert client.post("/two-factor/backup-codes/")["Location"] == "/two-factor/backup-codes/"
        new = shown_codes(client.get("/two-factor/backup-codes/"))
        assert len(new) == 10 and two_factor.backup_codes_left(user) == 10
        assert not set(old) & set(new)
        # The old codes no longer sign in; a new one does.
        client.post("/sign-out/")
        sign_in_with_password(client, "social.worker")
        assert client.post("/two-factor/", {"code": old[0]}).status_code == 200
        for device in devices_for_user(user):
            time_passes(device)
        assert client.post("/two-factor/", {"code": new[0]})["Location"] == "/"

    def test_a_password_alone_cannot_make_backup_codes(self, demo_world):
        """Otherwise anyone with the password could mint a code and pass the second factor."""
        user = User.objects.get(username="social.worker")
        client = password_only_client(user)
        response = client.post("/two-factor/backup-codes/")
        assert response["Location"] == "/two-factor/"
        assert not BackupCode.objects.filter(device__user=user).exists()
        assert shown_codes(client.get("/two-factor/backup-codes/", follow=True)) == []


class TestEnrolment:
    @pytest.fixture
    def newcomer(self, demo_world):
        return services.user_add(actor=None, username="new.starter", first_name="New",
                                 last_name="Starter", email="new.starter@example.invalid",
                                 password="a-long-enough-password-1")

    def test_new_user_sets_up_an_authenticator_and_gets_backup_codes_once(self, newcomer):
        client = Client()
        response = sign_in_with_password(client, "new.starter", "a-long-enough-password-1")
        assert response["Location"] == "/two-factor/"
        assert client.get("/two-factor/")["Location"] == "/two-factor/set-up/"

        page = client.get("/two-factor/set-up/")
        html = page.content.decode()
        assert page.status_code == 200
        assert "<svg" in html and "QR code for your authenticator app" in html
        device = TOTPDevice.objects.get(user=newcomer, confirmed=False)
        assert two_factor.base32_key(device) in html
        assert not is_fully_signed_in(client)

        response = client.post("/two-factor/set-up/", {"code": totp_now(device)})
        assert response["Location"] == "/two-factor/backup-codes/"
        shown = shown_codes(client.get("/two-factor/backup-codes/"))
        assert len(shown) == 10 and len(set(shown)) == 10
        assert two_factor.backup_codes_left(newcomer) == 10
        # Shown once: a second visit only counts them.
        again = client.get("/two-factor/backup-codes/")
        assert shown_codes(again) == []
        assert not any(code.encode() in again.content for code in shown)
        assert again.context["left"] == 10
        assert is_fully_signed_in(client)
        device.refresh_from_db()
        assert device.confirmed

    def test_a_wrong_code_does_not_confirm_the_authenticator(self, newcomer):
        client = Client()
        sign_in_with_password(client, "new.starter", "a-long-enough-password-1")
        client.get("/two-factor/set-up/")
        response = client.post("/two-factor/set-up/", {"code": "000000"})
        assert response.status_code == 200
        assert b"govuk-error-summary" in response.content
        assert not TOTPDevice.objects.filter(user=newcomer, confirmed=True).exists()
        assert not BackupCode.objects.filter(device__user=newcomer).exists()
        assert not is_fully_signed_in(client)


class TestThrottling:
    def test_sign_in_locks_after_the_failure_limit(self, demo_world, settings):
        assert settings.AXES_FAILURE_LIMIT == 5
        client = Client()
        statuses = [sign_in_with_password(client, "social.worker", "wrong").status_code
                    for _ in range(settings.AXES_FAILURE_LIMIT)]
        # The attempt that reaches the limit is told at once.
        assert statuses == [200] * (settings.AXES_FAILURE_LIMIT - 1) + [429]
        # Locked now: even the right password shows the locked page.
        response = sign_in_with_password(client, "social.worker")
        assert response.status_code == 429
        assert b"Sign-in locked" in response.content
        assert not is_fully_signed_in(client)
        response = sign_in_with_password(Client(), "social.worker")
        assert response.status_code == 429

    def test_fewer_failures_than_the_limit_do_not_lock(self, demo_world, settings):
        client = Client()
        for _ in range(settings.AXES_FAILURE_LIMIT - 1):
            sign_in_with_password(client, "social.worker", "wrong")
        assert sign_in_with_password(client, "social.worker")["Location"] == "/two-factor/"
