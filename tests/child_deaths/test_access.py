"""Who may open child death records: the panel (joint for STAFFS and STOKE) and its
business unit; analysts only aggregates; everyone else refused. Every read audited."""

from __future__ import annotations

import pytest
from django.urls import reverse

from safeguarding.child_deaths.rules import case_partnerships
from safeguarding.core.models import AuditEvent
from tests.child_deaths.helpers import audit_rows, notify, partnership, user

pytestmark = pytest.mark.django_db


@pytest.fixture
def cases(demo_world):
    return {"STAFFS": notify(code="STAFFS"), "STOKE": notify(code="STOKE")}


# username -> (STAFFS case, STOKE case) status for the case page
CASE_PAGE = {
    "cdop.member": (200, 200),  # panel hosted by STAFFS, shared with STOKE
    "business.staffs": (200, 200),  # the hosting partnership's business unit
    "business.stoke": (403, 200),  # the owning partnership's business unit
    "admin": (403, 403),
    "board.police": (403, 403),
    "scrutiny.member": (403, 403),  # a sub-group member, but not of the panel
    "analyst.staffs": (403, 403),
    "social.worker": (403, 403),
    "key.adult.brook": (403, 403),
}


@pytest.mark.parametrize(("username", "expected"), CASE_PAGE.items())
def test_case_page_by_role_and_every_attempt_audited(client_for, cases, username, expected):
    client = client_for(username)
    for code, status in zip(("STAFFS", "STOKE"), expected, strict=True):
        case = cases[code]
        response = client.get(reverse("child_deaths:detail", args=[case.pk]))
        assert response.status_code == status, (username, code)
        action = "read" if status == 200 else "denied"
        rows = audit_rows(case, action).filter(actor__username=username)
        assert rows.count() == 1, (username, code, action)
        if status == 200:
            assert case.child.last_name in response.content.decode()


def test_a_stoke_case_is_visible_to_the_staffs_hosted_panel_member(cases):
    member = user("cdop.member")
    assert member.memberships.get().partnership == partnership("STAFFS")
    assert partnership("STOKE").pk in case_partnerships(member)
    assert member.has_perm("child_deaths.view_case", cases["STOKE"])


@pytest.mark.parametrize(
    ("username", "status"),
    [
        ("cdop.member", 200),
        ("business.staffs", 200),
        ("business.stoke", 200),
        ("social.worker", 403),
        ("scrutiny.member", 403),
        ("admin", 403),
        ("board.police", 403),
        ("key.adult.brook", 403),
    ],
)
def test_list_and_working_pages(client_for, cases, username, status):
    client = client_for(username)
    for name in (
        "child_deaths:list",
        "child_deaths:notify",
        "child_deaths:due",
        "child_deaths:exports",
    ):
        assert client.get(reverse(name)).status_code == status, (username, name)


def test_the_list_audits_each_case_shown(client_for, cases):
    response = client_for("business.stoke").get(reverse("child_deaths:list"))
    assert response.status_code == 200
    body = response.content.decode()
    assert cases["STOKE"].reference in body and cases["STAFFS"].reference not in body
    assert audit_rows(cases["STOKE"], "read").filter(actor__username="business.stoke").count() == 1
    assert not audit_rows(cases["STAFFS"]).filter(actor__username="business.stoke").exists()


def test_analysts_get_statistics_not_cases(client_for, cases):
    client = client_for("analyst.staffs")
    response = client.get(reverse("child_deaths:list"))
    assert response.status_code == 302 and response.url == reverse("child_deaths:statistics")
    assert client.get(reverse("child_deaths:statistics")).status_code == 200
    for name in ("child_deaths:notify", "child_deaths:due", "child_deaths:exports"):
        assert client.get(reverse(name)).status_code == 403
    response = client.get(reverse("child_deaths:case-export", args=[cases["STAFFS"].pk, "csv"]))
    assert response.status_code == 403
    assert not AuditEvent.objects.filter(
        actor__username="analyst.staffs", action__in=["read", "export"]
    ).exists()


def test_the_capability_shows_only_to_those_who_may_use_it(client_for, cases):
    for username, shown in [
        ("cdop.member", True),
        ("analyst.staffs", True),
        ("social.worker", False),
        ("scrutiny.member", False),
    ]:
        body = client_for(username).get(reverse("core:home")).content.decode()
        assert ("Child death reviews" in body) is shown, username


def test_working_pages_refuse_other_roles(client_for, cases):
    case = cases["STAFFS"]
    client = client_for("social.worker")
    for name in ("child_deaths:jar", "child_deaths:request-add", "child_deaths:review"):
        assert client.get(reverse(name, args=[case.pk])).status_code == 403
    assert client.get(reverse("child_deaths:statistics")).status_code == 403
    assert client.get(reverse("child_deaths:themes")).status_code == 403
    assert audit_rows(case, "denied").filter(actor__username="social.worker").count() == 3


@pytest.fixture
def demo_world(module_demo_world, db):
    """The demo world built once for this module (tests/conftest.py); each test rolls back."""
    return module_demo_world
