"""Records with no shared identifier: Splink scores them with the fixed priors.

The priors (data/linkage.yaml) are used as they are, with the prior match
probability of an index of 2,000 children, so every score here is fixed.
"""

from __future__ import annotations

import datetime as dt
import json

import pytest

from safeguarding.children.linkage.services import link_records
from safeguarding.children.models import LinkCandidate
from safeguarding.core.models import AuditEvent

from .helpers import child, crowd, fixed_config, record, world

pytestmark = pytest.mark.django_db


@pytest.fixture
def linkshire():
    partnership, la, police, health = world()
    crowd(partnership)
    return partnership, police


def test_a_typo_a_nickname_and_a_swapped_date_each_link(linkshire):
    partnership, police = linkshire
    oliver = child(partnership, "Oliver", "Bennett", dt.date(2014, 5, 17))
    katherine = child(partnership, "Katherine", "Morrow", dt.date(2011, 9, 2), sex="2",
                      postcode="LS2 7QT")
    william = child(partnership, "William", "Smith", dt.date(2015, 3, 4), postcode="LS3 1AB")
    typo = record(partnership, police, "Olivre", "Bennett", dt.date(2014, 5, 17))
    nickname = record(partnership, police, "Kate", "Morrow", dt.date(2011, 9, 2), sex="2",
                      postcode="LS2 7QT")
    swapped = record(partnership, police, "Bill", "Smyth", dt.date(2015, 4, 3),
                     postcode="LS3 1AB")
    summary = link_records([typo, nickname, swapped], config=fixed_config(partnership))
    assert summary.links == {"probabilistic": 3}
    assert not summary.trained
    for rec, expected, (field, level) in [(typo, oliver, ("first_name", "similar")),
                                          (nickname, katherine, ("first_name", "nickname")),
                                          (swapped, william, ("date_of_birth", "swapped"))]:
        rec.refresh_from_db()
        assert (rec.child, rec.link_method) == (expected, "probabilistic")
        assert rec.match_probability >= 0.99
        # the audit row of the link keeps the evidence it was made on
        [row] = AuditEvent.objects.filter(object_type="children.sourcerecord",
                                          object_id=str(rec.pk))
        assert json.loads(row.detail)["evidence"]["fields"][field] == level
    assert not LinkCandidate.objects.exists()


def test_a_weaker_pair_goes_to_review_with_its_evidence(linkshire):
    """Same first name, date of birth, sex and district; another surname: a step-family?"""
    partnership, police = linkshire
    oliver = child(partnership, "Oliver", "Bennett", dt.date(2014, 5, 17))
    rec = record(partnership, police, "Oliver", "Hargreaves", dt.date(2014, 5, 17),
                 postcode="LS1 9ZZ")
    summary = link_records([rec], config=fixed_config(partnership))
    rec.refresh_from_db()
    assert rec.child is None
    [candidate] = LinkCandidate.objects.all()
    assert (candidate.source_record, candidate.child, candidate.status) == (rec, oliver, "pending")
    assert 0.8 <= candidate.match_probability < 0.99
    assert candidate.evidence["fields"] == {
        "first_name": "exact", "last_name": "different", "date_of_birth": "exact",
        "sex": "exact", "postcode": "district"}
    assert summary.review_pairs == 1 and summary.linked == 0


def test_the_thresholds_come_from_configuration(linkshire):
    partnership, police = linkshire
    oliver = child(partnership, "Oliver", "Bennett", dt.date(2014, 5, 17))
    rec = record(partnership, police, "Oliver", "Hargreaves", dt.date(2014, 5, 17),
                 postcode="LS1 9ZZ")
    link_records([rec], config=fixed_config(partnership, accept=0.9))
    rec.refresh_from_db()
    assert rec.child == oliver


def test_the_django_setting_overrides_the_yaml(settings):
    from safeguarding.children.linkage.config import load_config

    settings.LINKAGE = {"accept": 0.995, "review": 0.7}
    config = load_config()
    assert (config.accept, config.review) == (0.995, 0.7)
    settings.LINKAGE = {"accept": 0.5, "review": 0.7}
    with pytest.raises(ValueError, match="review < accept"):
        load_config()


def test_someone_else_is_not_linked_or_proposed(linkshire):
    partnership, police = linkshire
    child(partnership, "Oliver", "Bennett", dt.date(2014, 5, 17))
    rec = record(partnership, police, "Zara", "Quinn", dt.date(2011, 9, 9), sex="2",
                 postcode="LS4 4DD")
    summary = link_records([rec], config=fixed_config(partnership))
    rec.refresh_from_db()
    assert rec.child is None and summary.linked == 0 and summary.review_pairs == 0


def test_of_twins_the_record_links_to_the_one_it_names(linkshire):
    partnership, police = linkshire
    oliver = child(partnership, "Oliver", "Bennett", dt.date(2014, 5, 17))
    child(partnership, "Harry", "Bennett", dt.date(2014, 5, 17))
    rec = record(partnership, police, "Oliver", "Bennett", dt.date(2014, 5, 17))
    link_records([rec], config=fixed_config(partnership))
    rec.refresh_from_db()
    assert rec.child == oliver
    assert rec.match_probability >= 0.99


def test_two_equally_good_children_go_to_review_not_to_a_link(linkshire):
    """A duplicate in the index: neither can be chosen by the model."""
    partnership, police = linkshire
    first = child(partnership, "Oliver", "Bennett", dt.date(2014, 5, 17))
    second = child(partnership, "Oliver", "Bennett", dt.date(2014, 5, 17))
    rec = record(partnership, police, "Oliver", "Bennett", dt.date(2014, 5, 17))
    link_records([rec], config=fixed_config(partnership))
    rec.refresh_from_db()
    assert rec.child is None
    candidates = LinkCandidate.objects.filter(source_record=rec)
    assert {c.child for c in candidates} == {first, second}
    assert all(c.evidence["competing_candidates"] == 1 for c in candidates)
