"""The policies API: a seat's token reads its partnerships' policies and searches them."""

from __future__ import annotations

from django.test import Client

from safeguarding.core import services as core_services
from safeguarding.core.models import Membership


def _token(username: str) -> dict:
    membership = Membership.objects.get(user__username=username)
    secret = core_services.api_token_issue(actor=None, name="t", membership=membership)[1]
    return {"HTTP_AUTHORIZATION": f"Bearer {secret}"}


def test_a_token_reads_and_searches_its_partnerships_policies(joint, stoke_only):
    client = Client()
    listing = client.get("/api/policies/", **_token("social.worker")).json()
    assert [p["id"] for p in listing] == [joint.pk]
    found = client.get("/api/policies/", {"q": "escalate"}, **_token("social.worker")).json()
    assert [p["id"] for p in found] == [joint.pk]
    detail = client.get(f"/api/policies/{joint.pk}", **_token("social.worker")).json()
    assert "three stages" in detail["body"] and detail["version"] == 1
    assert client.get(f"/api/policies/{stoke_only.pk}",
                      **_token("social.worker")).status_code == 403
    assert client.get("/api/policies/").status_code == 401
