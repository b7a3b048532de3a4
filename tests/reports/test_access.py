"""Who may open each report page, by the table in matrix_rows.py (which the project's
authorization matrix also reads), and the pages' links for each role.

``own`` is Staffordshire's 2020-21 report, ``other`` Stoke-on-Trent's; ``world`` writes and
publishes both, so that every object the URLs point at exists.
"""

from __future__ import annotations

import pytest
from django.test import Client
from django.urls import reverse

from safeguarding.core.models import Partnership, User
from safeguarding.reports import services

from .helpers import YEAR, write_all
from .matrix_rows import MATRIX_TEXT

ROLE_USERS = {
    "sysadmin": "admin",
    "business unit": "business.staffs",
    "board member": "board.police",
    "sub-group": "scrutiny.member",
    "analyst": "analyst.staffs",
    "practitioner": "social.worker",
    "key adult": "key.adult.brook",
}
TARGETS = {
    "-": lambda code: {},
    "report": lambda code: {"code": code, "year": YEAR},
    "report-block": lambda code: {"code": code, "year": YEAR, "block": "introduction"},
    "report-version": lambda code: {"code": code, "year": YEAR, "block": "introduction",
                                    "number": 1},
    "report-published": lambda code: {"code": code, "year": YEAR, "number": 1},
}


def _rows() -> dict[str, tuple[str, list[str]]]:
    """The rows of matrix_rows.MATRIX_TEXT: name -> (target, one cell per role)."""
    lines = [line for line in MATRIX_TEXT.strip().splitlines()[1:] if line.strip()]
    rows = {}
    for line in lines:
        name, _method, target, _anonymous, _password_only, *cells = (
            c.strip() for c in line.split("|"))
        rows[name] = (target, cells)
    return rows


MATRIX = _rows()
# The PDF rows are checked by tests/core/test_authorization_matrix.py, which reads the same
# table; here they would only add PDF renders to a test that is about who may open a page.
QUICK = sorted(name for name in MATRIX if not name.endswith("-pdf"))


@pytest.fixture(scope="module")
def published(module_demo_world, django_db_blocker):
    """Both partnerships' 2020-21 reports written and published once for the module, in its
    transaction (tests/conftest.py's module_demo_world); each test rolls its own changes back."""
    with django_db_blocker.unblock():
        for code, username in (("STAFFS", "business.staffs"), ("STOKE", "business.stoke")):
            partnership = Partnership.objects.get(code=code)
            user = User.objects.get(username=username)
            write_all(partnership, user)
            services.report_publish(actor=user, partnership=partnership, year=YEAR)


@pytest.fixture
def world(published, demo_world):
    """The demo world with both reports published."""


def test_every_report_url_is_in_the_table():
    from django.urls import get_resolver

    resolver = next(p for p in get_resolver().url_patterns
                    if getattr(p, "namespace", None) == "reports")
    names = {f"reports:{p.name}" for p in resolver.url_patterns}
    assert names == set(MATRIX)


@pytest.mark.parametrize("name", QUICK)
def test_outcome_for_every_role(name, world, client_for):
    target, cells = MATRIX[name]
    problems = []
    for (column, username), cell in zip(ROLE_USERS.items(), cells, strict=True):
        own, _, other = cell.partition("/")
        client = client_for(username)
        for code, expected in (("STAFFS", own), ("STOKE", other or own)):
            url = reverse(name, kwargs=TARGETS[target](code))
            status = client.get(url).status_code
            if status != int(expected):
                problems.append(f"{column} ({username}) {url}: {status}, expected {expected}")
    assert not problems, "\n".join(problems)


@pytest.mark.parametrize("name", QUICK)
def test_anonymous_visitors_are_sent_to_sign_in(name, world):
    target = MATRIX[name][0]
    url = reverse(name, kwargs=TARGETS[target]("STAFFS"))
    response = Client().get(url)
    assert response.status_code == 302 and response["Location"].startswith(reverse(
        "core:sign-in"))


def test_unknown_year_and_block_are_not_found(world, client_for):
    client = client_for("business.staffs")
    assert client.get(reverse("reports:report", args=["STAFFS", "2020"])).status_code == 404
    assert client.get(reverse("reports:narrative-edit",
                              args=["STAFFS", YEAR, "nonsense"])).status_code == 404
    assert client.get(reverse("reports:published",
                              args=["STAFFS", YEAR, 7])).status_code == 404


def test_readers_who_cannot_write_see_no_write_links(world, client_for):
    page = client_for("board.police").get(reverse("reports:report", args=["STAFFS", YEAR]))
    content = page.content.decode()
    assert reverse("reports:narrative", args=["STAFFS", YEAR]) not in content
    assert reverse("reports:publish", args=["STAFFS", YEAR]) not in content
    page = client_for("business.staffs").get(reverse("reports:report", args=["STAFFS", YEAR]))
    assert reverse("reports:publish", args=["STAFFS", YEAR]) in page.content.decode()


def test_the_home_page_lists_published_reports_and_opens_the_chosen_one(world, client_for):
    client = client_for("analyst.staffs")
    page = client.get(reverse("reports:home")).content.decode()
    assert reverse("reports:published", args=["STAFFS", YEAR, 1]) in page
    assert reverse("reports:published", args=["STOKE", YEAR, 1]) not in page
    response = client.get(reverse("reports:home"), {"partnership": "STAFFS", "year": YEAR})
    assert response["Location"] == reverse("reports:report", args=["STAFFS", YEAR])
    response = client.get(reverse("reports:home"), {"partnership": "STOKE", "year": YEAR})
    assert response.status_code == 200  # not a choice for this person: the form says so


def test_the_report_capability_is_on_the_home_page_for_readers_only(world, client_for):
    assert "Yearly report" in client_for("board.police").get("/").content.decode()
    assert "Yearly report" not in client_for("social.worker").get("/").content.decode()


def test_pdfs_are_refused_to_everyone_but_the_partnerships_readers(world, client_for):
    for name, kwargs in (("reports:report-pdf", TARGETS["report"]("STAFFS")),
                         ("reports:published-pdf", TARGETS["report-published"]("STAFFS"))):
        url = reverse(name, kwargs=kwargs)
        for username in ("admin", "social.worker", "key.adult.brook", "business.stoke",
                         "analyst.stoke"):
            assert client_for(username).get(url).status_code == 403, (name, username)
    response = client_for("scrutiny.member").get(
        reverse("reports:report-pdf", kwargs=TARGETS["report"]("STAFFS")))
    assert response.status_code == 200 and response.content.startswith(b"%PDF")


@pytest.fixture
def demo_world(module_demo_world, db):
    """The demo world built once for this module (tests/conftest.py); each test rolls back."""
    return module_demo_world
