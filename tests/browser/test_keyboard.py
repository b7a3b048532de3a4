"""Keyboard only: sign in, skip to the content, and reach everything with Tab, visibly."""

from __future__ import annotations

from urllib.parse import urlsplit

import pytest

from safeguarding.demo.people import DEMO_PASSWORD

from .helpers import totp_code

# Everything a browser may put in the tab order; filtered further in the page.
FOCUSABLE = (
    "a[href], area[href], button, input:not([type=hidden]), select, textarea, "
    "summary, iframe, [tabindex], [contenteditable='' i], [contenteditable=true i]"
)

MARK_TAB_STOPS = """(selector) => {
    const stops = [...document.querySelectorAll(selector)].filter(el =>
        el.tabIndex >= 0 && !el.disabled && !el.closest('[inert]')
        && el.checkVisibility({visibilityProperty: true}));
    const describe = el => {
        const text = (el.innerText || el.value || el.getAttribute('aria-label') || '').trim();
        return `${el.tagName.toLowerCase()}${el.id ? '#' + el.id : ''} "${text.slice(0, 40)}"`;
    };
    const radioGroups = {};
    window.__tabStops = {};
    let index = 0;
    for (const el of stops) {
        // A group of radios is one tab stop: the arrow keys move within it.
        if (el.type === 'radio') {
            if (el.name in radioGroups) { el.dataset.tabStop = radioGroups[el.name]; continue; }
            radioGroups[el.name] = index;
        }
        const style = getComputedStyle(el);
        el.dataset.tabStop = index;
        window.__tabStops[index] = {
            name: describe(el), boxShadow: style.boxShadow,
            backgroundColor: style.backgroundColor, borderColor: style.borderColor,
        };
        index += 1;
    }
    return Object.values(window.__tabStops).map(s => s.name);
}"""

FOCUSED = """() => {
    const el = document.activeElement;
    if (!el || el === document.body) return null;
    const stop = el.dataset.tabStop;
    const style = getComputedStyle(el);
    const before = window.__tabStops[stop];
    const transparent = c => c === 'transparent' || /rgba\\(.*,\\s*0\\)$/.test(c);
    const outline = style.outlineStyle !== 'none' && parseFloat(style.outlineWidth) > 0
        && !transparent(style.outlineColor);
    const changed = before && (style.boxShadow !== before.boxShadow
        || style.backgroundColor !== before.backgroundColor
        || style.borderColor !== before.borderColor);
    const rect = el.getBoundingClientRect();
    return {
        stop: stop === undefined ? null : Number(stop),
        name: `${el.tagName.toLowerCase()}${el.id ? '#' + el.id : ''} ${el.className}`,
        visible: (outline || Boolean(changed)) && rect.width > 1 && rect.height > 1,
    };
}"""


def active(page) -> dict:
    return page.evaluate("""() => ({id: document.activeElement.id,
        classes: [...document.activeElement.classList],
        inMain: Boolean(document.activeElement.closest('main'))})""")


def tab_to(page, selector: str, limit: int = 30) -> None:
    """Press Tab until the element matching the selector has focus."""
    for _ in range(limit):
        page.keyboard.press("Tab")
        if page.evaluate("(s) => document.activeElement.matches(s)", selector):
            return
    raise AssertionError(f"{selector} was not reached in {limit} presses of Tab on {page.url}")


def assert_tab_reaches_everything_visibly(page, path: str) -> None:
    """Every interactive element gets focus from Tab, in page order, with a visible indicator."""
    page.goto(path)
    stops = page.evaluate(MARK_TAB_STOPS, FOCUSABLE)
    assert stops, f"{path}: no interactive elements found"
    reached: list[int] = []
    invisible: list[str] = []
    strays: list[str] = []
    for _ in range(len(stops) + 5):
        page.keyboard.press("Tab")
        focused = page.evaluate(FOCUSED)
        if focused is None or focused["stop"] in reached:
            break  # focus left the page, or came round again
        if focused["stop"] is None:
            strays.append(focused["name"])
            continue
        reached.append(focused["stop"])
        if not focused["visible"]:
            invisible.append(stops[focused["stop"]])
    missed = [stops[i] for i in range(len(stops)) if i not in reached]
    assert not missed, f"{path}: Tab never reaches {missed}"
    assert not invisible, f"{path}: no visible focus indicator on {invisible}"
    assert reached == sorted(reached), f"{path}: focus order differs from page order {reached}"
    assert not strays, f"{path}: Tab stopped on elements outside the expected set: {strays}"


@pytest.mark.browser
def test_sign_in_and_move_around_with_the_keyboard_only(site):
    page = site.page(None)
    page.goto("/sign-in/")

    tab_to(page, "#id_username")
    page.keyboard.type("business.staffs")
    tab_to(page, "#id_password")
    page.keyboard.type(DEMO_PASSWORD)
    with page.expect_navigation():
        page.keyboard.press("Enter")
    assert urlsplit(page.url).path == "/two-factor/", page.url

    tab_to(page, "#id_code")
    page.keyboard.type(totp_code("business.staffs"))
    with page.expect_navigation():
        page.keyboard.press("Enter")
    assert urlsplit(page.url).path == "/", page.url
    assert page.locator("h1").inner_text() == "Safeguarding Children Partnership"

    # The skip link is the first thing Tab reaches, and it moves focus to the content.
    page.goto("/")
    page.keyboard.press("Tab")
    focused = active(page)
    assert "govuk-skip-link" in focused["classes"], focused
    box = page.locator(".govuk-skip-link").bounding_box()
    assert box and box["width"] > 1 and box["height"] > 1, "the focused skip link is not shown"
    page.keyboard.press("Enter")
    assert active(page)["id"] == "main-content"
    page.keyboard.press("Tab")
    assert active(page)["inMain"], "Tab after the skip link left the main content"

    assert_tab_reaches_everything_visibly(page, "/")
    assert_tab_reaches_everything_visibly(page, "/children/")
