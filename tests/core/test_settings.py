"""Production settings refuse to start half-configured, and pass Django's deployment checks.

Each case runs a fresh interpreter, because settings are read once per process.
"""

from __future__ import annotations

import json
import os
import secrets
import subprocess
import sys
from pathlib import Path

import pytest

from safeguarding.config.env import BASE_DIR

PRODUCTION = "safeguarding.config.settings.production"
SAFEGUARDING = Path(sys.executable).with_name("safeguarding")
CONFIG = ("SECRET_KEY", "PSEUDONYM_KEY", "ALLOWED_HOSTS", "DEBUG", "DJANGO_SETTINGS_MODULE")


@pytest.fixture(autouse=True)
def no_local_env_file():
    env_file = BASE_DIR / ".env"
    if env_file.exists() and any(
        line.split("=", 1)[0].strip() in CONFIG for line in env_file.read_text().splitlines()
    ):
        pytest.skip(".env sets production settings; these tests need the bare environment")


def environment(**values: str) -> dict[str, str]:
    env = {k: v for k, v in os.environ.items() if k not in CONFIG}
    env["DJANGO_SETTINGS_MODULE"] = PRODUCTION
    env.update(values)
    return env


def complete(**overrides: str) -> dict[str, str]:
    values = {"SECRET_KEY": secrets.token_urlsafe(50), "PSEUDONYM_KEY": secrets.token_urlsafe(32),
              "ALLOWED_HOSTS": "partnership.example.org"}
    values.update(overrides)
    return environment(**values)


def run(args: list[str], env: dict[str, str]) -> subprocess.CompletedProcess:
    return subprocess.run(args, env=env, capture_output=True, text=True, timeout=120,  # noqa: S603
                          check=False)


def load_settings(env: dict[str, str]) -> subprocess.CompletedProcess:
    code = ("import json, django; django.setup(); from django.conf import settings as s; "
            "print(json.dumps({k: getattr(s, k) for k in ('DEBUG', 'SESSION_COOKIE_SECURE', "
            "'CSRF_COOKIE_SECURE', 'SECURE_SSL_REDIRECT', 'SECURE_HSTS_SECONDS', "
            "'ALLOWED_HOSTS', 'SESSION_COOKIE_AGE')}))")
    return run([sys.executable, "-c", code], env)


@pytest.mark.parametrize("missing", ["SECRET_KEY", "PSEUDONYM_KEY", "ALLOWED_HOSTS"])
def test_production_refuses_to_start_without(missing):
    env = complete()
    del env[missing]
    result = load_settings(env)
    assert result.returncode != 0
    assert "ImproperlyConfigured" in result.stderr
    assert missing in result.stderr


def test_production_refuses_an_empty_host_list():
    result = load_settings(complete(ALLOWED_HOSTS=""))
    assert result.returncode != 0
    assert "ImproperlyConfigured" in result.stderr and "ALLOWED_HOSTS" in result.stderr


def test_production_is_secure_whatever_debug_says():
    result = load_settings(complete(DEBUG="true"))
    assert result.returncode == 0, result.stderr
    values = json.loads(result.stdout)
    assert values["DEBUG"] is False
    assert values["SESSION_COOKIE_SECURE"] and values["CSRF_COOKIE_SECURE"]
    assert values["SECURE_SSL_REDIRECT"] and values["SECURE_HSTS_SECONDS"] >= 31536000
    assert values["ALLOWED_HOSTS"] == ["partnership.example.org"]
    assert values["SESSION_COOKIE_AGE"] <= 60 * 60


def test_deployment_checks_pass_when_configured():
    # The checks do not read static files, so the vendor folder (built by `make assets`)
    # need not exist here.
    result = run([str(SAFEGUARDING), "check", "--deploy", "--fail-level", "WARNING"], complete())
    assert result.returncode == 0, result.stdout + result.stderr
    assert "no issues" in result.stdout


def test_deployment_checks_catch_a_weak_secret_key():
    result = run([str(SAFEGUARDING), "check", "--deploy", "--fail-level", "WARNING"],
                 complete(SECRET_KEY="short"))
    assert result.returncode != 0
    assert "security.W009" in result.stderr + result.stdout
