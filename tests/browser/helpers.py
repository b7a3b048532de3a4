"""Helpers for the browser tests: axe-core, security codes, form submission."""

from __future__ import annotations

from functools import cache
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


@cache
def _axe_source() -> str:
    return AXE_JS.read_text() + "\n;undefined"


def axe_violations(page) -> list[dict]:
    """Run axe-core on the page and return its violations.

    axe is evaluated through the DevTools protocol (as Playwright's ``evaluate`` is), which
    the page's Content-Security-Policy does not govern, so the same page can be checked for
    the policy and for accessibility in one visit.
    """
    if not page.evaluate("typeof window.axe !== 'undefined'"):
        page.evaluate(_axe_source())
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
