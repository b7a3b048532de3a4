"""Need-to-know, as a property: in any small world, nobody reads a child the rule does not give.

Hypothesis builds worlds of 1-3 partnerships, 1-4 agencies each serving some of them, people
holding 1-3 seats (role, agency, partnership, a sub-group for sub-group members), partnership
shares, and children with open or ended involvements. For every person the test reads every
child through every path: the child's page, the list page, ``children.selectors.child_search``,
GET /api/children and /api/children/<id> signed in and with a token for each seat, and the
dashboard's drill-down to children wherever the person may open it.

The rule is computed here, from the generated world, not from the project's code:

- a business-unit seat reads the children of its own partnership;
- a practitioner, school key adult or sub-group member seat reads a child of its own
  partnership with whom its own agency has an open involvement;
- nothing else (no share, no other role, no other partnership) reads a child;
- signed in, a person reads what any of their seats reads; a token reads what its one seat
  reads.

Every child returned has its audit row; every refusal of a real child is a 403.
"""

from __future__ import annotations

import datetime as dt
import re
from dataclasses import dataclass

import pytest
from django.db import transaction
from django.test import Client
from django.urls import reverse
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from safeguarding.children import selectors
from safeguarding.children.models import Child, Involvement
from safeguarding.core import services
from safeguarding.core.models import (
    Agency,
    AuditEvent,
    LocalAuthority,
    Partnership,
    PartnershipShare,
    SharedFunction,
    SubGroup,
    User,
)
from safeguarding.core.roles import Role
from safeguarding.core.rules import Seat, act_as_seat
from tests.conftest import sign_in

pytestmark = pytest.mark.django_db

ROLES = [r.value for r in Role]
SUB_GROUPS = ["Practice Reviews", "Child Death Overview Panel", "Scrutiny and Assurance"]
WIDE = {Role.BUSINESS_UNIT.value}
WHERE_INVOLVED = {Role.PRACTITIONER.value, Role.SCHOOL_KEY_ADULT.value,
                  Role.SUB_GROUP_MEMBER.value}


# --- the generated world (indices, not records) ------------------------------------------------


@dataclass(frozen=True)
class SeatSpec:
    role: str
    agency: int
    partnership: int
    sub_group: str | None


@dataclass(frozen=True)
class ChildSpec:
    partnership: int
    involvements: tuple[tuple[int, bool], ...]  # (agency, ended)


@dataclass(frozen=True)
class WorldSpec:
    partnerships: int
    agencies: tuple[frozenset[int], ...]  # the partnerships each agency serves
    people: tuple[tuple[SeatSpec, ...], ...]
    shares: frozenset[tuple[int, int, str]]
    children: tuple[ChildSpec, ...]


@st.composite
def worlds(draw) -> WorldSpec:
    n = draw(st.integers(1, 3))
    partnership = st.integers(0, n - 1)
    agencies = tuple(draw(st.lists(st.frozensets(partnership, min_size=1), min_size=1,
                                   max_size=4)))

    @st.composite
    def seat(draw_seat) -> SeatSpec:
        role = draw_seat(st.sampled_from(ROLES))
        agency = draw_seat(st.integers(0, len(agencies) - 1))
        served = sorted(agencies[agency])
        group = (draw_seat(st.sampled_from(SUB_GROUPS)) if role == Role.SUB_GROUP_MEMBER
                 else None)
        return SeatSpec(role, agency, draw_seat(st.sampled_from(served)), group)

    people = tuple(
        tuple(draw(st.lists(seat(), min_size=1, max_size=3, unique_by=lambda s: s)))
        for _ in range(draw(st.integers(1, 3))))
    shares = draw(st.frozensets(
        st.tuples(partnership, partnership, st.sampled_from([f.value for f in SharedFunction]))
        .filter(lambda s: s[0] != s[1]), max_size=3))
    involvement = st.tuples(st.integers(0, len(agencies) - 1), st.booleans())
    children = tuple(draw(st.lists(
        st.builds(ChildSpec, partnership, st.lists(involvement, max_size=3).map(tuple)),
        min_size=1, max_size=4)))
    return WorldSpec(n, agencies, people, shares, children)


def seat_reads(seat: SeatSpec, child: ChildSpec) -> bool:
    """The rule, from the spec alone."""
    if seat.partnership != child.partnership:
        return False
    if seat.role in WIDE:
        return True
    open_agencies = {agency for agency, ended in child.involvements if not ended}
    return seat.role in WHERE_INVOLVED and seat.agency in open_agencies


def works_with_children(seats) -> bool:
    return any(s.role in WIDE | WHERE_INVOLVED for s in seats)


# --- building it -------------------------------------------------------------------------------


@dataclass
class Person:
    user: User
    seats: tuple[SeatSpec, ...]
    tokens: list[tuple[SeatSpec, Seat, str]]  # spec, the seat as the rules see it, raw token


def build(spec: WorldSpec):
    partnerships = []
    for i in range(spec.partnerships):
        partnership = Partnership.objects.create(code=f"PROP{i}", name=f"Property {i}")
        LocalAuthority.objects.create(partnership=partnership, old_code=f"99{i}",
                                      new_code=f"E0999999{i}", name=f"Property LA {i}")
        for name in SUB_GROUPS:
            SubGroup.objects.create(partnership=partnership, name=name)
        partnerships.append(partnership)
    agencies = []
    for i, served in enumerate(spec.agencies):
        agency = Agency.objects.create(name=f"Property agency {i}", kind="police")
        agency.partnerships.set([partnerships[p] for p in served])
        agencies.append(agency)
    for owner, shared_with, function in spec.shares:
        PartnershipShare.objects.create(owner=partnerships[owner],
                                        shared_with=partnerships[shared_with], function=function)
    children = []
    for i, child_spec in enumerate(spec.children):
        partnership = partnerships[child_spec.partnership]
        child = Child.objects.create(
            partnership=partnership, local_authority=partnership.local_authorities.first(),
            first_name="Prop", last_name=f"Child{i}", date_of_birth=dt.date(2014, 2, 3),
            sex="1", ethnicity="WBRI", pseudonym=f"prop{i:028d}")
        for agency, ended in child_spec.involvements:
            Involvement.objects.create(child=child, agency=agencies[agency], reason="Property",
                                       started_on=dt.date(2020, 1, 1),
                                       ended_on=dt.date(2020, 6, 1) if ended else None)
        children.append(child)
    people = []
    for i, seat_specs in enumerate(spec.people):
        user = User.objects.create(username=f"prop.person.{i}")
        tokens = []
        for seat in seat_specs:
            partnership = partnerships[seat.partnership]
            group = (SubGroup.objects.get(partnership=partnership, name=seat.sub_group)
                     if seat.sub_group else None)
            membership = services.membership_add(
                actor=None, user=user, agency=agencies[seat.agency], partnership=partnership,
                role=seat.role, sub_group=group)
            raw = services.api_token_issue(actor=None, name=f"prop {i}", membership=membership)[1]
            rules_seat = Seat(membership.role, membership.partnership_id, membership.agency_id,
                              membership.sub_group_id)
            tokens.append((seat, rules_seat, raw))
        people.append(Person(user, seat_specs, tokens))
    return partnerships, children, people


# --- reading it --------------------------------------------------------------------------------

CHILD_LINK = re.compile(r'href="/children/(\d+)/"')


class Reads:
    """Every read through one path, checked against the rule and the audit log."""

    def __init__(self, children, spec: WorldSpec):
        self.children, self.spec, self.problems = children, spec, []

    def expected(self, seats) -> set[int]:
        return {c.pk for c, cs in zip(self.children, self.spec.children, strict=True)
                if any(seat_reads(s, cs) for s in seats)}

    def audited(self, user: User, since: int, ids: set[int], path: str) -> None:
        read = set(AuditEvent.objects.filter(
            pk__gt=since, actor=user, action=AuditEvent.Action.READ,
            object_type="children.child").values_list("object_id", flat=True))
        missing = {str(i) for i in ids} - read
        if missing:
            self.problems.append(f"{path}: read without an audit row: children {sorted(missing)}")

    def listed(self, who: str, user: User, seats, path: str, read) -> None:
        """``read()`` gives (status, the ids of the children it returned)."""
        since = _last_audit()
        status, shown = read()
        if not works_with_children(seats):
            if status != 403:
                self.problems.append(f"{who}: {path} is not refused")
            return
        if status != 200:
            self.problems.append(f"{who}: {path} gave {status}")
            return
        if shown != self.expected(seats):
            self.problems.append(f"{who}: {path} listed {sorted(shown)}, "
                                 f"the rule gives {sorted(self.expected(seats))}")
        self.audited(user, since, shown, f"{who}: {path}")

    def one(self, who: str, user: User, seats, path: str, get) -> None:
        for child in self.children:
            since = _last_audit()
            status = get(child.pk).status_code
            wanted = 200 if child.pk in self.expected(seats) else 403
            if status != wanted:
                self.problems.append(f"{who}: {path} for child {child.pk} gave {status}, "
                                     f"the rule gives {wanted}")
            elif status == 200:
                self.audited(user, since, {child.pk}, f"{who}: {path} {child.pk}")


def _http(response) -> tuple[int, set[int]]:
    return response.status_code, (_ids(response) if response.status_code == 200 else set())


def _last_audit() -> int:
    return AuditEvent.objects.order_by("-pk").values_list("pk", flat=True).first() or 0


def _ids(response) -> set[int]:
    if response["Content-Type"].startswith("application/json"):
        return {item["id"] for item in response.json()["items"]}
    return {int(pk) for pk in CHILD_LINK.findall(response.content.decode())}


def _search(user: User, seat: Seat | None = None) -> set[int]:
    actor = User.objects.get(pk=user.pk)  # a fresh object: its seats are loaded anew
    if seat is not None:
        act_as_seat(actor, seat)
    return {c.pk for c in selectors.child_search(actor=actor, limit=200)[0]}


def check_world(spec: WorldSpec) -> list[str]:
    partnerships, children, people = build(spec)
    reads = Reads(children, spec)
    for n, person in enumerate(people):
        user, who = person.user, f"person {n} {person.seats}"
        client = sign_in(Client(), user)
        reads.one(who, user, person.seats, "GET /children/<id>/",
                  lambda pk, c=client: c.get(f"/children/{pk}/"))
        reads.one(who, user, person.seats, "GET /api/children/<id>",
                  lambda pk, c=client: c.get(f"/api/children/{pk}"))
        reads.listed(who, user, person.seats, "GET /children/",
                     lambda c=client: _http(c.get("/children/")))
        reads.listed(who, user, person.seats, "GET /api/children",
                     lambda c=client: _http(c.get("/api/children?limit=200")))
        if works_with_children(person.seats):
            reads.listed(who, user, person.seats, "child_search",
                         lambda u=user: (200, _search(u)))
        for partnership in partnerships:
            url = reverse("measures:measure-children",
                          kwargs={"code": partnership.code, "indicator_id": "referrals"})
            response = client.get(url)
            opens = any(s.role in WIDE and partnerships[s.partnership] == partnership
                        for s in person.seats)
            if response.status_code != (200 if opens else 403):
                reads.problems.append(f"{who}: {url} gave {response.status_code}")
            elif opens and not _ids(response) <= reads.expected(person.seats):
                reads.problems.append(f"{who}: {url} listed a child the rule does not give")
        for seat_spec, seat, raw in person.tokens:
            by = f"{who}'s token for {seat_spec}"
            bearer = {"HTTP_AUTHORIZATION": f"Bearer {raw}"}
            api = Client()
            reads.one(by, user, [seat_spec], "GET /api/children/<id>",
                      lambda pk, b=bearer, c=api: c.get(f"/api/children/{pk}", **b))
            reads.listed(by, user, [seat_spec], "GET /api/children",
                         lambda b=bearer, c=api: _http(c.get("/api/children?limit=200", **b)))
            if works_with_children([seat_spec]):
                reads.listed(by, user, [seat_spec], "child_search as the seat",
                             lambda u=user, s=seat: (200, _search(u, s)))
    return reads.problems


@settings(max_examples=15, deadline=None,
          suppress_health_check=[HealthCheck.too_slow, HealthCheck.function_scoped_fixture,
                                 HealthCheck.data_too_large])
@given(spec=worlds())
def test_every_read_of_a_child_keeps_the_rule(spec, db):
    with transaction.atomic():  # a savepoint per example: no example sees another's world
        try:
            problems = check_world(spec)
        finally:
            transaction.set_rollback(True)
    assert not problems, "\n".join(problems)


def test_the_rule_itself():
    """The property's rule on hand-made cases, so that a rule that says yes to all fails."""
    child = ChildSpec(0, ((1, False), (2, True)))
    assert seat_reads(SeatSpec(Role.BUSINESS_UNIT, 5, 0, None), child)
    assert not seat_reads(SeatSpec(Role.BUSINESS_UNIT, 1, 1, None), child)
    assert seat_reads(SeatSpec(Role.PRACTITIONER, 1, 0, None), child)
    assert not seat_reads(SeatSpec(Role.PRACTITIONER, 2, 0, None), child)  # ended
    assert not seat_reads(SeatSpec(Role.PRACTITIONER, 1, 1, None), child)  # other partnership
    assert seat_reads(SeatSpec(Role.SUB_GROUP_MEMBER, 1, 0, "Practice Reviews"), child)
    for role in (Role.ANALYST, Role.BOARD_MEMBER, Role.SYSTEM_ADMINISTRATOR):
        assert not seat_reads(SeatSpec(role, 1, 0, None), child)
