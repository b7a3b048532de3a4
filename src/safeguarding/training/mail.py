"""E-mail to learners and managers through Django's e-mail backends.

``TRAINING_EMAIL_BACKEND`` chooses the backend for training e-mails only (default: the
site's ``EMAIL_BACKEND``). Set it to the GOV.UK Notify backend the platform already has
(``safeguarding.reviews.notify.NotifyEmailBackend``, named by setting so this app imports
nothing of reviews) to deliver through Notify; the tests use Django's local memory
backend, the stub.
"""

from __future__ import annotations

from django.conf import settings
from django.core.mail import EmailMessage, get_connection


def send(to: list[str], subject: str, body: str) -> int:
    addresses = [a for a in to if a]
    if not addresses:
        return 0
    backend = getattr(settings, "TRAINING_EMAIL_BACKEND", None) or None
    connection = get_connection(backend, fail_silently=False)
    return connection.send_messages(
        [EmailMessage(subject, body, None, [address]) for address in addresses])


def site_url(path: str) -> str:
    return f"{getattr(settings, 'SITE_URL', '')}{path}"
