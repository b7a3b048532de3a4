"""Deployment checks of the platform's own settings (``safeguarding check --deploy``).

Django's deployment checks cover the secret key, HTTPS and cookies. These add the
two settings it does not know about: the host list and the key that makes pseudonyms.
"""

from __future__ import annotations

import zlib

from django.conf import settings
from django.core.checks import Error, Tags, register

DEVELOPMENT_PSEUDONYM_KEY = "insecure-development-pseudonym-key"  # noqa: S105 - the known default
PSEUDONYM_KEY_MIN_LENGTH = 32
PSEUDONYM_KEY_MIN_DISTINCT = 8


def pseudonym_key_problem(key: str) -> str | None:
    """Why the key is too weak to keep pseudonyms from being reversed, or None."""
    if key == DEVELOPMENT_PSEUDONYM_KEY:
        return "it is the development default, which is published with the code"
    if len(key) < PSEUDONYM_KEY_MIN_LENGTH:
        return f"it has {len(key)} characters and needs at least {PSEUDONYM_KEY_MIN_LENGTH}"
    if len(set(key)) < PSEUDONYM_KEY_MIN_DISTINCT:
        return (f"it uses only {len(set(key))} different characters and needs at least "
                f"{PSEUDONYM_KEY_MIN_DISTINCT}")
    raw = key.encode()
    # A repeated pattern compresses well; a random key barely compresses at all.
    if len(zlib.compress(raw, 9)) < len(raw) * 3 // 4:
        return "it repeats a pattern"
    if key == getattr(settings, "SECRET_KEY", None):
        return "it is the same as SECRET_KEY"
    return None


@register(Tags.security, "safeguarding", deploy=True)
def check_allowed_hosts(app_configs=None, **kwargs) -> list[Error]:
    hosts = list(settings.ALLOWED_HOSTS)
    if "*" in hosts:
        return [Error(
            "ALLOWED_HOSTS contains '*', so the site answers to any host name.",
            hint="Set ALLOWED_HOSTS to the site's own host names, for example "
                 "ALLOWED_HOSTS=partnership.example.org.",
            id="safeguarding.E001",
        )]
    if not hosts:
        return [Error(
            "ALLOWED_HOSTS is empty, so the live site would refuse every request.",
            hint="Set ALLOWED_HOSTS to the site's own host names.",
            id="safeguarding.E001",
        )]
    return []


@register(Tags.security, "safeguarding", deploy=True)
def check_pseudonym_key(app_configs=None, **kwargs) -> list[Error]:
    problem = pseudonym_key_problem(str(getattr(settings, "PSEUDONYM_KEY", "") or ""))
    if problem is None:
        return []
    return [Error(
        f"PSEUDONYM_KEY is too weak: {problem}.",
        hint="Generate one with: python -c \"import secrets; print(secrets.token_urlsafe(48))\" "
             "and keep it secret. Changing it later changes every pseudonym.",
        id="safeguarding.E002",
    )]
