"""The Content-Security-Policy holds in a normal browser context, on every page.

The walk of every page (test_accessibility.py) checks each page against the policy
with ``BrowserProblems`` before axe-core runs on it; the test here proves that an
inline script is refused and its refusal seen, so that check can fail.
"""

from __future__ import annotations

import pytest

CSP_LISTENER = """
window.__cspViolations = [];
document.addEventListener('securitypolicyviolation', (event) => {
    window.__cspViolations.push(`${event.violatedDirective} blocked ${event.blockedURI}`);
});
"""


class BrowserProblems:
    """Console errors, page errors, failed requests and CSP violations, per page."""

    def __init__(self):
        self.pending: dict[object, list[str]] = {}
        self.found: dict[str, list[str]] = {}

    def watch(self, page) -> None:
        problems = self.pending.setdefault(page, [])
        page.add_init_script(CSP_LISTENER)
        page.on(
            "console",
            lambda message: (
                message.type == "error" and problems.append(f"console error: {message.text}")
            ),
        )
        page.on("pageerror", lambda error: problems.append(f"script error: {error}"))
        page.on(
            "requestfailed",
            lambda request: problems.append(f"request failed: {request.url} {request.failure}"),
        )
        page.on(
            "response",
            lambda response: (
                response.status >= 400
                and response.request.resource_type != "document"
                and problems.append(f"{response.status} for {response.url}")
            ),
        )

    def __call__(self, page, label, response) -> None:
        problems = self.pending[page]
        # The 403 and 404 pages are errors by design: Chromium logs their status.
        if response.status in (403, 404):
            problems[:] = [p for p in problems if f"status of {response.status}" not in p]
        headers = response.all_headers()
        policy = headers.get("content-security-policy", "")
        for directive in (
            "default-src 'self'",
            "script-src 'self'",
            "style-src 'self'",
            "object-src 'none'",
            "frame-ancestors 'none'",
        ):
            if directive not in policy:
                problems.append(f"Content-Security-Policy lacks {directive!r}: {policy!r}")
        problems.extend(f"CSP violation: {v}" for v in page.evaluate("window.__cspViolations"))
        # Our module script ran (it is the only script), so GOV.UK Frontend started.
        if not page.evaluate("document.body.classList.contains('govuk-frontend-supported')"):
            problems.append("app.js did not run: GOV.UK Frontend is not initialised")
        if problems:
            self.found[label] = list(problems)
        problems.clear()


@pytest.mark.browser
def test_the_policy_is_enforced_and_its_violations_seen(site):
    """Guard the test above: an inline script is refused, and the refusal is reported."""
    problems = BrowserProblems()
    site.page_hooks.append(problems.watch)
    page = site.page(None)
    response = page.goto("/sign-in/")
    page.evaluate("""() => {
        const script = document.createElement('script');
        script.textContent = 'window.__inlineRan = true';
        document.body.append(script);
    }""")
    page.wait_for_function("window.__cspViolations.length > 0")
    assert page.evaluate("window.__inlineRan") is None
    problems(page, "Sign in, with an inline script", response)
    found = problems.found.get("Sign in, with an inline script", [])
    assert any(p.startswith("CSP violation: script-src") for p in found), found
