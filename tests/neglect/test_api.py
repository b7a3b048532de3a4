"""The GCP2 API's writes: the business unit's token adds and steps down champions and
issues, renews and withdraws licences for its own partnership; a practitioner's token is
refused (403) and another partnership's records are not found (404)."""

from __future__ import annotations

import datetime as dt
import json

from django.test import Client

from safeguarding.core import services as core_services
from safeguarding.core.models import Agency, Membership
from safeguarding.neglect import services
from safeguarding.neglect.models import Champion, Licence


def _token(username: str) -> dict:
    membership = Membership.objects.get(user__username=username)
    secret = core_services.api_token_issue(actor=None, name="t", membership=membership)[1]
    return {"HTTP_AUTHORIZATION": f"Bearer {secret}"}


def _post(url: str, body: dict, headers: dict):
    return Client().post(url, data=json.dumps(body), content_type="application/json",
                         **headers)


def test_the_business_unit_manages_champions_and_licences_by_token(staffs, stoke):
    police = Agency.objects.get(name="Staffordshire Police")
    business, worker = _token("business.staffs"), _token("social.worker")
    champion = {"partnership": "STAFFS", "agency": police.pk, "name": "Sam Champion",
                "trained_on": "2021-03-01"}
    assert _post("/api/neglect/champions", champion, worker).status_code == 403
    assert _post("/api/neglect/champions", {**champion, "partnership": "STOKE"},
                 business).status_code == 403
    assert not Champion.objects.filter(name="Sam Champion").exists()
    added = _post("/api/neglect/champions", champion, business)
    assert added.status_code == 201 and added.json()["agency"] == "Staffordshire Police"
    pk = added.json()["id"]
    assert _post(f"/api/neglect/champions/{pk}/step-down", {"on": "2021-06-01"},
                 worker).status_code == 404
    early = _post(f"/api/neglect/champions/{pk}/step-down", {"on": "2020-01-01"}, business)
    assert early.status_code == 422 and "on" in early.json()["errors"]
    stepped = _post(f"/api/neglect/champions/{pk}/step-down", {"on": "2021-06-01"}, business)
    assert stepped.json()["stepped_down_on"] == "2021-06-01"

    issued = _post("/api/neglect/licences", {"partnership": "STAFFS", "agency": police.pk,
                                             "practitioner": "Lee Licensed",
                                             "issued_on": "2021-03-15"}, business)
    assert issued.status_code == 201
    licence = issued.json()["id"]
    assert _post(f"/api/neglect/licences/{licence}/renew", {"issued_on": "2022-03-01"},
                 worker).status_code == 403
    renewed = _post(f"/api/neglect/licences/{licence}/renew", {"issued_on": "2022-03-01"},
                    business)
    assert renewed.status_code == 201 and renewed.json()["issued_on"] == "2022-03-01"
    withdrawn = _post(f"/api/neglect/licences/{renewed.json()['id']}/withdraw",
                      {"on": "2022-04-01", "reason": "Left the agency"}, business)
    assert withdrawn.status_code == 200 and withdrawn.json()["withdrawn_on"] == "2022-04-01"

    # Stoke's licence: not found for Staffordshire's business unit, and unchanged.
    theirs = services.licence_issue(
        actor=None, partnership=stoke, practitioner="Stoke practitioner",
        agency=Agency.objects.get(name__startswith="Stoke-on-Trent City Council"),
        issued_on=dt.date(2021, 3, 1))
    assert _post(f"/api/neglect/licences/{theirs.pk}/withdraw",
                 {"on": "2021-04-01", "reason": "x"}, business).status_code == 404
    assert Licence.objects.get(pk=theirs.pk).withdrawn_on is None
