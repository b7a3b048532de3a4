"""Every page of the site, visited once: axe-core finds nothing, and the CSP refuses nothing.

One walk (tests/browser/site_map.py) in a normal browser context, so the real
Content-Security-Policy applies; on each page the CSP watch reads what the
policy blocked, what the console and the network reported, and then axe-core
(injected through the DevTools protocol, which the policy does not govern) checks
it against WCAG 2.2 AA and best practice. Both used to walk the site separately,
each with its own demo world.
"""

from __future__ import annotations

import pytest

from .helpers import AxeFindings, BrowserProblems
from .site_map import walk


@pytest.mark.browser
def test_every_page_keeps_to_the_csp_and_has_no_axe_violations(site):
    problems = BrowserProblems()
    axe = AxeFindings()
    site.page_hooks.append(problems.watch)

    def check(page, label, response) -> None:
        problems(page, label, response)  # first: what the page itself did
        axe(page, label, response)

    walker = walk(site, check, bypass_csp=False)
    csp = "\n".join(
        f"{label}:\n  " + "\n  ".join(found) for label, found in problems.found.items()
    )
    report = [p for p in (walker.coverage_problem(), csp, axe.problem()) if p]
    assert not report, "\n\n".join(report)
    # The walk went through the whole site, every page checked by both.
    assert len(axe.labels) > 50, axe.labels
