"""Edits need a reason and keep a history; reviews; the quarterly sample is reproducible."""

from __future__ import annotations

import datetime as dt

import pytest
from django.core.exceptions import PermissionDenied, ValidationError

from safeguarding.core.models import User
from safeguarding.restraint import selectors, services
from safeguarding.restraint.models import Incident, Review, SampleItem
from tests.restraint.conftest import csv_bytes, row


def _load(yoi, *rows):
    services.incidents_import(actor=None, establishment=yoi, file_name="q.csv",
                              content=csv_bytes(*rows))


def test_an_edit_needs_a_reason_and_is_kept_with_old_and_new_values(yoi):
    _load(yoi, row())
    incident = Incident.objects.get()
    member = User.objects.get(username="restraint.member")
    with pytest.raises(ValidationError, match="reason"):
        services.incident_edit(actor=member, incident=incident, reason=" ", floor=True)
    services.incident_edit(actor=member, incident=incident, reason="Footage shows the floor",
                           floor=True, positions=["STANDING", "PRONE"])
    incident.refresh_from_db()
    assert incident.floor and incident.prone
    [edit] = selectors.incident_history(incident)
    assert edit.reason == "Footage shows the floor" and edit.edited_by == member
    assert edit.changes["floor"] == [False, True] and edit.changes["prone"] == [False, True]


def test_only_reviewer_roles_edit_or_review(yoi):
    _load(yoi, row())
    incident = Incident.objects.get()
    for name in ("board.police", "analyst.staffs", "social.worker", "business.stoke"):
        with pytest.raises(PermissionDenied):
            services.incident_edit(actor=User.objects.get(username=name), incident=incident,
                                   reason="x", floor=True)
        with pytest.raises(PermissionDenied):
            services.review_record(actor=User.objects.get(username=name), incident=incident,
                                   reviewed_on=dt.date(2020, 6, 8), proportionate="Y",
                                   concerns=[], referral="NONE")


def test_a_review_after_the_next_working_day_is_overdue_until_recorded(yoi):
    _load(yoi, row(), row(incident_ref="R2", occurred_at="2020-06-08 10:00"))
    member = User.objects.get(username="restraint.member")
    estab = yoi
    lists = selectors.reviews_due(actor=member, establishment=estab, today=dt.date(2020, 6, 9))
    assert [i.reference for i in lists["overdue"]] == ["R1"]  # due Monday 8 June
    assert [i.reference for i in lists["due"]] == ["R2"]  # due Tuesday 9 June
    with pytest.raises(ValidationError, match="follows"):
        services.review_record(actor=member, incident=Incident.objects.get(reference="R1"),
                               reviewed_on=dt.date(2020, 6, 9), proportionate="N",
                               concerns=["prone"], referral="LADO")
    services.review_record(actor=member, incident=Incident.objects.get(reference="R1"),
                           reviewed_on=dt.date(2020, 6, 9), proportionate="N",
                           concerns=["prone"], referral="LADO", follow_up="LADO called")
    lists = selectors.reviews_due(actor=member, establishment=estab, today=dt.date(2020, 6, 9))
    assert lists["overdue"] == []
    assert Review.objects.get().referral == "LADO"
    assert selectors.overdue_counts(dt.date(2020, 6, 10)) == {estab.pk: 1}


def test_the_sample_takes_every_pit_prone_and_injury_and_a_seeded_draw(yoi):
    rows = [row(incident_ref=f"R{n:02d}", occurred_at=f"2020-07-{n + 1:02d} 10:00")
            for n in range(20)]
    rows[3] = row(incident_ref="R03", occurred_at="2020-07-04 10:00", pit_used="Y",
                  pit_technique="WRIST_FLEXION", pit_justification="Risk to life")
    rows[7] = row(incident_ref="R07", occurred_at="2020-07-08 10:00",
                  positions="STANDING;PRONE")
    rows[9] = row(incident_ref="R09", occurred_at="2020-07-10 10:00", child_injured="Y")
    _load(yoi, *rows)
    sample = services.sample_draw(actor=None, establishment=yoi, quarter="2020-Q2", seed=42,
                                  size=8)
    must = {i.incident.reference for i in sample.items.filter(why=SampleItem.Why.MUST)}
    assert must == {"R03", "R07", "R09"}
    drawn = sorted(i.incident.reference for i in sample.items.filter(why=SampleItem.Why.DRAWN))
    assert len(drawn) == 5 and not set(drawn) & must
    assert services.sample_check(sample)
    # Drawn again with the stored seed: the same sample; with another seed, another draw.
    again = services.sample_draw(actor=None, establishment=yoi, quarter="2020-Q2", seed=42,
                                 size=8)
    assert sorted(i.incident.reference for i in again.items.filter(why="drawn")) == drawn
    other = services.sample_draw(actor=None, establishment=yoi, quarter="2020-Q2", seed=7,
                                 size=8)
    assert sorted(i.incident.reference for i in other.items.filter(why="drawn")) != drawn
    assert other.seed == 7 and services.sample_check(other)
    # A tampered sample no longer checks.
    other.items.filter(why="drawn").first().delete()
    assert not services.sample_check(other)


def test_the_sample_size_is_6_to_10_and_a_reviewed_sample_is_not_redrawn(yoi):
    _load(yoi, row(occurred_at="2020-07-01 10:00"))
    with pytest.raises(ValidationError, match="6 to 10"):
        services.sample_draw(actor=None, establishment=yoi, quarter="2020-Q2", size=11)
    sample = services.sample_draw(actor=None, establishment=yoi, quarter="2020-Q2", seed=1)
    services.sample_item_review(actor=None, item=sample.items.first(), footage_reviewed=True,
                                paperwork_reviewed=True, checklist={"senior_officer": "Y"})
    with pytest.raises(ValidationError, match="begun"):
        services.sample_draw(actor=None, establishment=yoi, quarter="2020-Q2", seed=2)
    action = services.sample_action_add(actor=None, sample=sample, theme="TRAINING",
                                        action="Refreshers", owner="MMPR coordinator")
    assert action.owner == "MMPR coordinator"
