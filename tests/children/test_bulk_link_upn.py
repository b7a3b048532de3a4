"""A return whose children share a UPN, or carry one the index holds for another child, still
loads: the UPN names one child in the index, so it is left off the new index records."""

from __future__ import annotations

import pytest

from safeguarding.children.models import Child
from safeguarding.children.services import children_index_bulk_link
from safeguarding.core.models import Partnership
from tests.support import make_child

pytestmark = pytest.mark.django_db

UPN_A, UPN_B = "A123456789012", "B123456789012"


def _child(upn: str) -> dict:
    return {"UPN": upn, "PersonBirthDate": "2015-05-01", "GenderCurrent": "1",
            "Ethnicity": "WBRI"}


def test_shared_and_taken_upns_are_left_off_the_new_index_records(demo_world):
    staffs = Partnership.objects.get(code="STAFFS")
    la = staffs.local_authorities.get()
    make_child(staffs, upn=UPN_B, la_child_id="ALREADY1")  # the index's own child with UPN_B
    children = {"NEW1": _child(UPN_A), "NEW2": _child(UPN_A), "NEW3": _child(UPN_B),
                "NEW4": _child("")}
    ids, counts = children_index_bulk_link(
        actor=None, partnership=staffs, la=la, agency=None, children=children,
        first_referrals={}, reason="test", pseudonyms={k: f"p-{k}" for k in children})
    assert set(ids) == set(children) and counts["created"] == 4
    assert counts["upn_shared"] == 3
    new = Child.objects.filter(pk__in=ids.values())
    assert set(new.values_list("upn", flat=True)) == {""}
    assert Child.objects.filter(upn=UPN_B).get().la_child_id == "ALREADY1"
