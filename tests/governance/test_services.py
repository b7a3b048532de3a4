"""Governance writes: terms versions, meetings built from the action log, quoracy,
decisions and minutes, the action log and the risk register's score history."""

from __future__ import annotations

import datetime as dt

import pytest
from django.core.exceptions import PermissionDenied, ValidationError

from safeguarding.core.models import User
from safeguarding.governance import config, selectors, services
from safeguarding.governance.models import AgendaItem, Attendance


def test_terms_of_reference_are_versioned_and_the_meeting_uses_the_one_in_force(
        body, agencies, business_unit):
    later = services.terms_add(
        actor=business_unit, body=body, purpose="Refreshed", chair="New Chair", quorum=3,
        frequency="quarterly", effective_from=dt.date(2020, 9, 1), review_on=dt.date(2021, 9, 1),
        members=[(agencies["la_childrens_services"], "Head"), (agencies["police"], "DI"),
                 (agencies["health"], "Nurse")])
    assert later.version == 2 and body.terms.count() == 2
    june = services.meeting_schedule(actor=business_unit, body=body, held_on=dt.date(2020, 6, 10))
    october = services.meeting_schedule(actor=business_unit, body=body,
                                        held_on=dt.date(2020, 10, 7))
    assert june.terms.version == 1 and october.terms.version == 2
    assert later.papers_days == config.default_papers_days()


def test_papers_are_due_working_days_ahead_by_the_calendar(body, business_unit):
    # Tuesday 1 September 2020; five working days back crosses the bank holiday of 31 August.
    meeting = services.meeting_schedule(actor=business_unit, body=body,
                                        held_on=dt.date(2020, 9, 1))
    assert meeting.papers_due == dt.date(2020, 8, 24)  # Tuesday 25th without the holiday


def test_the_agenda_is_built_from_the_action_log_and_what_falls_due(body, agencies,
                                                                     business_unit):
    first = services.meeting_schedule(actor=business_unit, body=body, held_on=dt.date(2020, 6, 10))
    services.attendance_record(actor=business_unit, meeting=first, entries=[
        (agencies["la_childrens_services"], "present", ""), (agencies["police"], "present", "")])
    services.minutes_record(actor=business_unit, meeting=first, text="Draft minutes")
    action = services.action_add(actor=business_unit, body=body, title="Audit the front door",
                                 owner="J Smith", agency=agencies["police"],
                                 due_on=dt.date(2020, 7, 1), raised_on=dt.date(2020, 6, 10),
                                 raised_at=first)
    done = services.action_add(actor=business_unit, body=body, title="Done already",
                               owner="K Lee", agency=agencies["health"],
                               due_on=dt.date(2020, 6, 30), raised_on=dt.date(2020, 6, 10))
    services.action_close(actor=business_unit, action=done, status="complete",
                          evidence="Report seen", on=dt.date(2020, 6, 20))
    second = services.meeting_schedule(actor=business_unit, body=body,
                                       held_on=dt.date(2020, 7, 8))
    kinds = [(i.kind, i.action_id) for i in second.agenda.all()]
    assert (AgendaItem.Kind.MINUTES, None) in kinds
    assert (AgendaItem.Kind.ACTION, action.pk) in kinds
    assert (AgendaItem.Kind.ACTION, done.pk) not in kinds
    assert "overdue" in second.agenda.get(action=action).title
    services.minutes_approve(actor=business_unit, meeting=first, at=second)
    with pytest.raises(ValidationError):
        services.minutes_record(actor=business_unit, meeting=first, text="Changed afterwards")
    with pytest.raises(ValidationError):
        services.minutes_approve(actor=business_unit, meeting=second, at=first)


def test_quoracy_needs_the_quorum_and_each_required_partner(body, agencies, business_unit):
    meeting = services.meeting_schedule(actor=business_unit, body=body,
                                        held_on=dt.date(2020, 6, 10))
    services.attendance_record(actor=business_unit, meeting=meeting, entries=[
        (agencies["la_childrens_services"], "present", "A"), (agencies["police"], "present", "B"),
        (agencies["health"], "apologies", "C")])
    assert meeting.held and meeting.quorate is False  # health is a required partner
    services.attendance_record(actor=business_unit, meeting=meeting, entries=[
        (agencies["la_childrens_services"], "present", "A"), (agencies["police"], "apologies", "B"),
        (agencies["health"], "present", "C")])
    assert meeting.quorate is False
    services.attendance_record(actor=business_unit, meeting=meeting, entries=[
        (a, "present", "") for a in (agencies["la_childrens_services"], agencies["police"],
                                     agencies["health"])])
    assert meeting.quorate is True
    assert meeting.attendance.filter(status=Attendance.Status.PRESENT).count() == 3


def test_an_overdue_action_is_on_the_overdue_view_and_carrying_it_counts(body, agencies,
                                                                         business_unit):
    action = services.action_add(actor=business_unit, body=body, title="Refresh the policy",
                                 owner="J Smith", agency=agencies["police"],
                                 due_on=dt.date(2020, 7, 1), raised_on=dt.date(2020, 6, 1))
    assert action.reference.startswith("STAFFS-A")
    assert action in selectors.overdue_actions(business_unit, dt.date(2020, 7, 2))
    assert action not in selectors.overdue_actions(business_unit, dt.date(2020, 7, 1))
    services.action_carry_forward(actor=business_unit, action=action, due_on=dt.date(2020, 9, 1))
    assert action.carried_forward == 1
    assert action not in selectors.overdue_actions(business_unit, dt.date(2020, 7, 2))
    with pytest.raises(ValidationError):
        services.action_close(actor=business_unit, action=action, status="complete",
                              evidence=" ", on=dt.date(2020, 8, 1))
    services.action_close(actor=business_unit, action=action, status="complete",
                          evidence="Policy published", on=dt.date(2020, 8, 1))
    assert action not in selectors.overdue_actions(business_unit, dt.date(2020, 10, 1))


def test_risk_scores_keep_their_history_and_rag_follows_the_thresholds(body, business_unit):
    register = services.register_open(actor=business_unit, body=body, name="Temporary",
                                      kind="temporary", opened_on=dt.date(2020, 4, 1))
    risk = services.risk_add(
        actor=business_unit, register=register, title="Children unseen", cause="Lockdown",
        consequence="Harm unnoticed", owner="Chair", controls="Virtual visits",
        likelihood=5, impact=5, residual_likelihood=4, residual_impact=4,
        review_on=dt.date(2020, 5, 1), on=dt.date(2020, 4, 1))
    with pytest.raises(ValidationError):  # controls cannot raise the score
        services.risk_review(actor=business_unit, risk=risk, on=dt.date(2020, 5, 1),
                             likelihood=3, impact=3, residual_likelihood=4,
                             residual_impact=4, review_on=dt.date(2020, 6, 1))
    services.risk_review(actor=business_unit, risk=risk, on=dt.date(2020, 5, 1), likelihood=4,
                         impact=5, residual_likelihood=3, residual_impact=3,
                         review_on=dt.date(2020, 6, 1))
    services.risk_review(actor=business_unit, risk=risk, on=dt.date(2020, 6, 1), likelihood=3,
                         impact=4, residual_likelihood=2, residual_impact=2,
                         review_on=dt.date(2020, 7, 1))
    history = list(risk.reviews.values_list("rag", flat=True))
    assert history == ["red", "amber", "green"]
    assert risk.residual_score == 4
    services.register_close(actor=business_unit, register=register, on=dt.date(2021, 3, 31),
                            reason="Restrictions lifted")
    risk.refresh_from_db()
    assert risk.closed_on == dt.date(2021, 3, 31)
    with pytest.raises(ValidationError):
        services.risk_review(actor=business_unit, risk=risk, on=dt.date(2021, 4, 1),
                             likelihood=1, impact=1, residual_likelihood=1, residual_impact=1,
                             review_on=dt.date(2021, 5, 1))


def test_only_the_partnerships_editors_write(body, stoke, demo_world):
    for name in ("business.stoke", "scrutiny.member", "analyst.staffs"):
        with pytest.raises(PermissionDenied):
            services.meeting_schedule(actor=User.objects.get(username=name), body=body,
                                      held_on=dt.date(2020, 6, 10))
    board = User.objects.get(username="board.police")
    assert services.meeting_schedule(actor=board, body=body, held_on=dt.date(2020, 6, 10))


def test_a_joint_body_belongs_to_each_partnership(staffs, stoke, agencies, business_unit):
    joint = services.body_add(actor=business_unit, partnership=staffs, kind="sub_group",
                              name="Joint group", joint_with=[stoke])
    stoke_bu = User.objects.get(username="business.stoke")
    assert joint in selectors.bodies_for(stoke_bu)
    services.terms_add(actor=stoke_bu, body=joint, purpose="Joint", chair="C", quorum=1,
                       frequency="monthly", effective_from=dt.date(2020, 6, 1),
                       review_on=dt.date(2021, 6, 1), members=[(agencies["police"], "DI")])
    other = services.body_add(actor=business_unit, partnership=staffs, kind="task_group",
                              name="Staffs only")
    assert other not in selectors.bodies_for(stoke_bu)
