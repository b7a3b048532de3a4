"""The GOV.UK Notify e-mail backend, against a stub HTTP server on this machine only."""

import base64
import datetime as dt
import hashlib
import hmac
import json
import threading
import time
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer

import pytest
from django.core import mail
from django.core.exceptions import ImproperlyConfigured
from django.core.mail import EmailMessage
from django.test import override_settings

from safeguarding.reviews import reminders
from safeguarding.reviews.models import Reminder
from safeguarding.reviews.notify import NotifyEmailBackend, NotifyError

SERVICE_ID = "26785a09-ab16-4eb0-8407-a37497a57506"
SECRET = "3d844edf-8d35-48ac-975b-e847b4f122b0"
API_KEY = f"reviews_test-{SERVICE_ID}-{SECRET}"
TEMPLATE_ID = "f33517ff-2a88-4f6e-b855-c550268ce08a"


class _Stub(BaseHTTPRequestHandler):
    def do_POST(self):  # noqa: N802 - the http.server name
        length = int(self.headers["Content-Length"])
        self.server.received.append({"path": self.path, "headers": dict(self.headers),
                                     "body": json.loads(self.rfile.read(length))})
        status, reply = self.server.replies.pop(0) if self.server.replies else (201, {"id": "x"})
        payload = json.dumps(reply).encode()
        self.send_response(status)
        self.send_header("Content-Type", "application/json")
        self.send_header("Content-Length", str(len(payload)))
        self.end_headers()
        self.wfile.write(payload)

    def log_message(self, *args):
        pass


@pytest.fixture
def notify_stub():
    server = ThreadingHTTPServer(("127.0.0.1", 0), _Stub)
    server.received, server.replies = [], []
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    try:
        yield server
    finally:
        server.shutdown()
        server.server_close()
        thread.join(timeout=5)


def _settings(stub):
    return override_settings(
        REVIEWS_EMAIL_BACKEND="safeguarding.reviews.notify.NotifyEmailBackend",
        GOVUK_NOTIFY_API_KEY=API_KEY, GOVUK_NOTIFY_TEMPLATE_ID=TEMPLATE_ID,
        GOVUK_NOTIFY_BASE_URL=f"http://127.0.0.1:{stub.server_address[1]}")


def _unb64(part: str) -> bytes:
    return base64.urlsafe_b64decode(part + "=" * (-len(part) % 4))


def test_reminders_go_through_notify_with_a_signed_token(make_incident, notify_stub):
    make_incident(dt.date(2021, 4, 1))
    with _settings(notify_stub):
        result = reminders.send_reminders(on=dt.date(2021, 4, 8))
    assert result["sent"] == {"due_soon": 1}
    assert mail.outbox == []  # Notify, not the default backend
    [request] = notify_stub.received
    assert request["path"] == "/v2/notifications/email"
    body = request["body"]
    assert body["email_address"] == "business.staffs@demo.invalid"
    assert body["template_id"] == TEMPLATE_ID
    assert body["personalisation"]["subject"].startswith("Due 12 April 2021")
    assert "Rule: Notify the Child Safeguarding Practice Review Panel" in \
        body["personalisation"]["body"]
    assert body["reference"].endswith(":due_soon")
    scheme, token = request["headers"]["Authorization"].split(" ")
    assert scheme == "Bearer"
    header, claims, signature = token.split(".")
    expected = hmac.new(SECRET.encode(), f"{header}.{claims}".encode(), hashlib.sha256).digest()
    assert hmac.compare_digest(_unb64(signature), expected)
    assert json.loads(_unb64(header)) == {"typ": "JWT", "alg": "HS256"}
    claims = json.loads(_unb64(claims))
    assert claims["iss"] == SERVICE_ID and abs(claims["iat"] - time.time()) < 30
    assert Reminder.objects.get().backend == "safeguarding.reviews.notify.NotifyEmailBackend"


def test_a_refusal_from_notify_leaves_no_record_so_the_next_run_retries(make_incident,
                                                                        notify_stub):
    make_incident(dt.date(2021, 4, 1))
    notify_stub.replies.append((400, {"errors": [{"error": "BadRequestError",
                                                  "message": "Missing personalisation"}]}))
    with _settings(notify_stub), pytest.raises(NotifyError, match="400"):
        reminders.send_reminders(on=dt.date(2021, 4, 8))
    assert not Reminder.objects.exists()
    with _settings(notify_stub):
        assert reminders.send_reminders(on=dt.date(2021, 4, 8))["sent"] == {"due_soon": 1}
    assert len(notify_stub.received) == 2


def test_one_notification_per_recipient(notify_stub):
    backend = NotifyEmailBackend(api_key=API_KEY, template_id=TEMPLATE_ID,
                                 base_url=f"http://127.0.0.1:{notify_stub.server_address[1]}")
    message = EmailMessage("Subject", "Body", to=["a@example.invalid", "b@example.invalid"])
    assert backend.send_messages([message]) == 1
    assert [r["body"]["email_address"] for r in notify_stub.received] == [
        "a@example.invalid", "b@example.invalid"]


def test_plain_http_is_refused_except_to_this_machine():
    with pytest.raises(ImproperlyConfigured):
        NotifyEmailBackend(api_key=API_KEY, template_id=TEMPLATE_ID,
                           base_url="http://api.notifications.example")
    with pytest.raises(ImproperlyConfigured):
        NotifyEmailBackend(api_key="short", template_id=TEMPLATE_ID,
                           base_url="http://127.0.0.1:9").send_messages(
            [EmailMessage("s", "b", to=["a@example.invalid"])])
