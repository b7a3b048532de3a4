"""Every page of the site, reached as a person whose role can see it.

The list of pages to cover is computed from the URL resolver, so a page added
to the URL conf later fails the browser tests until it is visited by ``walk``
below, or by an app's own ``tests/<app>/browser_pages.py`` (a ``walk(w)``
function given the Walker), or is listed in ``SKIPPED`` with a reason.
"""

from __future__ import annotations

import importlib
from collections import defaultdict
from collections.abc import Callable
from dataclasses import dataclass, field
from functools import cache
from urllib.parse import urlsplit

from django.contrib.auth.tokens import default_token_generator
from django.urls import Resolver404, URLResolver, get_resolver, resolve, reverse
from django.utils.encoding import force_bytes
from django.utils.http import urlsafe_base64_encode

from safeguarding.children.selectors import child_search
from safeguarding.core import services
from safeguarding.core.models import Agency, Membership, User

from .helpers import ROOT, totp_code

# Routes with no page of their own. Anything under these prefixes is skipped too.
SKIPPED = {
    "sign-out/": "POST only: the sign-out button is on every signed-in page",
    "health/": "plain text with no markup: the load benchmark's baseline page",
    "memberships/<int:pk>/remove/": "POST only: a GET redirects to the person's page",
    "api-tokens/<int:pk>/revoke/": "POST only: a GET redirects to the API tokens page",
}
SKIPPED_PREFIXES = {
    "api/": "the JSON API (django-ninja, docs_url=None): no HTML pages",
}
NOT_FOUND = "(no route: the 404 page)"
# The walk is run in two parts, each its own test, so that `make test` can give them to two
# processes. The first part walks the pages in walk() below and the apps not listed here; the
# second the apps listed. A route belongs to the part that walks its app (its URL namespace is
# the folder of tests/<app>/browser_pages.py); routes of no such app belong to the first. Each
# part checks the routes it owns. The parts are unequal on purpose: the stage's other browser
# tests (about 55 s) go to whichever process is free first, so the first part plus those is
# about the second part. Each app's walking time on 2026-12-04 (session 26): the first part
# 126 s (the core pages 33 s, the report 50 s), the second 184 s (the dashboard 60 s).
# (Three parts in three processes took 248 s in all against 258 s: the two cores are busy
# with Chromium.)
PARTS = (0, 1)
SECOND_PART = frozenset({"governance", "training", "voice", "neglect", "encompass", "briefings",
                         "measures", "policies", "reviews", "datasets", "child_deaths",
                         "missing"})
NEW_PASSWORD = "correct horse battery staple 2021"


def url_routes(resolver=None, prefix: str = "") -> dict[str, str]:
    """Every route in the URL conf, as ResolverMatch.route spells it, with its name."""
    resolver = resolver or get_resolver()
    routes: dict[str, str] = {}
    namespace = f"{resolver.namespace}:" if getattr(resolver, "namespace", None) else ""
    for pattern in resolver.url_patterns:
        route = prefix + str(pattern.pattern)
        if isinstance(pattern, URLResolver):
            routes.update(url_routes(pattern, route))
        else:
            routes[route] = namespace + (pattern.name or "")
    return routes


def app_modules(part: int | None = None) -> list:
    """The apps' own page lists: tests/<app>/browser_pages.py (walk(w), optional SKIPPED),
    all of them or those of one part of the walk."""
    return [
        importlib.import_module(f"tests.{module.parent.name}.browser_pages")
        for module in sorted((ROOT / "tests").glob("*/browser_pages.py"))
        if part is None or part_of(module.parent.name) == part
    ]


def part_of(app: str) -> int:
    return 1 if app in SECOND_PART else 0


@cache
def walked_apps() -> frozenset[str]:
    """The apps with a page list of their own (tests/<app>/browser_pages.py)."""
    return frozenset(module.parent.name for module in (ROOT / "tests").glob("*/browser_pages.py"))


def route_part(name: str) -> int:
    """The part of the walk that owns a route, by its URL name's namespace."""
    namespace = name.split(":", 1)[0] if ":" in name else ""
    return part_of(namespace) if namespace in walked_apps() else 0


def skipped() -> dict[str, str]:
    found = dict(SKIPPED)
    for module in app_modules():
        found.update(getattr(module, "SKIPPED", {}))
    return found


def routes_to_visit(part: int | None = None) -> dict[str, str]:
    """The routes the walk must visit: all of them, or those one part of it owns."""
    skip = skipped()
    return {
        route: name
        for route, name in url_routes().items()
        if route not in skip and not route.startswith(tuple(SKIPPED_PREFIXES))
        and (part is None or route_part(name) == part)
    }


Check = Callable[[object, str, object], None]


@dataclass
class Walker:
    """Opens pages, checks each with ``check(page, label, response)``, records the routes.

    ``open(username, path, label)`` visits a path as a demo user (``None``: signed out;
    ``verified=False``: password only), expecting ``status`` (200) at that same path;
    ``goto(page, ...)`` and ``submit(page, label, button=...)`` continue on a page.
    """

    site: object
    check: Check
    bypass_csp: bool
    part: int | None = None
    visited: dict[str, list[str]] = field(default_factory=lambda: defaultdict(list))

    def page(self, user=None, *, verified: bool = True):
        return self.site.page(user, verified=verified, bypass_csp=self.bypass_csp)

    def open(
        self,
        user,
        path: str,
        label: str,
        *,
        verified: bool = True,
        status: int = 200,
        expect_path: str | None = None,
    ):
        page = self.page(user, verified=verified)
        return self.goto(page, path, label, status=status, expect_path=expect_path)

    def goto(
        self, page, path: str, label: str, *, status: int = 200, expect_path: str | None = None
    ):
        response = page.goto(path)
        self._checked(page, response, label, status, expect_path or urlsplit(path).path)
        return page

    def submit(
        self,
        page,
        label: str,
        *,
        button: str = "main form[method=post] [type=submit]",
        status: int = 200,
        expect_path: str | None = None,
    ):
        with page.expect_navigation() as navigation:
            page.locator(button).first.click()
        self._checked(page, navigation.value, label, status, expect_path)
        return page

    def _checked(self, page, response, label, status, expect_path):
        path = urlsplit(page.url).path
        assert response is not None, f"{label}: no response for {page.url}"
        assert response.status == status, (
            f"{label}: {page.url} answered {response.status}, expected {status}"
        )
        if expect_path is not None:
            assert path == expect_path, f"{label}: expected to be at {expect_path}, got {page.url}"
        try:
            route = resolve(path).route
        except Resolver404:
            route = NOT_FOUND
        if status == 200:  # a refusal shows the 403 page, not the route's own page
            self.visited[route].append(label)
        self.check(page, f"{label} ({page.url.removeprefix(self.site.base_url)})", response)

    def missing(self) -> list[str]:
        return sorted(set(routes_to_visit(self.part)) - set(self.visited))

    def coverage_problem(self) -> str:
        """Empty when every route was visited; otherwise which were not, and what to do."""
        missing = self.missing()
        if not missing:
            return ""
        names = routes_to_visit(self.part)
        return (
            "These URL patterns have no page in the browser tests. Visit each in "
            "tests/browser/site_map.py walk() or in tests/<app>/browser_pages.py walk(w), "
            "or add it to SKIPPED there with a reason:\n  "
            + "\n  ".join(f"{route!r} ({names[route]})" for route in missing)
        )


def walk(site, check: Check, *, bypass_csp: bool, part: int | None = None) -> Walker:
    """Visit every page of the site at least once, each as a role that can see it (or
    every page one part of the walk owns)."""
    w = Walker(site, check, bypass_csp, part)
    if part not in (None, 0):
        for module in app_modules(part):
            module.walk(w)
        return w

    # Signed out: sign in, and a new starter's password link (valid, then used up).
    w.open(None, "/sign-in/", "Sign in")
    starter = services.user_add(
        actor=None,
        username="new.starter",
        first_name="Nia",
        last_name="Starter",
        email="nia.starter@example.invalid",
    )
    uid = urlsafe_base64_encode(force_bytes(starter.pk))
    token = default_token_generator.make_token(starter)
    anonymous = w.open(
        None,
        reverse("core:password-set", args=[uid, token]),
        "Set your password",
        expect_path=reverse("core:password-set", args=[uid, "set-password"]),
    )
    anonymous.fill("#id_new_password1", NEW_PASSWORD)
    anonymous.fill("#id_new_password2", NEW_PASSWORD)
    w.submit(
        anonymous, "Sign in, after setting a password (success banner)", expect_path="/sign-in/"
    )
    w.goto(
        anonymous,
        reverse("core:password-set", args=[uid, token]),
        "Set your password, link already used",
        expect_path=reverse("core:password-set", args=[uid, token]),
    )

    # Password only: the security code page, and first-time two-factor set-up.
    w.open("business.stoke", "/two-factor/", "Enter your security code", verified=False)
    w.goto(anonymous, "/sign-in/", "Sign in, new starter")
    anonymous.fill("#id_username", "new.starter")
    anonymous.fill("#id_password", NEW_PASSWORD)
    w.submit(anonymous, "Set up two-factor sign-in", expect_path="/two-factor/set-up/")
    anonymous.fill("#id_code", totp_code(starter, confirmed=False))
    w.submit(anonymous, "Backup codes, just issued", expect_path="/two-factor/backup-codes/")
    w.goto(anonymous, "/", "Home, no roles yet")

    # System administrator: partnerships, agencies, people, calendar, audit, tokens.
    police = Agency.objects.get(name="Staffordshire Police")
    worker = User.objects.get(username="social.worker")
    admin_pages = [
        ("/", "Home, system administrator"),
        ("/two-factor/backup-codes/", "Backup codes, count left"),
        (reverse("core:partnership-list"), "Partnerships and agencies"),
        (reverse("core:partnership-add"), "Add a partnership"),
        (reverse("core:partnership-detail", args=["STAFFS"]), "Partnership"),
        (reverse("core:partnership-edit", args=["STAFFS"]), "Edit partnership"),
        (reverse("core:sub-group-add", args=["STAFFS"]), "Add a sub-group"),
        (reverse("core:la-add", args=["STAFFS"]), "Add a local authority area"),
        (reverse("core:share-add", args=["STAFFS"]), "Share a joint function"),
        (reverse("core:agency-add"), "Add an agency"),
        (reverse("core:agency-edit", args=[police.pk]), "Edit an agency"),
        (reverse("core:people-list"), "People and roles"),
        (reverse("core:people-list") + "?q=worker", "People and roles, searched"),
        (reverse("core:person-add"), "Add a person"),
        (reverse("core:person-detail", args=[worker.pk]), "Person"),
        (reverse("core:calendar"), "Working-day calendar"),
        (reverse("core:audit-log"), "Audit log"),
        (reverse("core:audit-log") + "?actor=admin&action=", "Audit log, searched"),
        (reverse("core:scheduled-jobs"), "Scheduled jobs"),
        # Last: the token form below is filled in on this page.
        (reverse("core:api-tokens"), "API tokens"),
    ]
    for path, label in admin_pages:
        w.open("admin", path, label)
    tokens = w.page("admin")
    tokens.fill("#id_name", "Police case system")
    seat = Membership.objects.get(user__username="police.officer", agency=police)
    tokens.select_option("#id_membership", value=str(seat.pk))
    w.submit(
        tokens,
        "API tokens, token just issued",
        button="main form:has(#id_name) [type=submit]",
        expect_path=reverse("core:api-tokens"),
    )

    # Partnership business unit: the child index.
    business = User.objects.get(username="business.staffs")
    children, _ = child_search(actor=business, limit=1)
    child = children[0]
    business_pages = [
        ("/", "Home, business unit"),
        (reverse("children:list"), "Children"),
        (reverse("children:list") + f"?q={child.last_name}", "Children, searched"),
        (reverse("children:add"), "Add a child"),
        (reverse("children:detail", args=[child.pk]), "Child"),
        (reverse("children:edit", args=[child.pk]), "Edit a child"),
        (reverse("children:involvement-add", args=[child.pk]), "Add an agency involved"),
        (reverse("core:partnership-list"), "Partnerships and agencies, view only"),
        (reverse("core:partnership-detail", args=["STAFFS"]), "Partnership, view only"),
    ]
    for path, label in business_pages:
        w.open("business.staffs", path, label)

    # Practitioner: their own home and children, and a page their role does not open.
    w.open("social.worker", "/", "Home, practitioner")
    w.open("social.worker", reverse("children:list"), "Children, practitioner")
    w.open("social.worker", reverse("core:people-list"), "403 page", status=403)
    w.open("admin", "/no-such-page/", "404 page", status=404)

    # Each app's own pages, from tests/<app>/browser_pages.py.
    for module in app_modules(part):
        module.walk(w)
    return w
