"""Request ids for the audit trail, and two-factor sign-in enforced for every page."""

from __future__ import annotations

import re
import uuid

from django.contrib.auth.views import redirect_to_login
from django.shortcuts import redirect
from django.urls import reverse

from safeguarding.core.request_context import current_request_id

_SAFE_REQUEST_ID = re.compile(r"^[A-Za-z0-9._-]{1,64}$")


class RequestIdMiddleware:
    """Give each request an id (or keep a well-formed one from the proxy) for audit rows."""

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        incoming = request.headers.get("X-Request-ID", "")
        request_id = incoming if _SAFE_REQUEST_ID.match(incoming) else uuid.uuid4().hex
        request.request_id = request_id
        token = current_request_id.set(request_id)
        try:
            response = self.get_response(request)
        finally:
            current_request_id.reset(token)
        response["X-Request-ID"] = request_id
        return response


# Paths open to anyone: the API answers for itself (session or token), and
# static files carry nothing personal.
# A survey's response link (voice) is answered by people without accounts: its token is
# the key, and the voice app limits answers per address.
_OPEN_TO_ANYONE = ("/sign-in/", "/password/set/", "/static/", "/api/", "/voice/respond/")
# Paths a person signed in with a password alone may reach. The second-factor
# pages are listed exactly: /two-factor/backup-codes/ issues new backup codes,
# so opening it before the second factor would let a password alone get past it.
_OPEN_BEFORE_SECOND_FACTOR = (*_OPEN_TO_ANYONE, "/sign-out/")
_SECOND_FACTOR_PAGES = frozenset({"/two-factor/", "/two-factor/set-up/"})


class RequireTwoFactorMiddleware:
    """Every page needs a person signed in with both factors, except the sign-in pages."""

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        user = getattr(request, "user", None)
        path = request.path
        if user is None or not user.is_authenticated:
            if not path.startswith(_OPEN_TO_ANYONE):
                return redirect_to_login(path, login_url=reverse("core:sign-in"))
        elif not user.is_verified() and not (
            path in _SECOND_FACTOR_PAGES or path.startswith(_OPEN_BEFORE_SECOND_FACTOR)
        ):
            return redirect("core:two-factor")
        return self.get_response(request)


class NoStoreMiddleware:
    """Tell browsers and proxies to keep no copy of any page or API answer.

    Pages name children, staff and audit rows; a shared computer's cache or a proxy
    must not hold them. One rule for every response is easier to trust than a list of
    the views that need it: only static files (no personal data) may be cached.
    """

    def __init__(self, get_response):
        from django.conf import settings

        self.get_response = get_response
        self.static_prefix = settings.STATIC_URL if settings.STATIC_URL.startswith("/") \
            else f"/{settings.STATIC_URL}"

    def __call__(self, request):
        response = self.get_response(request)
        if not request.path.startswith(self.static_prefix):
            response["Cache-Control"] = "no-store, private"
            response["Pragma"] = "no-cache"
        return response
