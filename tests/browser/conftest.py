"""Real-browser fixtures: Debian's Chromium driven by Playwright, against the live server.

One browser for the whole package, closed when its tests end (Playwright's sync API
allows one at a time in a thread, should another package start its own). Each
test gets a fresh demo world (the live server needs a transactional database,
which is emptied after every test), and ``site.page(username)`` gives a page
signed in with both factors: the session is made with Django's test client and
handed to the browser as storage state, so no test pays for a sign-in it is not
testing. Pages are cached per user within a test.
"""

from __future__ import annotations

import logging
import os
from dataclasses import dataclass, field
from pathlib import Path

import pytest
from django.conf import settings
from django.test import Client
from django_otp import DEVICE_ID_SESSION_KEY
from django_otp.plugins.otp_totp.models import TOTPDevice

from safeguarding.core.models import User
from tests.conftest import empty_before_the_flush

from .helpers import AXE_JS, ROOT

APPLICATION_CSS = ROOT / "src" / "safeguarding" / "static" / "vendor" / "application.css"
APPLICATION_SCSS = ROOT / "assets" / "application.scss"
CHROMIUM = "/usr/bin/chromium"
CHROMIUM_ARGS = [
    "--headless",
    "--no-sandbox",
    "--disable-gpu",
    "--disable-quic",
    "--no-first-run",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
]
# Generous: on a loaded machine a page that computes can take seconds; a real
# failure still ends the test, only later.
TIMEOUT_MS = 60_000
MODEL_BACKEND = "safeguarding.core.backends.PasswordBackend"


@pytest.fixture(scope="package")
def chromium():
    """Debian's Chromium, launched once for these tests. ``playwright install`` is never used."""
    if not Path(CHROMIUM).exists():
        pytest.fail(f"{CHROMIUM} is missing: install Debian's chromium package")
    if not APPLICATION_CSS.exists():
        pytest.fail("The compiled CSS is missing: run `node assets/build.mjs` (make assets)")
    if APPLICATION_SCSS.stat().st_mtime > APPLICATION_CSS.stat().st_mtime:
        pytest.fail(
            "application.css is older than assets/application.scss: "
            "run `node assets/build.mjs` (make assets)"
        )
    if not AXE_JS.exists():
        pytest.fail("node_modules/axe-core is missing: run `npm ci`")
    # Playwright's sync API runs an event loop in this thread, which makes Django
    # refuse ORM calls from the test body; the calls are in fact synchronous.
    previous = os.environ.get("DJANGO_ALLOW_ASYNC_UNSAFE")
    os.environ["DJANGO_ALLOW_ASYNC_UNSAFE"] = "true"
    from playwright.sync_api import sync_playwright

    with sync_playwright() as playwright:
        browser = playwright.chromium.launch(executable_path=CHROMIUM, args=CHROMIUM_ARGS)
        yield browser
        browser.close()
    if previous is None:
        os.environ.pop("DJANGO_ALLOW_ASYNC_UNSAFE", None)
    else:
        os.environ["DJANGO_ALLOW_ASYNC_UNSAFE"] = previous


@dataclass
class Site:
    """The live server and a few browser contexts, all closed when the test ends."""

    base_url: str
    browser: object
    page_hooks: list = field(default_factory=list)
    _pages: dict = field(default_factory=dict)
    _contexts: list = field(default_factory=list)

    def url(self, path: str) -> str:
        return self.base_url + path

    def session_cookie(self, user: User, *, verified: bool = True) -> dict:
        """A Django session for the user (second factor done, unless ``verified`` is false)."""
        client = Client()
        client.force_login(user, backend=MODEL_BACKEND)
        if verified:
            device = TOTPDevice.objects.filter(user=user, confirmed=True).get()
            session = client.session
            session[DEVICE_ID_SESSION_KEY] = device.persistent_id
            session.save()
        return {
            "name": settings.SESSION_COOKIE_NAME,
            "value": client.cookies[settings.SESSION_COOKIE_NAME].value,
            "domain": "localhost",
            "path": "/",
            "expires": -1,
            "httpOnly": True,
            "secure": False,
            "sameSite": "Lax",
        }

    def new_context(
        self, user: User | str | None = None, *, verified: bool = True, bypass_csp: bool = False
    ):
        if isinstance(user, str):
            user = User.objects.get(username=user)
        state = {
            "cookies": [self.session_cookie(user, verified=verified)] if user else [],
            "origins": [],
        }
        context = self.browser.new_context(
            storage_state=state,
            bypass_csp=bypass_csp,
            base_url=self.base_url,
            viewport={"width": 1280, "height": 900},
            locale="en-GB",
        )
        context.set_default_timeout(TIMEOUT_MS)
        context.set_default_navigation_timeout(TIMEOUT_MS)
        # The site has no favicon; Chromium's request for one would be a stray 404 (or a
        # second request racing the page for the test database), so answer it here.
        context.route("**/favicon.ico", lambda route: route.fulfill(status=204))
        self._contexts.append(context)
        return context

    def page(
        self, user: User | str | None = None, *, verified: bool = True, bypass_csp: bool = False
    ):
        """A page signed in as the user (or signed out), reused for the rest of the test."""
        username = user.username if isinstance(user, User) else user
        key = (username, verified, bypass_csp)
        if key not in self._pages:
            context = self.new_context(user, verified=verified, bypass_csp=bypass_csp)
            page = context.new_page()
            for hook in self.page_hooks:
                hook(page)
            self._pages[key] = page
        return self._pages[key]

    def close(self) -> None:
        for context in self._contexts:
            context.close()


@pytest.fixture
def site(chromium, live_server, transactional_db, settings, browser_demo):
    """The demo world in the live server's database, and pages into it."""
    # Tasks run at once in the tests, so a recompute after an upload would run inside
    # the upload's request; the dashboard computes what it shows instead.
    settings.MEASURES_RECOMPUTE_AFTER_IMPORT = False
    browser_demo()
    site = Site(base_url=live_server.url, browser=chromium)
    # The 403 and 404 pages are visited on purpose; keep their warnings (and the
    # PermissionDenied traceback) out of failure reports. Server errors still show.
    request_log = logging.getLogger("django.request")
    level = request_log.level
    request_log.setLevel(logging.ERROR)
    yield site
    request_log.setLevel(level)
    site.close()
    empty_before_the_flush()
