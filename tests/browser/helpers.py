"""Helpers for the browser tests: axe-core, the CSP watch, security codes, form submission."""

from __future__ import annotations

import functools
from pathlib import Path

from django_otp.oath import totp
from django_otp.plugins.otp_totp.models import TOTPDevice

from safeguarding.core.models import User

ROOT = Path(__file__).resolve().parents[2]
AXE_JS = ROOT / "node_modules" / "axe-core" / "axe.min.js"
AXE_TAGS = ["wcag2a", "wcag2aa", "wcag21a", "wcag21aa", "wcag22aa", "best-practice"]


def totp_code(user: User | str, *, offset_steps: int = 0, confirmed: bool = True) -> str:
    """The code the person's authenticator app shows now (or ``offset_steps`` from now)."""
    if isinstance(user, str):
        user = User.objects.get(username=user)
    device = TOTPDevice.objects.filter(user=user, confirmed=confirmed).get()
    code = totp(device.bin_key, device.step, device.t0, device.digits, offset_steps)
    return f"{code:0{device.digits}d}"


def wrong_code(user: User | str) -> str:
    """A six-digit code the person's device will not accept in the next minute or so."""
    near = {totp_code(user, offset_steps=step) for step in (-2, -1, 0, 1, 2)}
    candidate = 123456
    while f"{candidate:06d}" in near:
        candidate += 1
    return f"{candidate:06d}"


def submit(page, button: str = "main form[method=post] [type=submit]"):
    """Press a form's submit button and wait for the page it leads to; return its response."""
    with page.expect_navigation() as navigation:
        page.locator(button).first.click()
    return navigation.value


@functools.cache
def _axe_source() -> str:
    return AXE_JS.read_text()


def axe_violations(page) -> list[dict]:
    """Run axe-core on the page and return its violations.

    axe is evaluated through the DevTools protocol, which the page's
    Content-Security-Policy does not govern, so the same page load can be checked
    for both (a script tag would be refused unless the context bypassed the CSP).
    """
    if page.evaluate("typeof axe") == "undefined":
        page.evaluate(_axe_source() + "\n;0")
    return page.evaluate(
        """async (tags) => {
            const results = await axe.run(document, {runOnly: tags, resultTypes: ['violations']});
            return results.violations.map(v => ({
                id: v.id, impact: v.impact, help: v.help, helpUrl: v.helpUrl,
                nodes: v.nodes.map(n => ({target: n.target.join(' '), html: n.html.slice(0, 200),
                                           summary: n.failureSummary})),
            }));
        }""",
        AXE_TAGS,
    )


def duplicate_ids(page) -> list[dict]:
    """Ids used twice, in axe's violation shape. axe-core 4.x no longer checks this (WCAG 2.2
    dropped 4.1.1), but an aria-describedby pointing at a repeated id reads only the first."""
    return page.evaluate("""() => {
        const seen = {};
        for (const el of document.querySelectorAll('[id]')) (seen[el.id] ||= []).push(el);
        const nodes = Object.entries(seen).filter(([, els]) => els.length > 1).map(([id, els]) =>
            ({target: `#${id} (x${els.length})`, html: els[0].outerHTML.slice(0, 200),
              summary: 'An id must be unique in the page'}));
        return nodes.length ? [{id: 'duplicate-id (our check)', impact: 'serious',
            help: 'ids must be unique', helpUrl: 'https://www.w3.org/TR/WCAG20-TECHS/H93.html',
            nodes}] : [];
    }""")


def format_violations(found: dict[str, list[dict]]) -> str:
    """One block per page: rule, impact and help, then each offending selector and why."""
    lines = []
    for label, violations in found.items():
        lines.append(f"\n== {label}")
        for v in violations:
            lines.append(f"  [{v['impact']}] {v['id']}: {v['help']} ({v['helpUrl']})")
            for node in v["nodes"]:
                lines.append(f"      {node['target']}    {node['html']}")
                if node["summary"]:
                    lines.extend("        " + s for s in node["summary"].splitlines())
    return "\n".join(lines)


def assert_styled(page) -> None:
    """The compiled GOV.UK CSS loaded: without it colour-contrast results mean nothing."""
    family = page.evaluate(
        "getComputedStyle(document.querySelector('h1') || document.body).fontFamily"
    ).lower()
    assert "arial" in family, f"{page.url}: application.css did not load (font {family!r})"


class AxeFindings:
    """Collect every page's violations, so one run reports them all."""

    def __init__(self):
        self.found: dict[str, list[dict]] = {}
        self.labels: list[str] = []

    def __call__(self, page, label, response=None) -> None:
        assert_styled(page)
        self.labels.append(label)
        violations = axe_violations(page) + duplicate_ids(page)
        if violations:
            self.found[label] = violations

    def problem(self) -> str:
        if not self.found:
            return ""
        return (
            f"axe-core found violations on {len(self.found)} of {len(self.labels)} pages:"
            + format_violations(self.found)
        )

    def assert_none(self) -> None:
        assert not self.found, self.problem()


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
