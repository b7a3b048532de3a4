"""The CSP watch itself: an inline script is refused, and the refusal is reported.

Every page is checked against the policy in test_walk.py.
"""

from __future__ import annotations

import pytest

from .helpers import BrowserProblems


@pytest.mark.browser
def test_the_policy_is_enforced_and_its_violations_seen(site):
    """Guard the walk's CSP check: an inline script is refused, and the refusal is reported."""
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
