# ruff: noqa: E501  (the table below is wider than the line limit on purpose)
"""Who may open what: every URL name of the project against every role.

MATRIX_TEXT below is the specification. Each row is one URL name from the
resolver; the columns give the expected outcome for an anonymous visitor, for
someone signed in with the password only (social.worker), and for a demo user
of each role signed in with both factors (ROLE_USERS).

A cell is a status code (200, 403, ...) or a redirect: ``>view`` means a 302
whose Location resolves to ``core:view``; ``>app:view`` names another
namespace. Object pages take ``own/other``: the first for the user's own
record (a child their agency has an open involvement with, their own
partnership, agency, membership or token), the second for someone else's (a
Stoke-on-Trent child only Stoke's children's services works with, the other
partnership, another agency...). A single value means both.

The target column says what the URL's arguments point at:
  -              no arguments
  partnership    own partnership STAFFS / the other partnership STOKE
  child          a STAFFS child the user's agency is open-involved with / a STOKE child only Stoke children's services works with
  agency         the user's agency / Stoke children's services
  person         the user / business.stoke
  membership     the user's membership / business.stoke's
  api-token      a token issued to the user at their agency / one for Stoke children's services
  password-link  a real set-password link for the user / a link with a made-up token
  child-body     (POST body, JSON) a new child for own partnership STAFFS / the other partnership STOKE

Adding an app: put its rows in ``tests/<app>/matrix_rows.py`` as a string
MATRIX_TEXT with the same heading line as below (the suite fails, naming each
URL, until every URL name has a row). If its arguments point at something new,
give that module a TARGETS dict too: ``name -> function(world, user, scope)``
returning the URL argument (one value, or a dict for several), or
``Body(args, data)`` for a POST (args as above, data the JSON body); ``world`` is the World below (world.staffs,
world.stoke, world.other_child...) and ``scope`` is "own" or "other".
"""

from __future__ import annotations

import copy
import importlib
import json
from dataclasses import dataclass, field
from http.cookies import SimpleCookie
from pathlib import Path
from urllib.parse import parse_qs, urlparse

import pytest
from django.contrib.auth.tokens import default_token_generator
from django.test import Client
from django.urls import URLPattern, URLResolver, get_resolver, resolve, reverse
from django.utils.encoding import force_bytes
from django.utils.http import urlsafe_base64_encode

from safeguarding.core import services
from safeguarding.core.models import Agency, Membership, Partnership, User
from tests.conftest import sign_in
from tests.support import home_agency, make_child, password_only_client

MATRIX_TEXT = """
url name                 | method | target        | anonymous         | password only     | sysadmin          | business unit     | board member      | sub-group         | analyst           | practitioner      | key adult
core:home                | GET    | -             | >sign-in          | >two-factor       | 200               | 200               | 200               | 200               | 200               | 200               | 200
core:health              | GET    | -             | >sign-in          | >two-factor       | 200               | 200               | 200               | 200               | 200               | 200               | 200
core:sign-in             | GET    | -             | 200               | 200               | >home             | >home             | >home             | >home             | >home             | >home             | >home
core:sign-out            | GET    | -             | >sign-in          | 405               | 405               | 405               | 405               | 405               | 405               | 405               | 405
core:two-factor          | GET    | -             | >sign-in          | 200               | >home             | >home             | >home             | >home             | >home             | >home             | >home
core:two-factor-setup    | GET    | -             | >sign-in          | >two-factor       | >two-factor       | >two-factor       | >two-factor       | >two-factor       | >two-factor       | >two-factor       | >two-factor
core:backup-codes        | GET    | -             | >sign-in          | >two-factor       | 200               | 200               | 200               | 200               | 200               | 200               | 200
core:password-set        | GET    | password-link | >password-set/200 | >password-set/200 | >password-set/200 | >password-set/200 | >password-set/200 | >password-set/200 | >password-set/200 | >password-set/200 | >password-set/200
core:partnership-list    | GET    | -             | >sign-in          | >two-factor       | 200               | 200               | 200               | 403               | 403               | 403               | 403
core:partnership-add     | GET    | -             | >sign-in          | >two-factor       | 200               | 403               | 403               | 403               | 403               | 403               | 403
core:partnership-detail  | GET    | partnership   | >sign-in          | >two-factor       | 200               | 200/403           | 200/403           | 403               | 403               | 403               | 403
core:partnership-edit    | GET    | partnership   | >sign-in          | >two-factor       | 200               | 403               | 403               | 403               | 403               | 403               | 403
core:sub-group-add       | GET    | partnership   | >sign-in          | >two-factor       | 200               | 403               | 403               | 403               | 403               | 403               | 403
core:la-add              | GET    | partnership   | >sign-in          | >two-factor       | 200               | 403               | 403               | 403               | 403               | 403               | 403
core:share-add           | GET    | partnership   | >sign-in          | >two-factor       | 200               | 403               | 403               | 403               | 403               | 403               | 403
core:agency-add          | GET    | -             | >sign-in          | >two-factor       | 200               | 403               | 403               | 403               | 403               | 403               | 403
core:agency-edit         | GET    | agency        | >sign-in          | >two-factor       | 200               | 403               | 403               | 403               | 403               | 403               | 403
core:people-list         | GET    | -             | >sign-in          | >two-factor       | 200               | 403               | 403               | 403               | 403               | 403               | 403
core:person-add          | GET    | -             | >sign-in          | >two-factor       | 200               | 403               | 403               | 403               | 403               | 403               | 403
core:person-detail       | GET    | person        | >sign-in          | >two-factor       | 200               | 403               | 403               | 403               | 403               | 403               | 403
core:membership-remove   | GET    | membership    | >sign-in          | >two-factor       | >person-detail    | 403               | 403               | 403               | 403               | 403               | 403
core:calendar            | GET    | -             | >sign-in          | >two-factor       | 200               | 200               | 403               | 403               | 403               | 403               | 403
core:audit-log           | GET    | -             | >sign-in          | >two-factor       | 200               | 200               | 403               | 403               | 403               | 403               | 403
core:api-tokens          | GET    | -             | >sign-in          | >two-factor       | 200               | 403               | 403               | 403               | 403               | 403               | 403
core:api-token-revoke    | GET    | api-token     | >sign-in          | >two-factor       | >api-tokens       | 403               | 403               | 403               | 403               | 403               | 403
core:scheduled-jobs      | GET    | -             | >sign-in          | >two-factor       | 200               | 403               | 403               | 403               | 403               | 403               | 403
children:list            | GET    | -             | >sign-in          | >two-factor       | 403               | 200               | 403               | 200               | 403               | 200               | 200
children:add             | GET    | -             | >sign-in          | >two-factor       | 403               | 200               | 403               | 200               | 403               | 200               | 200
children:detail          | GET    | child         | >sign-in          | >two-factor       | 403               | 200/403           | 403               | 200/403           | 403               | 200/403           | 200/403
children:edit            | GET    | child         | >sign-in          | >two-factor       | 403               | 200/403           | 403               | 200/403           | 403               | 200/403           | 200/403
children:involvement-add | GET    | child         | >sign-in          | >two-factor       | 403               | 200/403           | 403               | 200/403           | 403               | 200/403           | 200/403
api:api-root             | GET    | -             | 404               | 404               | 404               | 404               | 404               | 404               | 404               | 404               | 404
api:openapi-json         | GET    | -             | 401               | 401               | 200               | 200               | 200               | 200               | 200               | 200               | 200
api:me                   | GET    | -             | 401               | 401               | 200               | 200               | 200               | 200               | 200               | 200               | 200
api:partnerships         | GET    | -             | 401               | 401               | 200               | 200               | 200               | 403               | 403               | 403               | 403
api:children             | GET    | -             | 401               | 401               | 403               | 200               | 403               | 200               | 403               | 200               | 200
api:child_create         | POST   | child-body    | 401               | 401               | 403               | 201/403           | 403               | 201/403           | 403               | 201/403           | 201/403
api:child                | GET    | child         | 401               | 401               | 403               | 200/403           | 403               | 200/403           | 403               | 200/403           | 200/403
"""

# Column heading -> the demo user who plays that role (src/safeguarding/demo/people.py).
ROLE_USERS = {
    "sysadmin": "admin",
    "business unit": "business.staffs",
    "board member": "board.police",
    "sub-group": "scrutiny.member",
    "analyst": "analyst.staffs",
    "practitioner": "social.worker",
    "key adult": "key.adult.brook",
}
PASSWORD_ONLY_USER = "social.worker"
SCOPES = ("own", "other")


# --- the table ---------------------------------------------------------------------------------


@dataclass(frozen=True)
class Outcome:
    status: int
    redirect_to: str | None = None

    @classmethod
    def parse(cls, cell: str) -> Outcome:
        if cell.startswith(">"):
            view = cell[1:]
            return cls(302, view if ":" in view else f"core:{view}")
        if not cell.isdigit() or cell == "302":
            raise ValueError(f"a cell is a status code or >view:name, got {cell!r}")
        return cls(int(cell))

    def __str__(self) -> str:
        return f">{self.redirect_to}" if self.redirect_to else str(self.status)


@dataclass(frozen=True)
class Row:
    name: str
    method: str
    target: str
    anonymous: dict[str, Outcome]  # scope -> outcome
    password_only: dict[str, Outcome]
    roles: dict[str, dict[str, Outcome]]  # column -> scope -> outcome
    source: str


def _cell(cell: str) -> dict[str, Outcome]:
    own, _, other = cell.partition("/")
    return {"own": Outcome.parse(own), "other": Outcome.parse(other or own)}


def _parse(text: str, source: str, rows: dict[str, Row]) -> None:
    lines = [line for line in text.strip().splitlines() if line.strip()]
    heading = [cell.strip() for cell in lines[0].split("|")]
    expected = ["url name", "method", "target", "anonymous", "password only", *ROLE_USERS]
    assert heading == expected, f"{source}: the heading must be {' | '.join(expected)}"
    for line in lines[1:]:
        cells = [cell.strip() for cell in line.split("|")]
        assert len(cells) == len(heading), f"{source}: {len(cells)} cells, wants {len(heading)}: {line}"
        name, method, target, anonymous, password_only, *by_role = cells
        assert name not in rows, f"{name} is listed twice ({source})"
        assert method in ("GET", "POST"), f"{source}: {name}: method {method}"
        roles = {column: _cell(cell) for column, cell in zip(ROLE_USERS, by_role, strict=True)}
        rows[name] = Row(name, method, target, _cell(anonymous), _cell(password_only), roles,
                         source)


def _app_tables():
    """Rows and targets other apps keep beside their own tests: tests/<app>/matrix_rows.py."""
    for path in sorted(Path(__file__).resolve().parents[1].glob("*/matrix_rows.py")):
        yield importlib.import_module(f"tests.{path.parent.name}.matrix_rows")


# --- what the URL arguments point at, for a given user and scope ---------------------------------


@dataclass(frozen=True)
class Body:
    """A POST target: URL arguments (as a target returns them) and the JSON body."""

    args: object = None
    data: dict = field(default_factory=dict)


class World:
    """The demo world plus the records each role's own/other columns point at."""

    def __init__(self):
        self.staffs = Partnership.objects.get(code="STAFFS")
        self.stoke = Partnership.objects.get(code="STOKE")
        self.stoke_cs = Agency.objects.get(name__startswith="Stoke-on-Trent City Council")
        self.stranger = User.objects.get(username="business.stoke")
        # A Stoke child that only Stoke's children's services works with.
        self.other_child = make_child(self.stoke, self.stoke_cs)
        self.other_token = services.api_token_issue(
            actor=None, name="Stoke system",
            membership=Membership.objects.get(user__username="social.worker.stoke"))[0]
        self._own_children: dict[int, object] = {}
        self._own_tokens: dict[int, object] = {}

    def partnership(self, scope: str) -> Partnership:
        return self.staffs if scope == "own" else self.stoke

    def own_child(self, user):
        agency = home_agency(user)
        if agency.pk not in self._own_children:
            self._own_children[agency.pk] = make_child(self.staffs, agency)
        return self._own_children[agency.pk]

    def own_token(self, user):
        if user.pk not in self._own_tokens:
            self._own_tokens[user.pk] = services.api_token_issue(
                actor=None, name=f"{user.username} system", membership=user.memberships.get())[0]
        return self._own_tokens[user.pk]


def _password_link(user, scope: str) -> dict:
    token = default_token_generator.make_token(user) if scope == "own" else "made-up-token"
    return {"uidb64": urlsafe_base64_encode(force_bytes(user.pk)), "token": token}


def _child_body(world: World, user, scope: str) -> Body:
    return Body(data={"partnership": world.partnership(scope).code, "first_name": "Matrix",
                      "last_name": f"Test {user.pk}", "date_of_birth": "2016-04-04", "sex": "1",
                      "ethnicity": "WBRI"})


# target -> function(world, user, scope) -> URL argument(s), or a Body for a POST
TARGETS = {
    "-": lambda w, u, s: None,
    "partnership": lambda w, u, s: w.partnership(s).code,
    "child": lambda w, u, s: (w.own_child(u) if s == "own" else w.other_child).pk,
    "agency": lambda w, u, s: (home_agency(u) if s == "own" else w.stoke_cs).pk,
    "person": lambda w, u, s: (u if s == "own" else w.stranger).pk,
    "membership": lambda w, u, s: Membership.objects.get(user=u if s == "own" else w.stranger).pk,
    "api-token": lambda w, u, s: (w.own_token(u) if s == "own" else w.other_token).pk,
    "password-link": lambda w, u, s: _password_link(u, s),
    "child-body": _child_body,
}


def _load() -> tuple[dict[str, Row], dict[str, tuple[str, ...]]]:
    rows: dict[str, Row] = {}
    _parse(MATRIX_TEXT, __name__, rows)
    for module in _app_tables():
        TARGETS.update(getattr(module, "TARGETS", {}))
        _parse(module.MATRIX_TEXT, module.__name__, rows)
    for row in rows.values():
        assert row.target in TARGETS, f"{row.source}: {row.name}: unknown target {row.target!r}"
    return rows, _url_parameters()


def _url_parameters() -> dict[str, tuple[str, ...]]:
    """Every named URL in the project (with its namespace) and its parameter names."""
    found: dict[str, tuple[str, ...]] = {}

    def walk(patterns, namespace: str, params: tuple[str, ...]) -> None:
        for pattern in patterns:
            own = tuple(getattr(pattern.pattern, "converters", {}) or
                        pattern.pattern.regex.groupindex)
            if isinstance(pattern, URLResolver):
                inner = namespace
                if pattern.namespace:
                    inner = f"{namespace}:{pattern.namespace}" if namespace else pattern.namespace
                walk(pattern.url_patterns, inner, params + own)
            elif isinstance(pattern, URLPattern) and pattern.name:
                found[f"{namespace}:{pattern.name}" if namespace else pattern.name] = params + own

    walk(get_resolver().url_patterns, "", ())
    return found


MATRIX, URL_PARAMETERS = _load()


def target_request(row: Row, target) -> tuple[str, dict | None]:
    """The URL and the body (POST, JSON) or query (GET) for a target's return value."""
    body = target if isinstance(target, Body) else None
    args = body.args if body else target
    if args is None:
        kwargs = {}
    elif isinstance(args, dict):
        kwargs = args
    else:
        [parameter] = URL_PARAMETERS[row.name]
        kwargs = {parameter: args}
    return reverse(row.name, kwargs=kwargs), (body.data if body else None)


def send(client: Client, row: Row, url: str, data: dict | None, **headers):
    if row.method == "POST":
        return client.post(url, data=json.dumps(data or {}), content_type="application/json",
                           **headers)
    # A GET target given as a Body carries query parameters (an API that takes them).
    return client.get(url, data, **headers)


def _request(client: Client, row: Row, world: World, user, scope: str):
    url, data = target_request(row, TARGETS[row.target](world, user, scope))
    return url, send(client, row, url, data)


def outcome_of(response) -> Outcome:
    if response.status_code == 302:
        return Outcome(302, resolve(urlparse(response["Location"]).path).view_name)
    return Outcome(response.status_code)


def _mismatch(who: str, url: str, response, expected: Outcome) -> str | None:
    actual = outcome_of(response)
    if actual == expected:
        return None
    return f"{who}: {url} gave {actual}, the table says {expected}"


# --- the tests -------------------------------------------------------------------------------


def test_every_url_in_the_resolver_is_in_the_table():
    missing = sorted(set(URL_PARAMETERS) - set(MATRIX))
    assert not missing, (
        "URL names in the resolver with no row in the authorization matrix "
        "(tests/core/test_authorization_matrix.py, or tests/<app>/matrix_rows.py): "
        + ", ".join(missing)
    )


def test_the_table_lists_no_url_that_no_longer_exists():
    stale = sorted(set(MATRIX) - set(URL_PARAMETERS))
    assert not stale, f"matrix rows for URL names the resolver does not have: {', '.join(stale)}"


@pytest.fixture
def demo_world(module_demo_world, db):
    """One demo build for this module (tests/conftest.py); each row's test is rolled back."""
    return module_demo_world


# Targets made in each row's own test, never ahead for the module: a booking made ahead would
# make the booking row's POST a second booking of the same person (422, not 201).
MADE_IN_EACH_TEST = {"training-booking", "training-token"}


def prepared_world(users) -> World:
    """A World with the targets of every GET row made now, for each of these users and
    both scopes.

    For a module's fixture, inside the module's transaction: the records the rows point at
    (a published report, a review's action...) are then made once for the module, not again
    in each row's test. The figures are computed and stored for the data as it then stands,
    as after an import, so a page of figures reads them rather than computing them in each
    test. A test takes a copy (``row_world``): what it makes is rolled back with it.
    """
    from safeguarding.measures.cache import results_rebuild

    world = World()
    for row in MATRIX.values():
        if row.method != "GET" or row.target in MADE_IN_EACH_TEST:
            continue
        for user in users:
            for scope in SCOPES:
                TARGETS[row.target](world, user, scope)
    for partnership in (world.staffs, world.stoke):
        results_rebuild(actor=None, partnership=partnership, warm_charts=False)
    return world


def row_world(prepared: World) -> World:
    """A test's own copy of the module's World: the records it makes (and rolls back) are
    not remembered for the next test. Its dicts, lists and sets are copied, the records in
    them shared: a row's test makes records and never changes one it was given (a deep copy
    of every model instance took about a tenth of the matrix's time)."""
    fresh = World.__new__(World)
    fresh.__dict__ = _containers_copied(prepared.__dict__)
    return fresh


def _containers_copied(value):
    if type(value) is dict:
        return {key: _containers_copied(item) for key, item in value.items()}
    if type(value) in (list, set, tuple):
        return type(value)(_containers_copied(item) for item in value)
    return value


@pytest.fixture(scope="module")
def matrix_world(module_demo_world, django_db_blocker):
    with django_db_blocker.unblock():
        return prepared_world([User.objects.get(username=username)
                               for username in (PASSWORD_ONLY_USER, *ROLE_USERS.values())])


@pytest.fixture(scope="module")
def signed_in(matrix_world, django_db_blocker) -> dict[str, SimpleCookie]:
    """Each column's person signed in once for the module (both factors; the password-only
    column with the password alone), as the cookies a client carries.

    The sessions are rows of the module's database, so every row's test finds them; what a
    test's requests change in a session is rolled back with the test, and each test starts
    from a fresh copy of the cookies. Signing nine people in again for each of the
    matrix's rows took about a fifth of its time."""
    with django_db_blocker.unblock():
        cookies = {column: sign_in(Client(), User.objects.get(username=username)).cookies
                   for column, username in ROLE_USERS.items()}
        cookies["password only"] = password_only_client(
            User.objects.get(username=PASSWORD_ONLY_USER)).cookies
    return cookies


def _client(cookies: SimpleCookie) -> Client:
    client = Client()
    client.cookies = copy.deepcopy(cookies)
    return client


@pytest.mark.parametrize("name", sorted(set(URL_PARAMETERS) | set(MATRIX)))
def test_outcome_for_every_role(name, demo_world, signed_in, matrix_world):
    assert name in MATRIX, (
        f"{name} is in the URL resolver but has no row in the authorization matrix "
        "(tests/core/test_authorization_matrix.py, or tests/<app>/matrix_rows.py): add one"
    )
    row, world, problems = MATRIX[name], row_world(matrix_world), []

    for scope in SCOPES:
        user = User.objects.get(username=PASSWORD_ONLY_USER)
        url, response = _request(Client(), row, world, user, scope)
        problems.append(_mismatch(f"anonymous ({scope})", url, response, row.anonymous[scope]))
        if row.anonymous[scope].redirect_to == "core:sign-in":
            # Signing in brings the person back to the page they asked for.
            assert parse_qs(urlparse(response["Location"]).query)["next"] == [url]
        url, response = _request(_client(signed_in["password only"]), row, world, user, scope)
        problems.append(_mismatch(f"password only ({scope})", url, response,
                                  row.password_only[scope]))

    for column, username in ROLE_USERS.items():
        client = _client(signed_in[column])
        user = User.objects.get(username=username)  # as signed in (last_login)
        for scope in SCOPES:
            url, response = _request(client, row, world, user, scope)
            problems.append(_mismatch(f"{column} ({username}, {scope})", url, response,
                                      row.roles[column][scope]))
    problems = [p for p in problems if p]
    assert not problems, "\n".join(problems)


# The rules every row must keep, so that the table itself cannot drift from them.
# A survey's response link opens to anyone who holds its token (voice, ADR 0031).
OPEN_TO_ANYONE = {"core:sign-in", "core:password-set", "voice:respond", "voice:respond-done"}
OPEN_BEFORE_SECOND_FACTOR = OPEN_TO_ANYONE | {"core:sign-out", "core:two-factor"}


def test_every_page_sends_anonymous_visitors_to_sign_in():
    for name, row in MATRIX.items():
        if name.startswith("api:") or name in OPEN_TO_ANYONE:
            continue
        assert set(row.anonymous.values()) == {Outcome(302, "core:sign-in")}, name


def test_without_the_second_factor_only_the_sign_in_pages_open():
    for name, row in MATRIX.items():
        if name.startswith("api:") or name in OPEN_BEFORE_SECOND_FACTOR:
            continue
        assert set(row.password_only.values()) == {Outcome(302, "core:two-factor")}, name


def test_the_api_answers_401_not_a_redirect_without_both_factors():
    for name, row in MATRIX.items():
        if name.startswith("api:") and name != "api:api-root":
            assert {*row.anonymous.values(), *row.password_only.values()} == {Outcome(401)}, name


def test_no_role_outside_the_child_record_roles_opens_a_child():
    """Analysts, board members and system administrators never see identifiable records."""
    for name, row in MATRIX.items():
        if row.target in ("child", "child-body") or name in ("children:list", "api:children"):
            for column in ("sysadmin", "board member", "analyst"):
                assert set(row.roles[column].values()) == {Outcome(403)}, (name, column)
