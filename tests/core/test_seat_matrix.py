"""The authorization matrix for people who hold several seats, and for each seat's API token.

tests/core/test_authorization_matrix.py gives each role's outcome on every URL for a demo
user holding one seat. Here the people hold several seats at once:

- two agencies in one partnership (a Staffordshire Police practitioner who is also Brook
  Lane Academy's key adult, both for STAFFS);
- two partnerships (that police practitioner for STAFFS, and Stoke-on-Trent children's
  services' business unit for STOKE);
- sub-groups (a Child Death Overview Panel member and a Practice Reviews member) plus a
  Staffordshire children's services practitioner.

Every seat also has a "single-seat twin": a person holding that one seat alone. The rules
the tests keep:

1. a twin's outcome is the role column of the matrix wherever the matrix describes that
   seat (a STAFFS seat of a role the matrix has a column for, on the target the matrix
   calls own or other for it);
2. a person signed in with the browser gets the most permissive of what each of their
   seats' twins gets (the union of the seats), never more;
3. an API token issued for one seat gets exactly what that seat's twin gets on every API
   operation of the OpenAPI schema; on a page it is ignored (as an anonymous visitor).

Targets are built by the matrix's own TARGETS for each seat (so "own" is that seat's agency,
in STAFFS) and for "other" (STOKE, Stoke-on-Trent children's services); child and action
rows add a STOKE record of the seat's own agency (other partnership, same agency). Every
target is tried against every seat of the person, so each seat meets its own agency, another
agency of its partnership, and another partnership.

To keep the run short, a row whose outcome never depends on the target (the same cell for
own and other in every column) is tried with one person, taken in turn; every other row, every
child-death and review row and every API operation with all three.
"""

from __future__ import annotations

import datetime as dt
import itertools
import re
from dataclasses import dataclass

import pytest
from django.db import transaction
from django.test import Client
from django.urls import reverse

from safeguarding.api.router import api
from safeguarding.core import services
from safeguarding.core.models import Agency, Partnership, SubGroup, User
from safeguarding.core.roles import Role
from tests.conftest import sign_in
from tests.core.test_authorization_matrix import (
    MATRIX,
    TARGETS,
    URL_PARAMETERS,
    Outcome,
    Row,
    World,
    outcome_of,
    prepared_world,
    row_world,
    send,
    target_request,
)
from tests.support import make_child

pytestmark = pytest.mark.django_db


@dataclass(frozen=True)
class SeatSpec:
    role: str
    agency: str  # name
    partnership: str  # code
    sub_group: str | None = None
    column: str | None = None  # the matrix column that describes this seat, if any


POLICE = "Staffordshire Police"
BROOK = "Brook Lane Academy (demo)"
STOKE_CS = "Stoke-on-Trent City Council Children's Services"
STAFFS_CS = "Staffordshire County Council Children's Services"
ICB = "Staffordshire and Stoke-on-Trent Integrated Care Board"

SEATS = {
    "police practitioner": SeatSpec(Role.PRACTITIONER, POLICE, "STAFFS", column="practitioner"),
    "Brook key adult": SeatSpec(Role.SCHOOL_KEY_ADULT, BROOK, "STAFFS", column="key adult"),
    # The matrix's business-unit column is STAFFS's; shares run from STAFFS to STOKE only,
    # so STOKE's business unit is not its mirror image: its twin alone speaks for it.
    "Stoke business unit": SeatSpec(Role.BUSINESS_UNIT, STOKE_CS, "STOKE"),
    # The matrix's sub-group column is a Scrutiny and Assurance member.
    "CDOP member": SeatSpec(Role.SUB_GROUP_MEMBER, ICB, "STAFFS", "Child Death Overview Panel"),
    "Practice Reviews member": SeatSpec(Role.SUB_GROUP_MEMBER, POLICE, "STAFFS",
                                        "Practice Reviews"),
    "social worker": SeatSpec(Role.PRACTITIONER, STAFFS_CS, "STAFFS", column="practitioner"),
}
PEOPLE = {
    "two agencies": ("police practitioner", "Brook key adult"),
    "two partnerships": ("police practitioner", "Stoke business unit"),
    "sub-groups and practitioner": ("CDOP member", "Practice Reviews member", "social worker"),
}


# --- most permissive ---------------------------------------------------------------------------

SIGNED_OUT = {"core:sign-in", "core:two-factor"}


def rank(outcome: Outcome) -> int:
    """How far an outcome lets the person in: the union of seats takes the highest."""
    if 200 <= outcome.status < 300:
        return 6
    if outcome.status == 302:
        return 0 if outcome.redirect_to in SIGNED_OUT else 5
    if outcome.status == 405:  # past the permission check, wrong method
        return 4
    if outcome.status in (400, 404, 409, 422):
        return 3
    if outcome.status == 403:
        return 2
    return 1  # 401


def most_permissive(outcomes) -> set[Outcome]:
    top = max(rank(o) for o in outcomes)
    return {o for o in outcomes if rank(o) == top}


# --- the people, built once for the module -----------------------------------------------------


@dataclass
class Seated:
    """A person signed in, their seats' memberships and one token per seat."""

    user: User
    client: Client
    tokens: dict[str, str]  # seat key -> raw token


@pytest.fixture(scope="module")
def seated(module_demo_world, django_db_blocker):
    with django_db_blocker.unblock():
        partnerships = {p.code: p for p in Partnership.objects.all()}
        agencies = {a.name: a for a in Agency.objects.all()}

        def add_person(username: str, seat_keys) -> Seated:
            user = services.user_add(actor=None, username=username, first_name="Seat",
                                     last_name=username.title(), email=f"{username}@demo.invalid")
            tokens = {}
            for key in seat_keys:
                spec = SEATS[key]
                partnership = partnerships[spec.partnership]
                group = (SubGroup.objects.get(partnership=partnership, name=spec.sub_group)
                         if spec.sub_group else None)
                membership = services.membership_add(
                    actor=None, user=user, agency=agencies[spec.agency], partnership=partnership,
                    role=spec.role, sub_group=group)
                tokens[key] = services.api_token_issue(actor=None, name=f"{username} {key}",
                                                       membership=membership)[1]
            return Seated(user, sign_in(Client(), user), tokens)

        twins = {key: add_person(f"twin.{n}", [key]) for n, key in enumerate(SEATS)}
        people = {name: add_person(f"seats.{n}", keys) for n, (name, keys) in
                  enumerate(PEOPLE.items())}
    return twins, people


@pytest.fixture
def demo_world(module_demo_world, db):
    return module_demo_world


@pytest.fixture(scope="module")
def seat_world(seated, django_db_blocker) -> World:
    """The rows' targets for every seat's twin, made once for the module
    (test_authorization_matrix.prepared_world); each test takes a copy. A person's own
    targets (their own booking) are made in the tests that ask for them, as before."""
    twins, _ = seated
    with django_db_blocker.unblock():
        return prepared_world([twin.user for twin in twins.values()])


# --- targets -----------------------------------------------------------------------------------

_unique = itertools.count(1)


def _cross_child(world: World, twin: User) -> int | None:
    """A STOKE child the seat's own agency is open-involved with (other partnership)."""
    agency = twin.memberships.get().agency
    if not agency.partnerships.filter(code="STOKE").exists():
        return None
    made = world.__dict__.setdefault("_cross_children", {})
    if agency.pk not in made:
        made[agency.pk] = make_child(world.stoke, agency).pk
    return made[agency.pk]


def _cross_action(world: World, twin: User) -> int | None:
    """An action of a STOKE review owned by the seat's own agency (other partnership)."""
    from safeguarding.reviews import services as review_services
    from tests.reviews.matrix_rows import _records

    agency = twin.memberships.get().agency
    if not agency.partnerships.filter(code="STOKE").exists():
        return None
    records = _records(world, "other")
    if agency.pk not in records["actions"]:
        records["actions"][agency.pk] = review_services.action_add(
            actor=None, recommendation=records["recommendation"], text="An action",
            owner_agency=agency, due_on=dt.date(2021, 9, 1))
    return records["actions"][agency.pk].pk


CROSS = {"child": _cross_child, "review-action": _cross_action}


def _freeze(value):
    """A body as nested tuples, so targets compare (a body may hold lists of dicts)."""
    if isinstance(value, dict):
        return ("dict", tuple(sorted((k, _freeze(v)) for k, v in value.items())))
    if isinstance(value, list):
        return ("list", tuple(_freeze(v) for v in value))
    return value


def _thaw(value):
    if isinstance(value, tuple) and len(value) == 2 and value[0] == "dict":
        return {k: _thaw(v) for k, v in value[1]}
    if isinstance(value, tuple) and len(value) == 2 and value[0] == "list":
        return [_thaw(v) for v in value[1]]
    return value


@dataclass(frozen=True)
class Target:
    url: str
    data: tuple | None  # frozen items of the body/query, so targets compare
    scopes: tuple[tuple[str, str], ...]  # (twin seat key, "own"/"other") it was built as

    @property
    def body(self) -> dict | None:
        return _thaw(self.data) if self.data is not None else None


def _targets(row: Row, world: World, twins: dict[str, Seated], seat_keys) -> list[Target]:
    """Each seat's own target, every seat's other target, and the cross targets."""
    found: dict[tuple, list[tuple[str, str]]] = {}
    for key in seat_keys:
        user = twins[key].user
        for scope in ("own", "other"):
            url, data = target_request(row, TARGETS[row.target](world, user, scope))
            ident = (url, _freeze(data) if data is not None else None)
            found.setdefault(ident, []).append((key, scope))
        if row.target in CROSS and (pk := CROSS[row.target](world, user)) is not None:
            url, data = target_request(row, pk)
            found.setdefault((url, None), []).append((key, "cross"))
    return [Target(url, data, tuple(scopes)) for (url, data), scopes in found.items()]


def _send(client: Client, row: Row, target: Target, **headers) -> Outcome:
    """A POST is undone once answered: each seat, person and token tries the same state (a
    second booking of one person, or a charge waived twice, would otherwise be refused)."""
    if row.method != "POST":
        return _send_once(client, row, target, **headers)
    with transaction.atomic():
        outcome = _send_once(client, row, target, **headers)
        transaction.set_rollback(True)
    return outcome


def _send_once(client: Client, row: Row, target: Target, **headers) -> Outcome:
    data = target.body
    if row.method == "POST" and data and "last_name" in data:
        # Every record a POST creates is a new child, never a second copy of the last.
        data = {**data, "last_name": f"Seat Matrix {next(_unique)}"}
    for field in ("force_reference", "police_reference"):
        if row.method == "POST" and data and field in data:
            # Likewise every missing episode and incident: a police reference names one.
            data = {**data, field: f"{data[field]}-{next(_unique)}"}
    if row.method == "POST" and data and "held_on" in data:
        # And every meeting: a body meets once a day.
        day = dt.date.fromisoformat(data["held_on"]) + dt.timedelta(days=next(_unique))
        data = {**data, "held_on": day.isoformat()}
    return outcome_of(send(client, row, target.url, data, **headers))


def _bearer(raw: str) -> dict:
    return {"HTTP_AUTHORIZATION": f"Bearer {raw}"}


# --- the checks --------------------------------------------------------------------------------


class Check:
    """One row, one world: twins' outcomes (cached), and what disagrees with the rules."""

    def __init__(self, row: Row, twins: dict[str, Seated], name: str, world: World):
        self.row, self.twins, self.world = row, twins, row_world(world)
        self.columnless = _columnless(name)
        self.own_record = row.name in OWN_RECORD_ROWS
        self.cache: dict[tuple[str, Target], Outcome] = {}
        self.problems: list[str] = []

    def twin(self, key: str, target: Target) -> Outcome:
        if (key, target) not in self.cache:
            got = _send(self.twins[key].client, self.row, target)
            self.cache[(key, target)] = got
            spec = SEATS[key]
            scope = next((s for k, s in target.scopes if k == key and s != "cross"), None)
            if (spec.column and spec.partnership == "STAFFS" and scope
                    and key not in self.columnless):
                expected = self.row.roles[spec.column][scope]
                if got != expected:
                    self.problems.append(
                        f"{key} alone ({scope}): {target.url} gave {got}, "
                        f"the matrix's {spec.column} column says {expected}")
        return self.cache[(key, target)]

    def person(self, name: str, person: Seated) -> None:
        seat_keys = PEOPLE[name]
        for target in _targets(self.row, self.world, self.twins, seat_keys):
            each = {key: self.twin(key, target) for key in seat_keys}
            got = _send(person.client, self.row, target)
            if self.own_record:
                owners = {k for k, scope in target.scopes if scope == "own"}
                others = [o for k, o in each.items() if k not in owners]
                expected = most_permissive(others) if others else {Outcome(403)}
            else:
                expected = most_permissive(each.values())
            if got not in expected:
                self.problems.append(
                    f"{name} (signed in): {target.url} gave {got}; "
                    f"the seats alone give {each}, so wanted {' or '.join(map(str, expected))}")

    def own_records(self, name: str, person: Seated) -> None:
        """On a record of the person's own, each seat's twin's outcome on its own record."""
        owner_outcomes = {self.twin(key, target) for key in PEOPLE[name]
                          for target in _targets(self.row, self.world, self.twins, [key])
                          if (key, "own") in target.scopes}
        url, data = target_request(self.row, TARGETS[self.row.target](self.world, person.user,
                                                                       "own"))
        target = Target(url, _freeze(data) if data is not None else None, ())
        got = _send(person.client, self.row, target)
        if got not in most_permissive(owner_outcomes):
            self.problems.append(f"{name} (signed in) on their own record: {url} gave {got}, "
                                 f"each seat alone gets {owner_outcomes} on its own")

    def tokens(self, name: str, person: Seated) -> None:
        for target in _targets(self.row, self.world, self.twins, PEOPLE[name]):
            owners = ({k for k, scope in target.scopes if scope == "own"} if self.own_record
                      else set())
            for key in PEOPLE[name]:
                if owners:
                    # A twin's own record is never the person's, whichever seat the token is
                    # for: what a twin that does not own it gets.
                    others = [self.twin(k, target) for k in PEOPLE[name] if k not in owners]
                    wanted = most_permissive(others) if others else {Outcome(403)}
                else:
                    wanted = {self.twin(key, target)}
                got = _send(Client(), self.row, target, **_bearer(person.tokens[key]))
                if got not in wanted:
                    self.problems.append(
                        f"{name}'s token for {key}: {target.url} gave {got}, "
                        f"wanted {' or '.join(map(str, wanted))}")
        if self.own_record:
            self.token_own_records(name, person)

    def token_own_records(self, name: str, person: Seated) -> None:
        """On the person's own record, each seat's token gets what that seat's twin gets on
        its own record."""
        url, data = target_request(self.row, TARGETS[self.row.target](self.world, person.user,
                                                                       "own"))
        mine = Target(url, _freeze(data) if data is not None else None, ())
        for key in PEOPLE[name]:
            expected = {self.twin(key, target)
                        for target in _targets(self.row, self.world, self.twins, [key])
                        if (key, "own") in target.scopes}
            got = _send(Client(), self.row, mine, **_bearer(person.tokens[key]))
            if got not in expected:
                self.problems.append(f"{name}'s token for {key} on the person's own record: "
                                     f"{url} gave {got}, {key} alone gets {expected} on its own")

    def token_on_a_page(self, name: str, person: Seated) -> None:
        key = PEOPLE[name][0]
        target = _targets(self.row, self.world, self.twins, [key])[0]
        scope = target.scopes[0][1]
        got = _send(Client(), self.row, target, **_bearer(person.tokens[key]))
        expected = self.row.anonymous["other" if scope == "other" else "own"]
        if got != expected:
            self.problems.append(f"{name}'s token on a page: {target.url} gave {got}, "
                                 f"an anonymous visitor gets {expected}")


def _target_free(row: Row) -> bool:
    cells = [row.anonymous, row.password_only, *row.roles.values()]
    return all(cell["own"] == cell["other"] for cell in cells)


# Encompass too: its rows judge the police practitioner's seat by its twin alone
# (NO_COLUMN_FOR), so every person who holds that seat is tried on them.
FULL_APPS = ("api:", "child_deaths:", "encompass:")


def _people_for(name: str, row: Row) -> list[str]:
    if name.startswith(FULL_APPS) or not _target_free(row):
        return list(PEOPLE)
    names = sorted(MATRIX)
    return [list(PEOPLE)[names.index(name) % len(PEOPLE)]]


# Rows where a seat of ours is not the person a matrix column describes: the police
# practitioner's seat is a practitioner's, but the matrix's practitioner column is the LA's
# social worker, and Operation Encompass lets the police record incidents. For these rows the
# seat's twin alone speaks for it (rule 1 is not applied to it, as for Stoke's business unit);
# the union rule and the token rule are still checked. tests/encompass holds the police
# practitioner's own outcomes.
NO_COLUMN_FOR = {
    "encompass:": {"police practitioner"},
    "api:encompass_": {"police practitioner"},
    "GET /api/encompass/": {"police practitioner"},
    "POST /api/encompass/": {"police practitioner"},
}

# Rows whose record is a person's own (a learner's booking), whatever seats they hold: a
# target built for a twin is that twin's own record, so another person holding the same
# seats may not act on it. For these rows a person gets, on a twin's record, the most
# permissive outcome of the twins that do not own it, and on a record built for the person
# themselves, what each twin gets on its own.
OWN_RECORD_ROWS = {"training:booking-cancel", "training:booking-evaluate",
                   "api:training_cancel", "api:training_accept", "api:training_evaluate"}


def _columnless(name: str) -> set[str]:
    return set().union(*(keys for prefix, keys in NO_COLUMN_FOR.items()
                         if name.startswith(prefix)))


@pytest.mark.parametrize("name", sorted(set(URL_PARAMETERS) | set(MATRIX)))
def test_several_seats_signed_in_get_the_union_of_their_seats(name, seated, seat_world,
                                                               demo_world):
    assert name in MATRIX, (
        f"{name} is in the URL resolver but has no row in the authorization matrix "
        "(tests/core/test_authorization_matrix.py, or tests/<app>/matrix_rows.py): add one")
    twins, people = seated
    check = Check(MATRIX[name], twins, name, seat_world)
    for person in _people_for(name, check.row):
        check.person(person, people[person])
        if check.own_record:
            check.own_records(person, people[person])
        if not name.startswith("api:"):
            check.token_on_a_page(person, people[person])
    assert not check.problems, "\n".join(check.problems)


# --- API operations, from the OpenAPI schema ---------------------------------------------------


def _operations() -> list[str]:
    schema = api.get_openapi_schema()
    return sorted(f"{method.upper()} {path}" for path, methods in schema["paths"].items()
                  for method in methods)


def _row_for(operation: str) -> Row | None:
    method, path = operation.split(" ", 1)
    template = re.sub(r"\{[^}]+\}", "1", path)
    for name, row in MATRIX.items():
        if not name.startswith("api:") or row.method != method:
            continue
        url = reverse(name, kwargs=dict.fromkeys(URL_PARAMETERS.get(name, ()), 1))
        if url == template:
            return row
    return None


OPERATIONS = _operations()


def test_the_schema_lists_the_api():
    """The operations come from the schema: a schema that lost them would test nothing."""
    assert {"GET /api/children", "GET /api/children/{child_id}", "POST /api/children",
            "GET /api/me"} <= set(OPERATIONS)


@pytest.mark.parametrize("operation", OPERATIONS)
def test_a_token_acts_as_exactly_its_seat(operation, seated, seat_world, demo_world):
    row = _row_for(operation)
    assert row is not None, (
        f"the API operation {operation} has no row in the authorization matrix "
        "(tests/core/test_authorization_matrix.py, or tests/<app>/matrix_rows.py): add one")
    twins, people = seated
    check = Check(row, twins, operation, seat_world)
    for name, person in people.items():
        check.tokens(name, person)
    assert not check.problems, "\n".join(check.problems)


def test_the_union_rule_itself():
    """The most permissive of several outcomes: a page beats a refusal, a refusal a sign-in."""
    assert most_permissive([Outcome(403), Outcome(200)]) == {Outcome(200)}
    assert most_permissive([Outcome(302, "child_deaths:statistics"), Outcome(403)]) == {
        Outcome(302, "child_deaths:statistics")}
    assert most_permissive([Outcome(403), Outcome(405)]) == {Outcome(405)}
    assert most_permissive([Outcome(401), Outcome(403)]) == {Outcome(403)}
