"""axe-core on every page, and on forms re-displayed with errors (WCAG 2.2 AA + best practice)."""

from __future__ import annotations

import pytest
from django.contrib.auth.tokens import default_token_generator
from django.urls import reverse
from django.utils.encoding import force_bytes
from django.utils.http import urlsafe_base64_encode

from safeguarding.children.selectors import child_search
from safeguarding.core.models import User
from safeguarding.demo.people import DEMO_PASSWORD

from .helpers import (
    assert_styled,
    axe_violations,
    duplicate_ids,
    format_violations,
    submit,
    wrong_code,
)
from .site_map import PARTS, routes_to_visit, skipped, url_routes, walk
from .test_csp import BrowserProblems


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


@pytest.mark.browser
@pytest.mark.parametrize("part", PARTS)
def test_every_page_has_no_axe_violations_and_keeps_to_the_csp(site, part):
    # One walk for both: each page is visited under its Content-Security-Policy (not
    # bypassed), checked for the policy first, then by axe-core (evaluated through the
    # DevTools protocol, which the policy does not govern). The walk is in two parts
    # (site_map.PARTS), which together visit every route.
    csp = BrowserProblems()
    site.page_hooks.append(csp.watch)
    axe = AxeFindings()

    def check(page, label, response) -> None:
        csp(page, label, response)
        axe(page, label, response)

    walker = walk(site, check, bypass_csp=False, part=part)
    found = "\n".join(f"{label}:\n  " + "\n  ".join(problems)
                      for label, problems in csp.found.items())
    problems = [p for p in (walker.coverage_problem(), found, axe.problem()) if p]
    assert not problems, "\n\n".join(problems)


@pytest.mark.browser
def test_skipped_routes_still_exist():
    """A stale SKIPPED entry would hide a page: each must still be in the URL conf."""
    routes = url_routes()
    assert set(skipped()) <= set(routes), set(skipped()) - set(routes)
    assert routes_to_visit(), "the resolver walk found no pages"


def unassociated_error_messages(page) -> list[str]:
    """Error messages whose field (input, select, textarea or fieldset) is not described by them,
    or whose field lacks the GOV.UK error style."""
    return page.evaluate("""() => [...document.querySelectorAll('.govuk-error-message')]
        .filter(message => {
            const group = message.closest('.govuk-form-group');
            const described = [...group.querySelectorAll(
                'input, select, textarea, fieldset')].filter(el =>
                (el.getAttribute('aria-describedby') || '').split(/\\s+/).includes(message.id));
            const styled = group.querySelector(
                '.govuk-input--error, .govuk-select--error, .govuk-textarea--error, '
                + '.govuk-radios, .govuk-checkboxes, .govuk-date-input');
            return !message.id || described.length === 0 || !styled;
        })
        .map(message => `${message.id || '(no id)'}: ${message.innerText}`)""")


def error_summary_targets(page) -> list[str]:
    """Each error summary link's href whose target is missing from the page."""
    return page.evaluate("""() => [...document.querySelectorAll('.govuk-error-summary a')]
        .map(a => a.getAttribute('href'))
        .filter(href => !document.getElementById(href.slice(1)))""")


def fill_child(page, **values) -> None:
    """Fill the add-a-child form with a valid child, then any given field values."""
    page.goto(reverse("children:add"))
    fields = {
        "first_name": "Ada",
        "last_name": "Browser",
        "date_of_birth_0": "27",
        "date_of_birth_1": "3",
        "date_of_birth_2": "2012",
        **values,
    }
    for name, value in fields.items():
        page.fill(f"#id_{name}", value)
    page.locator("input[name=sex]").first.check()
    page.select_option("#id_ethnicity", index=1)


def assert_error_page(page, label: str, axe: AxeFindings, *, fields: list[str]) -> None:
    """The GOV.UK error pattern: title prefix, focused summary, links to real fields."""
    assert page.title().startswith("Error: "), f"{label}: title {page.title()!r}"
    summary = page.locator(".govuk-error-summary")
    assert summary.count() == 1, f"{label}: no error summary"
    assert page.evaluate("document.activeElement.classList.contains('govuk-error-summary')"), (
        f"{label}: the error summary did not take focus"
    )
    assert error_summary_targets(page) == [], (
        f"{label}: error summary links to missing ids {error_summary_targets(page)}"
    )
    assert unassociated_error_messages(page) == [], (
        f"{label}: error messages not tied to their field: {unassociated_error_messages(page)}"
    )
    for name in fields:
        assert page.locator(f"#{name}-error, [id^='{name}'][id$='-error']").count(), (
            f"{label}: no error message for {name}"
        )
    axe(page, label)


@pytest.mark.browser
def test_forms_shown_again_with_errors(site):
    axe = AxeFindings()
    business = User.objects.get(username="business.staffs")

    # Add a child, submitted empty: text inputs, radios, a select and a date input.
    page = site.page("business.staffs", bypass_csp=True)
    page.goto(reverse("children:add"))
    submit(page)
    assert_error_page(
        page,
        "Add a child, empty",
        axe,
        fields=["id_first_name", "id_last_name", "id_date_of_birth", "id_sex", "id_ethnicity"],
    )
    # Following a summary link moves focus to the field (GOV.UK Frontend's error summary).
    page.locator(".govuk-error-summary a[href='#id_first_name']").click()
    assert page.evaluate("document.activeElement.id") == "id_first_name"

    # Add an agency involved, empty: a select, text and a date input.
    child = child_search(actor=business, limit=1)[0][0]
    page.goto(reverse("children:involvement-add", args=[child.pk]))
    submit(page)
    assert_error_page(
        page,
        "Add an agency involved, empty",
        axe,
        fields=["id_agency", "id_reason", "id_started_on"],
    )

    # System administrator's forms: checkboxes, selects, a date and the token form.
    admin = site.page("admin", bypass_csp=True)
    forms = [
        (reverse("core:agency-add"), "Add an agency, empty", ["id_name", "id_partnerships"]),
        (reverse("core:partnership-add"), "Add a partnership, empty", ["id_code", "id_name"]),
        (reverse("core:calendar"), "Working-day calendar, empty", ["id_date", "id_name"]),
        (reverse("core:api-tokens"), "API tokens, empty", ["id_name", "id_membership"]),
        (reverse("core:person-add"), "Add a person, empty", ["id_username", "id_email"]),
        (
            reverse("core:person-detail", args=[User.objects.get(username="social.worker").pk]),
            "Person, add a role empty",
            ["id_partnership", "id_agency"],
        ),
    ]
    for path, label, fields in forms:
        admin.goto(path)
        submit(admin, "main form:has(.govuk-form-group) [type=submit]")
        assert_error_page(admin, label, axe, fields=fields)

    # The audit log's search, with a date that is not a date (a GET form).
    admin.goto(
        reverse("core:audit-log") + "?date_from_day=31&date_from_month=2&date_from_year=2021"
    )
    assert_error_page(
        admin, "Audit log, search with a date that is not real", axe, fields=["id_date_from"]
    )

    # Banners after an action: a sub-group added, a password link sent.
    admin.goto(reverse("core:sub-group-add", args=["STAFFS"]))
    admin.fill("#id_name", "Neglect Strategy Group")
    submit(admin)
    assert admin.locator(".govuk-notification-banner").count() == 1, admin.url
    axe(admin, "Partnership, sub-group just added (success banner)")
    admin.goto(reverse("core:person-detail", args=[User.objects.get(username="board.la").pk]))
    submit(admin, "main form:has(input[value=send_password_link]) [type=submit]")
    assert admin.locator(".govuk-notification-banner").count() == 1, admin.url
    axe(admin, "Person, password link sent (banner)")

    # Setting a password that breaks several rules at once (one field, several errors).
    starter = User.objects.create_user(username="new.starter", email="n@example.invalid")
    uid = urlsafe_base64_encode(force_bytes(starter.pk))
    anonymous = site.page(None, bypass_csp=True)
    anonymous.goto(
        reverse("core:password-set", args=[uid, default_token_generator.make_token(starter)])
    )
    anonymous.fill("#id_new_password1", "12345678")
    anonymous.fill("#id_new_password2", "12345678")
    submit(anonymous)
    assert_error_page(
        anonymous, "Set your password, weak password", axe, fields=["id_new_password2"]
    )

    # Signing in: wrong password, then a wrong security code.
    anonymous.goto("/sign-in/")
    anonymous.fill("#id_username", "board.la")
    anonymous.fill("#id_password", "not the password")
    submit(anonymous)
    assert_error_page(anonymous, "Sign in, wrong password", axe, fields=[])
    anonymous.fill("#id_password", DEMO_PASSWORD)
    submit(anonymous)
    assert anonymous.url.endswith("/two-factor/")
    anonymous.fill("#id_code", wrong_code("board.la"))
    submit(anonymous, "main form:has(#id_code) [type=submit]")
    axe(anonymous, "Enter your security code, wrong code")

    # Too many wrong passwords: the locked-out page (last: it locks this address).
    locked = site.new_context(bypass_csp=True).new_page()
    for _ in range(6):
        locked.goto("/sign-in/")
        locked.fill("#id_username", "board.police")
        locked.fill("#id_password", "not the password")
        if submit(locked).status == 429:
            break
    assert locked.locator("h1").inner_text() == "Sign-in locked", locked.content()[:500]
    axe(locked, "Sign-in locked")

    axe.assert_none()


@pytest.mark.browser
def test_axe_finds_a_known_violation(site):
    """Guard against a silently broken injection: a missing alt text must be reported."""
    page = site.page(None, bypass_csp=True)
    page.goto("/sign-in/")
    page.evaluate("""() => {
        const img = document.createElement('img');
        img.src = '/static/vendor/govuk/assets/images/govuk-crest.svg';
        document.querySelector('main').append(img);
    }""")
    assert "image-alt" in {v["id"] for v in axe_violations(page)}


@pytest.mark.browser
def test_add_child_shows_a_wrong_nhs_number_then_saves(site):
    axe = AxeFindings()
    page = site.page("business.staffs", bypass_csp=True)
    fill_child(page, nhs_number="123 456 7890")
    submit(page)
    assert page.locator(".govuk-error-summary a").evaluate_all(
        "links => links.map(a => a.getAttribute('href'))"
    ) == ["#id_nhs_number"]
    assert_error_page(page, "Add a child, NHS number not valid", axe, fields=["id_nhs_number"])
    page.fill("#id_nhs_number", "999 000 1111")
    submit(page)
    assert page.locator(".govuk-notification-banner--success").count() == 1, page.url
    axe(page, "Child, just added (success banner)")
    axe.assert_none()


@pytest.mark.browser
def test_an_error_added_after_validation_is_tied_to_its_field(site):
    axe = AxeFindings()
    page = site.page("board.la", verified=False, bypass_csp=True)
    page.goto("/two-factor/")
    page.fill("#id_code", wrong_code("board.la"))
    submit(page, "main form:has(#id_code) [type=submit]")
    assert_error_page(page, "Enter your security code, wrong code", axe, fields=["id_code"])
    axe.assert_none()
