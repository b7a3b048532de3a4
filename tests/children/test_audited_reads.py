"""Every read of an identifiable child record, allowed or refused, leaves an audit row."""

from __future__ import annotations

import pytest

from safeguarding.children.models import Child
from safeguarding.children.views import PAGE_SIZE
from safeguarding.core.models import AuditEvent, Partnership

pytestmark = pytest.mark.django_db


@pytest.fixture
def demo_world(module_demo_world, db):
    """One demo build for this module (tests/conftest.py); each test is rolled back."""
    return module_demo_world


def rows_for(response) -> list[AuditEvent]:
    request_id = response["X-Request-ID"]
    assert request_id
    return list(AuditEvent.objects.filter(request_id=request_id).order_by("sequence"))


def a_child_for(username: str) -> Child:
    from safeguarding.core.models import User

    user = User.objects.get(username=username)
    return next(c for c in Child.objects.order_by("pk") if user.has_perm("children.view_child", c))


def a_stoke_child() -> Child:
    return Child.objects.filter(partnership__code="STOKE").order_by("pk").first()


@pytest.mark.parametrize("path, purpose", [
    ("/children/{pk}/", "view child record"),
    ("/children/{pk}/edit/", "edit child record"),
    ("/children/{pk}/involvements/add/", "add agency involvement"),
    ("/api/children/{pk}", "API child read"),
])
def test_reading_one_child_leaves_a_row(client_for, path, purpose):
    child = a_child_for("key.adult.brook")
    response = client_for("key.adult.brook").get(path.format(pk=child.pk))
    assert response.status_code == 200
    [row] = rows_for(response)
    assert (row.actor.username, row.actor_label) == ("key.adult.brook", "key.adult.brook")
    assert (row.action, row.object_type, row.object_id) == ("read", "children.child", str(child.pk))
    assert row.purpose == purpose


@pytest.mark.parametrize("path", ["/children/", "/api/children"])
def test_the_children_list_leaves_one_row_per_child_shown(client_for, path):
    response = client_for("business.staffs").get(path)
    assert response.status_code == 200
    if path.startswith("/api/"):
        shown = [item["id"] for item in response.json()["items"]]
    else:
        shown = [child.pk for child in response.context["children"]]
    rows = rows_for(response)
    staffs = Child.objects.filter(partnership__code="STAFFS").count()
    assert len(shown) == min(staffs, PAGE_SIZE) > 0
    assert sorted(int(r.object_id) for r in rows) == sorted(shown)
    assert {(r.actor.username, r.action, r.object_type, r.purpose) for r in rows} == {
        ("business.staffs", "read", "children.child", "child search")}


def test_a_search_audits_only_the_children_it_shows(client_for):
    child = a_child_for("social.worker")
    response = client_for("social.worker").get("/children/", {"q": child.la_child_id})
    assert [c.pk for c in response.context["children"]] == [child.pk]
    assert [r.object_id for r in rows_for(response)] == [str(child.pk)]


def test_the_second_page_audits_its_own_children(client_for, demo_world):
    from tests.support import make_child

    staffs = Partnership.objects.get(code="STAFFS")
    for _ in range(PAGE_SIZE):
        make_child(staffs)
    client = client_for("business.staffs")
    first = {c.pk for c in client.get("/children/").context["children"]}
    response = client.get("/children/", {"page": 2})
    shown = [c.pk for c in response.context["children"]]
    total = Child.objects.filter(partnership=staffs).count()
    assert len(shown) == min(PAGE_SIZE, total - PAGE_SIZE) > 0
    assert not first & set(shown)
    assert sorted(int(r.object_id) for r in rows_for(response)) == sorted(shown)


@pytest.mark.parametrize("path", ["/children/{pk}/", "/children/{pk}/edit/", "/api/children/{pk}"])
def test_a_refused_read_leaves_a_denied_row(client_for, path):
    child = a_stoke_child()
    response = client_for("social.worker").get(path.format(pk=child.pk))
    assert response.status_code == 403
    [row] = rows_for(response)
    assert (row.actor.username, row.action, row.object_type, row.object_id) == (
        "social.worker", "denied", "children.child", str(child.pk))
    assert child.last_name.encode() not in response.content


def test_roles_without_child_records_are_refused_and_audited(client_for):
    child = a_child_for("social.worker")  # a Staffordshire child
    for username in ("analyst.staffs", "board.police", "admin"):
        response = client_for(username).get(f"/children/{child.pk}/")
        assert response.status_code == 403
        [row] = rows_for(response)
        assert (row.actor.username, row.action) == (username, "denied")


def test_the_request_id_from_the_proxy_is_kept(client_for):
    child = a_child_for("social.worker")
    response = client_for("social.worker").get(f"/children/{child.pk}/",
                                               HTTP_X_REQUEST_ID="proxy-1234.abc")
    assert response["X-Request-ID"] == "proxy-1234.abc"
    assert rows_for(response)[0].request_id == "proxy-1234.abc"


def test_a_malformed_request_id_is_replaced(client_for):
    child = a_child_for("social.worker")
    response = client_for("social.worker").get(f"/children/{child.pk}/",
                                               HTTP_X_REQUEST_ID="bad id; drop table")
    assert response["X-Request-ID"] != "bad id; drop table"
    assert len(rows_for(response)) == 1


def test_each_request_has_its_own_id(client_for):
    client = client_for("social.worker")
    child = a_child_for("social.worker")
    first = client.get(f"/children/{child.pk}/")["X-Request-ID"]
    second = client.get(f"/children/{child.pk}/")["X-Request-ID"]
    assert first != second


def test_reads_outside_a_request_carry_no_request_id(demo_world):
    from safeguarding.children import selectors
    from safeguarding.core.models import User

    user = User.objects.get(username="social.worker")
    child = a_child_for("social.worker")
    selectors.child_get(actor=user, child_id=child.pk, purpose="command line check")
    row = AuditEvent.objects.latest("sequence")
    assert (row.object_id, row.purpose, row.request_id) == (str(child.pk), "command line check", "")
