"""A Django e-mail backend that sends through GOV.UK Notify.

Choose it for every e-mail with ``EMAIL_BACKEND``, or for review reminders only
with ``REVIEWS_EMAIL_BACKEND``::

    REVIEWS_EMAIL_BACKEND=safeguarding.reviews.notify.NotifyEmailBackend
    GOVUK_NOTIFY_API_KEY=<key name>-<service id>-<secret>
    GOVUK_NOTIFY_TEMPLATE_ID=<id of an e-mail template>

The template's subject is ``((subject))`` and its body ``((body))``: the platform
writes the words, Notify delivers them. Each recipient gets one notification.
``GOVUK_NOTIFY_BASE_URL`` defaults to the public API; plain http is refused
except to this machine (the tests' stub server).

The API authenticates with a JSON Web Token signed HS256 with the key's secret,
carrying the service id (``iss``) and the time it was made (``iat``).
"""

from __future__ import annotations

import base64
import hashlib
import hmac
import json
import os
import time
import urllib.error
import urllib.request
from urllib.parse import urlsplit

from django.conf import settings
from django.core.exceptions import ImproperlyConfigured
from django.core.mail.backends.base import BaseEmailBackend

DEFAULT_BASE_URL = "https://api.notifications.service.gov.uk"
_LOOPBACK = {"127.0.0.1", "localhost", "::1"}


class NotifyError(Exception):
    """Notify refused a notification; the message carries its status and errors."""


def _setting(name: str, default: str = "") -> str:
    value = getattr(settings, name, None)
    if value:
        return str(value)
    # The settings modules have already read a .env into the environment (config.env).
    return os.environ.get(name, default)


def _b64(data: bytes) -> str:
    return base64.urlsafe_b64encode(data).rstrip(b"=").decode()


def split_api_key(api_key: str) -> tuple[str, str]:
    """Return (service id, secret) from a key written ``name-serviceid-secret``."""
    if len(api_key) < 74:
        raise ImproperlyConfigured("GOVUK_NOTIFY_API_KEY is not a GOV.UK Notify API key")
    return api_key[-73:-37], api_key[-36:]


def make_token(service_id: str, secret: str, issued_at: int | None = None) -> str:
    header = _b64(json.dumps({"typ": "JWT", "alg": "HS256"}, separators=(",", ":")).encode())
    claims = {"iss": service_id, "iat": int(time.time() if issued_at is None else issued_at)}
    payload = _b64(json.dumps(claims, separators=(",", ":")).encode())
    signature = hmac.new(secret.encode(), f"{header}.{payload}".encode(), hashlib.sha256)
    return f"{header}.{payload}.{_b64(signature.digest())}"


class NotifyEmailBackend(BaseEmailBackend):
    def __init__(self, fail_silently: bool = False, api_key: str | None = None,
                 base_url: str | None = None, template_id: str | None = None,
                 timeout: float | None = None, **kwargs) -> None:
        super().__init__(fail_silently=fail_silently, **kwargs)
        self.api_key = api_key or _setting("GOVUK_NOTIFY_API_KEY")
        self.template_id = template_id or _setting("GOVUK_NOTIFY_TEMPLATE_ID")
        self.base_url = (base_url or _setting("GOVUK_NOTIFY_BASE_URL", DEFAULT_BASE_URL)).rstrip("/")
        self.timeout = timeout or float(_setting("GOVUK_NOTIFY_TIMEOUT", "10"))
        parts = urlsplit(self.base_url)
        if parts.scheme != "https" and not (parts.scheme == "http" and parts.hostname in _LOOPBACK):
            raise ImproperlyConfigured("GOVUK_NOTIFY_BASE_URL must use https")

    def send_messages(self, email_messages) -> int:
        if not email_messages:
            return 0
        if not self.api_key or not self.template_id:
            raise ImproperlyConfigured(
                "Set GOVUK_NOTIFY_API_KEY and GOVUK_NOTIFY_TEMPLATE_ID to send through Notify")
        sent = 0
        for message in email_messages:
            try:
                for address in message.recipients():
                    self._send_one(address, message)
                sent += 1
            except (NotifyError, urllib.error.URLError, TimeoutError):
                if not self.fail_silently:
                    raise
        return sent

    def _send_one(self, address: str, message) -> dict:
        service_id, secret = split_api_key(self.api_key)
        body = {
            "email_address": address,
            "template_id": self.template_id,
            "personalisation": {"subject": message.subject, "body": message.body},
        }
        reference = message.extra_headers.get("X-Reference")
        if reference:
            body["reference"] = reference
        request = urllib.request.Request(  # noqa: S310 - the scheme is checked in __init__
            f"{self.base_url}/v2/notifications/email", data=json.dumps(body).encode(),
            method="POST", headers={
                "Authorization": f"Bearer {make_token(service_id, secret)}",
                "Content-Type": "application/json",
                "User-Agent": "safeguarding-partnership-platform",
            })
        try:
            with urllib.request.urlopen(request, timeout=self.timeout) as response:  # noqa: S310
                return json.loads(response.read() or b"{}")
        except urllib.error.HTTPError as error:
            detail = error.read().decode(errors="replace")[:500]
            raise NotifyError(f"GOV.UK Notify answered {error.code}: {detail}") from None
