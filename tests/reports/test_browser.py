"""The report pages in a real browser: axe-core finds nothing, the CSP blocks nothing.

Self-contained (its own Chromium and sign-in), so it does not lean on the browser
suite's internals. Run with: pytest tests/reports -m browser -p no:xdist
"""

from __future__ import annotations

import os
from pathlib import Path

import pytest
from django.conf import settings
from django.test import Client
from django.urls import reverse
from django_otp import DEVICE_ID_SESSION_KEY
from django_otp.plugins.otp_totp.models import TOTPDevice

from safeguarding.core.models import Partnership, User
from safeguarding.reports import services
from tests.conftest import empty_before_the_flush

from .helpers import YEAR, cin_data, write_all

ROOT = Path(__file__).resolve().parents[2]
AXE_JS = ROOT / "node_modules" / "axe-core" / "axe.min.js"
AXE_TAGS = ["wcag2a", "wcag2aa", "wcag21a", "wcag21aa", "wcag22aa", "best-practice"]
CHROMIUM = "/usr/bin/chromium"


@pytest.fixture
def browser_page(live_server, transactional_db, monkeypatch, browser_demo):
    """A demo world with a written, published 2020-21 report, and a page factory."""
    if not Path(CHROMIUM).exists() or not AXE_JS.exists():
        pytest.skip("needs Debian's chromium and node_modules/axe-core")
    from playwright.sync_api import sync_playwright

    from safeguarding.measures import sources

    browser_demo()
    monkeypatch.setattr(sources, "measure_data", lambda las: cin_data("860", {2019: 20, 2020: 22}))
    staffs = Partnership.objects.get(code="STAFFS")
    business = User.objects.get(username="business.staffs")
    write_all(staffs, business)
    services.report_publish(actor=business, partnership=staffs, year=YEAR)
    monkeypatch.setenv("DJANGO_ALLOW_ASYNC_UNSAFE", "true")
    with sync_playwright() as playwright:
        browser = playwright.chromium.launch(executable_path=CHROMIUM,
                                             args=["--headless", "--no-sandbox"])

        def page_for(username: str, *, bypass_csp: bool = False):
            client = Client()
            user = User.objects.get(username=username)
            client.force_login(user, backend="safeguarding.core.backends.PasswordBackend")
            session = client.session
            session[DEVICE_ID_SESSION_KEY] = TOTPDevice.objects.get(user=user).persistent_id
            session.save()
            context = browser.new_context(bypass_csp=bypass_csp, base_url=live_server.url)
            context.add_cookies([{"name": settings.SESSION_COOKIE_NAME,
                                  "value": client.cookies[settings.SESSION_COOKIE_NAME].value,
                                  "url": live_server.url}])
            # Generous, as in tests/browser: a page that computes can take seconds under load.
            context.set_default_timeout(60_000)
            context.set_default_navigation_timeout(60_000)
            context.route("**/favicon.ico", lambda route: route.fulfill(status=204))
            return context.new_page()

        yield page_for
        browser.close()
    empty_before_the_flush()
    os.environ.pop("DJANGO_ALLOW_ASYNC_UNSAFE", None)


def _axe(page) -> list[dict]:
    page.add_script_tag(path=str(AXE_JS))
    return page.evaluate("""async (tags) => (await axe.run(document, {runOnly: tags}))
        .violations.map(v => ({id: v.id, help: v.help,
                               nodes: v.nodes.map(n => n.target.join(' '))}))""", AXE_TAGS)


@pytest.mark.browser
def test_report_pages_have_no_axe_violations(browser_page):
    urls = [
        reverse("reports:home"),
        reverse("reports:report", args=["STAFFS", YEAR]),
        reverse("reports:report", args=["STAFFS", "2021-22"]),
        reverse("reports:narrative", args=["STAFFS", YEAR]),
        reverse("reports:narrative-edit", args=["STAFFS", YEAR, "focus"]),
        reverse("reports:narrative-history", args=["STAFFS", YEAR, "focus"]),
        reverse("reports:narrative-version", args=["STAFFS", YEAR, "focus", 1]),
        reverse("reports:publish", args=["STAFFS", YEAR]),
        reverse("reports:published-list", args=["STAFFS", YEAR]),
        reverse("reports:published", args=["STAFFS", YEAR, 1]),
        reverse("reports:commitments", args=["STAFFS", YEAR]),
    ]
    page = browser_page("business.staffs", bypass_csp=True)
    found = {}
    for url in urls:
        response = page.goto(url)
        assert response.status == 200, url
        if violations := _axe(page):
            found[url] = violations
    assert not found, found


@pytest.mark.browser
def test_the_report_page_breaks_no_content_security_rule(browser_page):
    page = browser_page("board.police")
    blocked = []
    page.on("console", lambda m: blocked.append(m.text)
            if "Content Security Policy" in m.text else None)
    # The page makes no request of its own after it loads (no htmx on it), so its load
    # event is the end of its network use: waiting for "networkidle" as well timed out
    # once at 60 s in CI with two browser workers on two cores.
    response = page.goto(reverse("reports:report", args=["STAFFS", YEAR]), wait_until="load")
    assert response.status == 200
    assert not blocked, blocked
    width = page.evaluate("document.querySelector('figure[data-chart] svg')"
                          ".getBoundingClientRect().width")
    assert 200 < width < 900  # the report stylesheet loaded and the chart fits its column
    if os.environ.get("REPORT_SCREENSHOT"):
        page.screenshot(path=os.environ["REPORT_SCREENSHOT"], full_page=True)
