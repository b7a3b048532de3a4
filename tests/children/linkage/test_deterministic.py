"""Identifier matches: NHS number, else UPN, else LA + LA child ID, before any scoring."""

from __future__ import annotations

import datetime as dt

import polars as pl
import pytest

from safeguarding.children.linkage import deterministic
from safeguarding.children.linkage.services import link_records
from safeguarding.children.models import LinkCandidate, SourceRecord
from safeguarding.core.models import AuditEvent

from .helpers import child, crowd, fixed_config, record, world

pytestmark = pytest.mark.django_db

DOB = dt.date(2014, 5, 17)
NHS = "9990001111"
UPN = "A801200001001"


@pytest.fixture
def linkshire():
    partnership, la, police, health = world()
    crowd(partnership, 10)
    return partnership, la, police, health


def _link(*records):
    return link_records(records, config=fixed_config(records[0].partnership))


def test_an_nhs_number_links_even_when_nothing_else_agrees(linkshire):
    partnership, la, police, health = linkshire
    target = child(partnership, "Oliver", "Bennett", DOB, nhs_number=NHS)
    rec = record(partnership, health, "Zachary", "Quill", dt.date(2001, 1, 1), postcode="",
                 nhs_number=NHS)
    summary = _link(rec)
    rec.refresh_from_db()
    assert (rec.child, rec.link_method, rec.match_probability) == (target, "nhs_number", None)
    assert rec.linked_at is not None
    assert summary.links == {"nhs_number": 1}


def test_a_upn_links(linkshire):
    partnership, la, police, health = linkshire
    target = child(partnership, "Oliver", "Bennett", DOB, upn=UPN)
    rec = record(partnership, health, "Olly", "Benet", DOB, upn=UPN)
    _link(rec)
    rec.refresh_from_db()
    assert (rec.child, rec.link_method) == (target, SourceRecord.LinkMethod.UPN)


def test_an_la_child_id_links_only_with_the_same_la(linkshire):
    partnership, la, police, health = linkshire
    target = child(partnership, "Oliver", "Bennett", DOB, la_child_id="LA00042",
                   local_authority=la)
    same_la = record(partnership, police, "O", "B", None, la_child_id="LA00042",
                     local_authority=la)
    no_la = record(partnership, police, "O", "B", None, la_child_id="LA00042")
    _link(same_la, no_la)
    same_la.refresh_from_db()
    no_la.refresh_from_db()
    assert (same_la.child, same_la.link_method) == (target, "la_child_id")
    assert no_la.child is None


def test_nhs_number_wins_over_upn(linkshire):
    partnership, la, police, health = linkshire
    by_nhs = child(partnership, "Oliver", "Bennett", DOB, nhs_number=NHS)
    child(partnership, "Ruby", "Stone", dt.date(2012, 2, 2), upn=UPN)
    rec = record(partnership, health, "Oliver", "Bennett", DOB, nhs_number=NHS)
    rec_upn = record(partnership, health, "Ruby", "Stone", dt.date(2012, 2, 2), upn=UPN,
                     system="rio")
    _link(rec, rec_upn)
    rec.refresh_from_db()
    assert (rec.child, rec.link_method) == (by_nhs, "nhs_number")


def test_an_identifier_links_through_an_agency_record_already_linked(linkshire):
    """The index lacks the NHS number, but the health record that carried it is linked."""
    partnership, la, police, health = linkshire
    target = child(partnership, "Oliver", "Bennett", DOB, upn=UPN)
    health_record = record(partnership, health, "Oliver", "Bennett", DOB, upn=UPN,
                           nhs_number=NHS, system="rio")
    _link(health_record)
    police_record = record(partnership, police, "Ollie", "Bennet", dt.date(2014, 7, 1),
                           postcode="", nhs_number=NHS)
    _link(police_record)
    police_record.refresh_from_db()
    assert (police_record.child, police_record.link_method) == (target, "nhs_number")


def test_conflicting_identifiers_go_to_review_not_to_a_link(linkshire):
    partnership, la, police, health = linkshire
    target = child(partnership, "Oliver", "Bennett", DOB, nhs_number=NHS, upn=UPN)
    rec = record(partnership, health, "Oliver", "Bennett", DOB, nhs_number=NHS,
                 upn="A801200001002")
    summary = _link(rec)
    rec.refresh_from_db()
    assert rec.child is None
    [candidate] = LinkCandidate.objects.filter(source_record=rec)
    assert candidate.child == target
    assert candidate.evidence["identifier_conflicts"] == ["upn"]
    assert summary.review_pairs == 1


def test_an_ambiguous_upn_is_not_used():
    children = pl.DataFrame({"child_uid": ["1", "2"], "nhs_number": ["", ""],
                             "upn": [UPN, UPN], "la": ["", ""], "la_child_id": ["", ""]})
    records = pl.DataFrame({"record_uid": ["r"], "nhs_number": [""], "upn": [UPN],
                            "la": [""], "la_child_id": [""]})
    assert deterministic.match(records, children).is_empty()


def test_linking_is_audited_and_leaves_linked_records_alone(linkshire):
    partnership, la, police, health = linkshire
    target = child(partnership, "Oliver", "Bennett", DOB, nhs_number=NHS)
    rec = record(partnership, health, "Oliver", "Bennett", DOB, nhs_number=NHS)
    _link(rec)
    [row] = AuditEvent.objects.filter(object_type="children.sourcerecord", object_id=str(rec.pk))
    assert (row.action, row.purpose, row.actor_label) == ("update", "record linkage", "system")
    assert f'"child": {target.pk}' in row.detail
    rec.refresh_from_db()
    summary = _link(rec)
    assert summary.skipped == 1 and summary.linked == 0


def test_an_identifier_an_earlier_record_brought_links_the_next_record(linkshire):
    """A bridge: the index child has no NHS number; a health record linked to it by UPN
    carries one, so a later record with only that NHS number links to the same child.
    Another linked record with no NHS number (blank, not missing) bridges nothing."""
    partnership, la, police, health = linkshire
    target = child(partnership, "Oliver", "Bennett", DOB, upn=UPN)
    other = child(partnership, "Ruby", "Hale", DOB, upn="A801200001002")
    first = record(partnership, health, "Olly", "Benet", DOB, upn=UPN, nhs_number=NHS)
    blank = record(partnership, health, "Ruby", "Hale", DOB, upn="A801200001002",
                   nhs_number="")
    _link(first, blank)
    first.refresh_from_db()
    blank.refresh_from_db()
    assert (first.child, blank.child) == (target, other)
    later = record(partnership, police, "Zachary", "Quill", dt.date(2001, 1, 1), postcode="",
                   nhs_number=NHS)
    _link(later)
    later.refresh_from_db()
    assert (later.child, later.link_method) == (target, "nhs_number")
