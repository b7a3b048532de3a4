"""Pseudonymous keys for analytics; rows degraded for sharing."""

from __future__ import annotations

import datetime as dt

import pytest

from safeguarding.children.linkage import sharing
from safeguarding.core.models import AuditEvent, Membership, User

from .helpers import child, record, world

pytestmark = pytest.mark.django_db


@pytest.mark.parametrize("value, expected", [
    (dt.date(2016, 3, 14), dt.date(2016, 3, 1)), (dt.date(2016, 2, 29), dt.date(2016, 2, 1)),
    (dt.date(2016, 3, 1), dt.date(2016, 3, 1)), (None, None),
])
def test_dates_degrade_to_the_first_of_the_month(value, expected):
    assert sharing.degrade_date(value) == expected


@pytest.mark.parametrize("value, expected", [
    ("ST5 2AB", "ST5"), ("st52ab", "ST5"), ("SW1A 1AA", "SW1A"), ("", None), (None, None),
])
def test_postcodes_degrade_to_the_district(value, expected):
    assert sharing.degrade_postcode(value) == expected


def test_a_row_for_sharing_loses_names_and_identifiers_and_coarsens_the_rest():
    row = {"first_name": "Oliver", "last_name": "Bennett", "nhs_number": "9990001111",
           "upn": "A801200001001", "date_of_birth": dt.date(2014, 5, 17),
           "referral_date": dt.date(2024, 1, 30), "postcode": "LS1 2AB", "home": "LS9 9ZZ",
           "sex": "1", "pseudonym": "abc"}
    shared = sharing.degrade_for_sharing(row, date_fields=("date_of_birth", "referral_date"),
                                         postcode_fields=("postcode", "home"))
    assert shared == {"date_of_birth": dt.date(2014, 5, 1), "referral_date": dt.date(2024, 1, 1),
                      "postcode": "LS1", "home": "LS9", "sex": "1", "pseudonym": "abc"}
    assert row["postcode"] == "LS1 2AB"  # the input is not changed


def test_a_linked_record_carries_the_childs_pseudonym_and_an_unlinked_one_its_own():
    partnership, la, police, health = world()
    oliver = child(partnership, "Oliver", "Bennett", dt.date(2014, 5, 17))
    linked = record(partnership, police, "Oliver", "Bennett", dt.date(2014, 5, 17))
    linked.child, linked.link_method = oliver, "reviewed"
    linked.save()
    other = record(partnership, health, "Oliver", "Bennett", dt.date(2014, 5, 17))
    assert sharing.linked_pseudonym(linked) == oliver.pseudonym
    own = sharing.linked_pseudonym(other)
    assert own != oliver.pseudonym and len(own) == 32
    assert sharing.linked_pseudonym(other) == own  # stable
    assert "Oliver" not in own and "Bennett" not in own


def test_an_export_for_sharing_has_no_names_and_is_audited():
    partnership, la, police, health = world()
    oliver = child(partnership, "Oliver", "Bennett", dt.date(2014, 5, 17))
    rec = record(partnership, police, "Oliver", "Bennett", dt.date(2014, 5, 17),
                 postcode="ls1 2ab")
    rec.child, rec.link_method = oliver, "nhs_number"
    rec.save()
    unit = User.objects.create(username="bu.linkshire")
    Membership.objects.create(user=unit, agency=police, partnership=partnership,
                              role="business_unit")
    analyst = User.objects.create(username="analyst.linkshire")
    Membership.objects.create(user=analyst, agency=police, partnership=partnership,
                              role="analyst")
    [row] = sharing.export_for_sharing(actor=unit, records=[rec], purpose="share with CDOP")
    assert row == {"pseudonym": oliver.pseudonym, "linked": True, "agency": "Linkshire Police",
                   "source_system": "niche", "date_of_birth": dt.date(2014, 5, 1), "sex": "1",
                   "postcode": "LS1"}
    [event] = AuditEvent.objects.filter(action="export", object_id=str(rec.pk))
    assert (event.actor, event.purpose) == (unit, "share with CDOP")
    assert sharing.export_for_sharing(actor=analyst, records=[rec], purpose="x") == []
