"""A practitioner signs in through the browser: password, a wrong code, the right code."""

from __future__ import annotations

from urllib.parse import urlsplit

import pytest

from safeguarding.demo.people import DEMO_PASSWORD

from .helpers import submit, totp_code, wrong_code

CODE_BUTTON = "main form:has(#id_code) [type=submit]"


def path_of(page) -> str:
    return urlsplit(page.url).path


@pytest.mark.browser
def test_practitioner_signs_in_and_sees_only_their_capabilities(site):
    page = site.page(None)
    page.goto("/")
    assert path_of(page) == "/sign-in/", "a signed-out visit must go to the sign-in page"

    page.fill("#id_username", "social.worker")
    page.fill("#id_password", DEMO_PASSWORD)
    submit(page)
    assert path_of(page) == "/two-factor/"
    assert page.locator("h1").inner_text() == "Enter your security code"

    # A wrong code: the GOV.UK error summary, linked to the field, and the field marked.
    page.fill("#id_code", wrong_code("social.worker"))
    submit(page, CODE_BUTTON)
    assert path_of(page) == "/two-factor/"
    assert page.title().startswith("Error: ")
    summary = page.locator(".govuk-error-summary")
    assert summary.is_visible()
    assert "The security code is not right" in summary.inner_text()
    assert summary.locator("a").get_attribute("href") == "#id_code"
    assert page.locator("#id_code-error").is_visible()
    # (That the field itself is marked and described by the message is checked, as an
    # expected failure for now, in test_accessibility.py.)

    # django-otp refuses every code for a second after a failure (its throttle).
    page.wait_for_timeout(1_100)
    page.fill("#id_code", totp_code("social.worker"))
    submit(page, CODE_BUTTON)
    assert path_of(page) == "/", page.url
    assert page.locator(".govuk-error-summary").count() == 0

    cards = page.locator("main .app-card a").all_inner_texts()
    menu = page.locator(".govuk-service-navigation__link").all_inner_texts()
    assert "Children" in cards and "Children" in menu
    for hidden in (
        "Audit log",
        "People and roles",
        "API tokens",
        "Working-day calendar",
        "Partnerships and agencies",
    ):
        assert hidden not in cards, f"a practitioner's home page offers {hidden!r}"
        assert hidden not in menu, f"a practitioner's menu offers {hidden!r}"
    assert "Practitioner at Staffordshire County Council Children's Services" in (
        page.locator("main").inner_text()
    )

    # Signing out ends the session.
    submit(page, ".govuk-service-navigation form [type=submit]")
    assert path_of(page) == "/sign-in/"
    assert "You have signed out" in page.locator(".govuk-notification-banner").inner_text()
    page.goto("/children/")
    assert path_of(page) == "/sign-in/"
