"""Decisions on the review queue: accept links and audits; reject is final."""

from __future__ import annotations

import datetime as dt

import pytest
from django.core.exceptions import PermissionDenied, ValidationError

from safeguarding.children.linkage.services import candidate_decide, link_records
from safeguarding.children.models import LinkCandidate
from safeguarding.core.models import AuditEvent, Membership, User

from .helpers import child, crowd, fixed_config, record, world

pytestmark = pytest.mark.django_db


@pytest.fixture
def queue():
    partnership, la, police, health = world()
    crowd(partnership)
    oliver = child(partnership, "Oliver", "Bennett", dt.date(2014, 5, 17))
    rec = record(partnership, police, "Oliver", "Hargreaves", dt.date(2014, 5, 17),
                 postcode="LS1 9ZZ")
    link_records([rec], config=fixed_config(partnership))
    reviewer = User.objects.create(username="bu.linkshire")
    Membership.objects.create(user=reviewer, agency=police, partnership=partnership,
                              role="business_unit")
    [candidate] = LinkCandidate.objects.all()
    return partnership, police, oliver, rec, candidate, reviewer


def decision_rows(candidate):
    return list(AuditEvent.objects.filter(object_type="children.linkcandidate",
                                          object_id=str(candidate.pk),
                                          purpose="linkage decision"))


def test_accepting_links_the_record_and_is_audited(queue):
    partnership, police, oliver, rec, candidate, reviewer = queue
    candidate_decide(actor=reviewer, candidate=candidate, accept=True)
    rec.refresh_from_db()
    candidate.refresh_from_db()
    assert (rec.child, rec.link_method) == (oliver, "reviewed")
    assert rec.match_probability == candidate.match_probability and rec.linked_at
    assert (candidate.status, candidate.decided_by) == ("accepted", reviewer)
    assert candidate.decided_at is not None
    [row] = decision_rows(candidate)
    assert (row.action, row.actor, row.purpose) == ("update", reviewer, "linkage decision")
    assert '"decision": "accepted"' in row.detail


def test_rejecting_is_recorded_and_the_pair_is_never_proposed_again(queue):
    partnership, police, oliver, rec, candidate, reviewer = queue
    candidate_decide(actor=reviewer, candidate=candidate, accept=False)
    candidate.refresh_from_db()
    assert (candidate.status, candidate.decided_by) == ("rejected", reviewer)
    [row] = decision_rows(candidate)
    assert (row.action, row.purpose) == ("update", "linkage decision")
    assert '"decision": "rejected"' in row.detail
    # Run linkage again, even with thresholds that would link the pair outright.
    for config in (fixed_config(partnership), fixed_config(partnership, accept=0.85)):
        summary = link_records([rec], config=config)
        assert (summary.linked, summary.review_pairs) == (0, 0)
    rec.refresh_from_db()
    assert rec.child is None
    assert LinkCandidate.objects.count() == 1


def test_a_pair_is_decided_once(queue):
    partnership, police, oliver, rec, candidate, reviewer = queue
    candidate_decide(actor=reviewer, candidate=candidate, accept=False)
    with pytest.raises(ValidationError, match="already decided"):
        candidate_decide(actor=reviewer, candidate=candidate, accept=True)


def test_accepting_one_candidate_closes_the_others(queue):
    partnership, police, oliver, rec, candidate, reviewer = queue
    other = LinkCandidate.objects.create(
        source_record=rec, child=child(partnership, "Olly", "Hargreaves", dt.date(2014, 5, 17)),
        match_probability=0.85, evidence={})
    candidate_decide(actor=reviewer, candidate=candidate, accept=True)
    other.refresh_from_db()
    assert (other.status, other.decided_by) == ("rejected", reviewer)
    assert "accepted" in decision_rows(other)[0].detail


def test_records_waiting_for_a_decision_are_left_alone(queue):
    partnership, police, oliver, rec, candidate, reviewer = queue
    summary = link_records([rec], config=fixed_config(partnership, accept=0.85))
    assert summary.skipped == 1
    rec.refresh_from_db()
    assert rec.child is None


@pytest.mark.parametrize("role", ["practitioner", "analyst", "board_member",
                                  "system_administrator"])
def test_only_the_business_unit_may_decide(queue, role):
    partnership, police, oliver, rec, candidate, reviewer = queue
    someone = User.objects.create(username=f"{role}.linkshire")
    Membership.objects.create(user=someone, agency=police, partnership=partnership, role=role)
    with pytest.raises(PermissionDenied):
        candidate_decide(actor=someone, candidate=candidate, accept=True)
    candidate.refresh_from_db()
    assert candidate.status == "pending"
    assert AuditEvent.objects.filter(object_id=str(candidate.pk), action="denied",
                                     actor=someone).exists()
