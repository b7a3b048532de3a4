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


def _post(url: str, body: dict, headers: dict):
    import json

    return Client().post(url, data=json.dumps(body), content_type="application/json",
                         **headers)


def test_the_owner_s_business_unit_reviews_and_publishes_others_are_refused(joint, stoke_only):
    from safeguarding.core.models import AuditEvent

    joint.refresh_from_db()
    due = joint.review_due
    for username in ("social.worker", "analyst.staffs"):
        refused = _post(f"/api/policies/{joint.pk}/review", {"note": "x"}, _token(username))
        assert refused.status_code == 403
        assert _post(f"/api/policies/{joint.pk}/versions",
                     {"change_summary": "x", "body": "y"}, _token(username)).status_code == 403
    # Staffordshire's business unit may not touch a policy of Stoke-on-Trent alone.
    assert _post(f"/api/policies/{stoke_only.pk}/review", {},
                 _token("business.staffs")).status_code == 403
    joint.refresh_from_db()
    assert joint.review_due == due and joint.versions.count() == 1

    business = _token("business.staffs")
    reviewed = _post(f"/api/policies/{joint.pk}/review", {"note": "Still right"}, business)
    assert reviewed.status_code == 201
    assert reviewed.json()["due_on"] == due.isoformat()
    joint.refresh_from_db()
    assert joint.review_due.isoformat() == reviewed.json()["next_due"] > due.isoformat()
    empty = _post(f"/api/policies/{joint.pk}/versions", {"change_summary": "", "body": "y"},
                  business)
    assert empty.status_code == 422 and "change_summary" in empty.json()["errors"]
    published = _post(f"/api/policies/{joint.pk}/versions",
                      {"change_summary": "Stage two shortened", "body": "Two stages now."},
                      business)
    assert published.status_code == 201 and published.json()["number"] == 2
    detail = Client().get(f"/api/policies/{joint.pk}", **_token("social.worker")).json()
    assert detail["version"] == 2 and detail["body"] == "Two stages now."
    assert AuditEvent.objects.filter(purpose="record a policy review",
                                     actor__username="business.staffs").exists()
