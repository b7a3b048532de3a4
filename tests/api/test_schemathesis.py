"""Schemathesis against the API's own OpenAPI schema: no server error, answers as described.

The schema comes from the NinjaAPI object (not an anonymous GET of
/api/openapi.json) and every request goes to the Django app in-process, as a
system holding an API token (issued through the service) and as a browser
signed in with both factors. Each operation gets a bounded number of generated
requests, valid and invalid. A pass is: no 5xx answer, and every answer's
content type and body match what the schema declares for its status, where it
declares one (it declares only each operation's success).
"""

from __future__ import annotations

import pytest
import schemathesis
from django.core import signals
from django.core.handlers.wsgi import WSGIHandler
from django.db import close_old_connections
from django.test import Client
from hypothesis import HealthCheck, settings
from schemathesis.specs.openapi.checks import (
    content_type_conformance,
    response_schema_conformance,
)

from safeguarding.api.router import api
from safeguarding.core import services
from safeguarding.core.models import User
from tests.conftest import sign_in

pytestmark = pytest.mark.django_db
# A practitioner who sees some children and may add them; and an analyst, who sees none.
PEOPLE = ("social.worker", "analyst.staffs")
schema = schemathesis.openapi.from_dict(api.get_openapi_schema(path_prefix="/api/"))
schema.app = WSGIHandler()
# Not status_code_conformance: the schema documents only each operation's success, not
# its 401, 403, 404 and 422 answers (a matter for the API's own documentation).
CHECKS = [schemathesis.checks.not_a_server_error, content_type_conformance,
          response_schema_conformance]


@pytest.fixture
def demo_world(module_demo_world, db):
    return module_demo_world


@pytest.fixture
def in_test_transaction():
    """Keep the database connection open across requests, as Django's test client does:
    the WSGI handler would close it at each request's end, and the test's transaction
    with it (PostgreSQL)."""
    signals.request_started.disconnect(close_old_connections)
    signals.request_finished.disconnect(close_old_connections)
    yield
    signals.request_started.connect(close_old_connections)
    signals.request_finished.connect(close_old_connections)


@pytest.fixture
def credentials(demo_world, in_test_transaction) -> list[dict]:
    """For each person: an API token's header, and a signed-in browser session's cookie."""
    found = []
    for username in PEOPLE:
        user = User.objects.get(username=username)
        _, raw = services.api_token_issue(actor=None, name="schemathesis",
                                          membership=user.memberships.get())
        found.append({"headers": {"Authorization": f"Bearer {raw}"}})
        session = sign_in(Client(), user).cookies["sessionid"].value
        found.append({"cookies": {"sessionid": session}})
    found.append({})  # nobody signed in
    return found


@schema.parametrize()
@settings(max_examples=10, deadline=None, derandomize=True, database=None,
          suppress_health_check=list(HealthCheck))
def test_no_operation_answers_with_a_server_error(case, credentials):
    for credential in credentials:
        case.call_and_validate(checks=CHECKS, **credential)


def _response_schema(document: dict, path: str) -> dict:
    responses = document["paths"][path]["get"]["responses"]
    ok = responses.get(200) or responses["200"]
    ref = ok["content"]["application/json"]["schema"]["$ref"]
    return document["components"]["schemas"][ref.rsplit("/", 1)[-1]]


def test_each_statistics_endpoint_documents_its_own_answer(db):
    # Found by schemathesis: two response models shared the name StatisticsOut (and
    # FigureOut), so the schema described child-death statistics as review statistics.
    document = api.get_openapi_schema(path_prefix="/api/")
    assert "scope" in _response_schema(document, "/api/child-deaths/statistics")["properties"]
    assert "partnership" in _response_schema(document, "/api/reviews/statistics")["properties"]
