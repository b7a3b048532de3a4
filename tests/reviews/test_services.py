"""Writes: stored due dates and rule ids, refusals of bad input with nothing half-saved."""

import datetime as dt

import pytest
from django.core.exceptions import PermissionDenied, ValidationError

from safeguarding.core.models import AuditEvent, User
from safeguarding.reviews import services
from safeguarding.reviews.models import (
    ActionStatus,
    AgencyReturn,
    PracticeReview,
    RapidReview,
    SeriousIncident,
)

from .conftest import first_child

D = dt.date


def _user(name):
    return User.objects.get(username=name)


def test_business_unit_records_an_incident_by_child_identifier(staffs, on_day):
    on_day(D(2021, 4, 20))
    child = first_child(staffs)
    incident = services.incident_create(
        actor=_user("business.staffs"), partnership=staffs, aware_on=D(2021, 4, 1),
        harm="death", abuse_or_neglect="known", looked_after=True, summary="What happened.",
        child_identifiers=[child.la_child_id.lower()])
    assert list(incident.children.all()) == [child]
    assert incident.reference == "SI 2021-22/01"
    assert AuditEvent.objects.filter(object_type="reviews.seriousincident",
                                     action="create").exists()


def test_notification_before_awareness_is_refused_and_nothing_saved(staffs, on_day):
    on_day(D(2021, 4, 20))
    with pytest.raises(ValidationError) as caught:
        services.incident_create(
            actor=_user("business.staffs"), partnership=staffs, aware_on=D(2021, 4, 8),
            harm="death", abuse_or_neglect="known", looked_after=False, summary="x",
            children=[first_child(staffs)], notification_sent_on=D(2021, 4, 7))
    assert "notification_sent_on" in caught.value.message_dict
    assert not SeriousIncident.objects.exists()
    assert not RapidReview.objects.exists()


def test_every_problem_is_reported_at_once(staffs, on_day):
    on_day(D(2021, 4, 20))
    with pytest.raises(ValidationError) as caught:
        services.incident_create(
            actor=None, partnership=staffs, aware_on=D(2021, 5, 1), harm="", abuse_or_neglect="",
            looked_after=False, summary=" ", child_identifiers=["NOSUCHID"])
    assert set(caught.value.message_dict) == {"aware_on", "harm", "abuse_or_neglect", "summary",
                                              "children"}


def test_notify_starts_the_rapid_review_and_moves_agency_returns(make_incident, agency):
    incident = make_incident(D(2021, 4, 1))
    assert not RapidReview.objects.exists()
    services.incident_notify(actor=None, incident=incident, sent_on=D(2021, 4, 9))
    review = incident.rapid_review
    police = agency("Staffordshire Police")
    item = services.agency_return_request(actor=None, rapid_review=review, agency=police,
                                          requested_on=D(2021, 4, 9))
    assert (item.due_on, item.due_rule) == (D(2021, 4, 23), "rapid_review_agency_return")
    # A corrected notification date moves both clocks and keeps their rule ids.
    services.incident_notify(actor=None, incident=incident, sent_on=D(2021, 4, 8))
    review.refresh_from_db()
    item.refresh_from_db()
    assert review.due_on == D(2021, 4, 29)
    assert item.due_on == D(2021, 4, 22)
    assert RapidReview.objects.count() == 1


def test_notify_before_awareness_leaves_the_record_alone(make_incident):
    incident = make_incident(D(2021, 4, 8))
    with pytest.raises(ValidationError):
        services.incident_notify(actor=None, incident=incident, sent_on=D(2021, 4, 7))
    incident.refresh_from_db()
    assert incident.notification_sent_on is None
    assert not RapidReview.objects.exists()


def test_rapid_review_dates_and_decision(make_incident, on_day):
    on_day(D(2021, 6, 1))
    review = make_incident(D(2021, 4, 1), sent_on=D(2021, 4, 9)).rapid_review
    with pytest.raises(ValidationError) as caught:
        services.rapid_review_update(actor=None, rapid_review=review, meeting_on=D(2021, 4, 1),
                                     completed_on=D(2021, 7, 1))
    assert set(caught.value.message_dict) == {"meeting_on", "completed_on"}
    services.rapid_review_update(actor=None, rapid_review=review, meeting_on=D(2021, 4, 26),
                                 completed_on=D(2021, 4, 30))
    services.rapid_review_decide(actor=None, rapid_review=review, decision="local_review",
                                 decision_on=D(2021, 4, 30), rationale="Learning to find.")
    with pytest.raises(ValidationError) as caught:
        services.rapid_review_panel_response(actor=None, rapid_review=review,
                                             response_on=D(2021, 4, 29), response="Agreed")
    assert "panel_response_on" in caught.value.message_dict


def test_practice_review_publication_clock_and_deferral(make_incident, staffs, on_day):
    on_day(D(2022, 1, 1))
    incident = make_incident(D(2020, 8, 3), sent_on=D(2020, 8, 5))
    review = services.practice_review_create(
        actor=None, partnership=staffs, kind="local", title="Child Q", decided_on=D(2020, 8, 31),
        incidents=[incident])
    # Six calendar months; 28 February for a decision on 31 August.
    assert (review.publication_due, review.publication_due_rule) == (
        D(2021, 2, 28), "practice_review_publication")
    services.practice_review_update(
        actor=None, review=review, title="Child Q", scope="", reviewer="", terms_of_reference="",
        themes=[], planned_publication_on=D(2021, 2, 25))
    review.refresh_from_db()
    assert review.panel_notice_due == D(2021, 2, 16)
    assert review.panel_notice_due_rule == "practice_review_pre_publication_notice"
    with pytest.raises(ValidationError) as caught:
        services.practice_review_defer(actor=None, review=review, reason="criminal_proceedings",
                                       detail="", deferred_on=D(2021, 2, 1),
                                       review_on=D(2021, 1, 1))
    assert "deferral_review_on" in caught.value.message_dict
    services.practice_review_defer(actor=None, review=review, reason="criminal_proceedings",
                                   detail="Trial listed", deferred_on=D(2021, 2, 1),
                                   review_on=D(2021, 9, 1))
    review.refresh_from_db()
    assert review.deferred


def test_thematic_review_groups_cases_of_one_partnership(make_incident, staffs, stoke, on_day):
    on_day(D(2022, 1, 1))
    ours = [make_incident(D(2020, 9, 1)), make_incident(D(2020, 10, 1))]
    theirs = make_incident(D(2020, 9, 1), partnership=stoke)
    with pytest.raises(ValidationError) as caught:
        services.practice_review_create(actor=None, partnership=staffs, kind="thematic",
                                        title="Infants under one", decided_on=D(2020, 11, 1),
                                        incidents=[*ours, theirs])
    assert "incidents" in caught.value.message_dict
    review = services.practice_review_create(actor=None, partnership=staffs, kind="thematic",
                                             title="Infants under one",
                                             decided_on=D(2020, 11, 1), incidents=ours)
    assert review.reference == "TR 2020-21/01"
    assert set(review.incidents.all()) == set(ours)


def test_host_may_name_children_of_the_partnership_it_coordinates_for(staffs, stoke):
    incident = services.incident_create(
        actor=None, partnership=staffs, aware_on=D(2020, 6, 1), harm="death",
        abuse_or_neglect="known", looked_after=False, summary="x",
        child_identifiers=[f"861/{first_child(stoke).la_child_id}"])
    assert incident.children.get().partnership == stoke
    # Stoke-on-Trent does not coordinate for Staffordshire: the other way is refused.
    with pytest.raises(ValidationError):
        services.incident_create(
            actor=None, partnership=stoke, aware_on=D(2020, 6, 1), harm="death",
            abuse_or_neglect="known", looked_after=False, summary="x",
            child_identifiers=[f"860/{first_child(staffs).la_child_id}"])


def _action(make_incident, staffs, agency):
    incident = make_incident(D(2020, 8, 3), sent_on=D(2020, 8, 5))
    review = services.practice_review_create(actor=None, partnership=staffs, kind="local",
                                             title="Child Q", decided_on=D(2020, 8, 31),
                                             incidents=[incident])
    finding = services.finding_add(actor=None, review=review, text="Chronologies were late.")
    rec = services.recommendation_add(actor=None, finding=finding, text="Share them sooner.")
    return services.action_add(actor=None, recommendation=rec, text="Brief officers.",
                               owner_agency=agency("Staffordshire Police"), due_on=D(2021, 3, 1))


def test_the_owning_agencys_practitioner_updates_an_action(make_incident, staffs, agency,
                                                           on_day):
    on_day(D(2021, 3, 5))
    action = _action(make_incident, staffs, agency)
    with pytest.raises(PermissionDenied):
        services.action_update(actor=_user("health.visitor"), action=action,
                               status="in_progress", evidence_of_impact="")
    with pytest.raises(ValidationError) as caught:
        services.action_update(actor=_user("police.officer"), action=action, status="done",
                               evidence_of_impact="")
    assert "evidence_of_impact" in caught.value.message_dict
    action.refresh_from_db()
    assert action.status == ActionStatus.NOT_STARTED
    services.action_update(actor=_user("police.officer"), action=action, status="done",
                           evidence_of_impact="Audit shows chronologies shared in 9 of 10 cases.")
    action.refresh_from_db()
    assert (action.status, action.completed_on) == (ActionStatus.DONE, D(2021, 3, 5))


def test_people_without_the_role_cannot_write(make_incident, staffs):
    incident = make_incident(D(2021, 4, 1))
    for username in ("board.police", "analyst.staffs", "social.worker", "reviews.member",
                     "business.stoke"):
        with pytest.raises(PermissionDenied):
            services.incident_notify(actor=_user(username), incident=incident,
                                     sent_on=D(2021, 4, 6))
    assert not AgencyReturn.objects.exists()
    assert not PracticeReview.objects.exists()


def test_sub_group_member_contributes(make_incident, agency, on_day):
    on_day(D(2021, 4, 20))
    review = make_incident(D(2021, 4, 1), sent_on=D(2021, 4, 6)).rapid_review
    member = _user("reviews.member")
    item = services.agency_return_request(actor=member, rapid_review=review,
                                          agency=agency("Staffordshire Police"),
                                          requested_on=D(2021, 4, 6))
    services.agency_return_update(actor=member, agency_return=item, received_on=D(2021, 4, 16),
                                  attended_meeting=True)
    services.chronology_add(actor=member, rapid_review=review, agency=item.agency,
                            occurred_on=D(2021, 1, 4), entry="Attended a report at the home.")
    with pytest.raises(PermissionDenied):
        services.rapid_review_decide(actor=member, rapid_review=review, decision="no_review",
                                     decision_on=D(2021, 4, 16), rationale="x")
