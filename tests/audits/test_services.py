"""The audit's life: programme, sample rule and random draw (seed kept and checked),
returns with deadlines, moderation, findings, actions in governance's one log, completion."""

from __future__ import annotations

import datetime as dt

import pytest
from django.core.exceptions import PermissionDenied, ValidationError

from safeguarding.audits import selectors, services
from safeguarding.audits.models import Audit
from safeguarding.core.calendar import add_working_days
from safeguarding.core.models import AuditEvent
from safeguarding.governance import selectors as governance
from tests.audits.conftest import fill, user_of

pytestmark = pytest.mark.django_db


def test_an_audit_starts_with_its_themes_question_set(audit):
    sections = list(audit.sections.values_list("key", flat=True))
    assert sections[:2] == ["recognition", "voice"]
    assert all(s.questions.exists() for s in audit.sections.all())


def test_the_draw_is_random_within_the_population_and_can_be_repeated(audit, business_unit):
    population = selectors.population_ids(audit)
    assert len(population) >= 3
    cases = services.sample_draw(actor=business_unit, audit=audit, on=dt.date(2020, 10, 5),
                                 seed=12345)
    audit.refresh_from_db()
    assert audit.seed == 12345 and audit.population_size == len(population)
    assert audit.status == Audit.Status.SAMPLED
    drawn = [c.child_id for c in cases]
    assert set(drawn) <= set(population) and len(set(drawn)) == 3
    assert drawn == services.draw(population, 3, 12345)
    check = services.sample_check(audit)
    assert check["same_cases"] and check["population_same"]
    # Each taking-part agency gets a return per case; lists name cases by reference.
    assert all(c.returns.count() == 3 for c in cases)
    assert cases[0].reference == f"{audit.reference}-C01"


def test_a_new_seed_is_chosen_and_kept_when_none_is_given(audit):
    services.sample_draw(actor=None, audit=audit, on=dt.date(2020, 10, 5))
    audit.refresh_from_db()
    assert audit.seed is not None
    assert services.sample_check(audit)["same_cases"]


def test_the_sample_is_drawn_once(audit):
    services.sample_draw(actor=None, audit=audit, on=dt.date(2020, 10, 5), seed=1)
    with pytest.raises(ValidationError):
        services.sample_draw(actor=None, audit=audit, on=dt.date(2020, 10, 5), seed=2)


def test_a_plan_sample_with_no_census_finds_nobody(programme, partners):
    audit = services.audit_add(actor=None, programme=programme, title="On plans",
                               theme="neglect", terms_of_reference="T", scale="rag",
                               planned_on=dt.date(2020, 10, 1), population="cp_plan",
                               category="N", sample_size=2, agencies=partners)
    assert selectors.population_ids(audit) == []
    with pytest.raises(ValidationError):
        services.sample_draw(actor=None, audit=audit, on=dt.date(2020, 10, 5))


def test_only_the_business_unit_plans_and_draws(programme, partners, audit):
    for username in ("board.police", "scrutiny.member", "social.worker", "business.stoke"):
        with pytest.raises(PermissionDenied):
            services.sample_draw(actor=user_of(username), audit=audit, on=dt.date(2020, 10, 5))


def test_returns_are_due_in_working_days_and_need_every_answer(audit, partners):
    services.sample_draw(actor=None, audit=audit, on=dt.date(2020, 10, 5), seed=3)
    services.returns_open(actor=None, audit=audit, on=dt.date(2020, 10, 6))
    audit.refresh_from_db()
    assert audit.returns_due == add_working_days(dt.date(2020, 10, 6), 20)
    ret = audit.cases.first().returns.first()
    assert ret.due_on == audit.returns_due
    with pytest.raises(ValidationError) as error:
        services.return_save(actor=None, agency_return=ret, answers={}, grades={},
                             submit=True, on=dt.date(2020, 10, 20))
    assert "answers" in error.value.message_dict
    fill(audit, ret)
    ret.refresh_from_db()
    assert ret.submitted_on == dt.date(2020, 10, 20) and ret.on_time
    with pytest.raises(ValidationError):
        fill(audit, ret)  # a submitted return is kept


def test_a_grade_must_be_on_the_audits_scale(audit):
    services.sample_draw(actor=None, audit=audit, on=dt.date(2020, 10, 5), seed=3)
    services.returns_open(actor=None, audit=audit, on=dt.date(2020, 10, 6))
    ret = audit.cases.first().returns.first()
    with pytest.raises(ValidationError):
        fill(audit, ret, grade="green")


def test_an_agency_completes_only_its_own_return(audit, partners):
    services.sample_draw(actor=None, audit=audit, on=dt.date(2020, 10, 5), seed=3)
    services.returns_open(actor=None, audit=audit, on=dt.date(2020, 10, 6))
    case = audit.cases.first()
    police = case.returns.get(agency__kind="police")
    health = case.returns.get(agency__kind="health")
    officer = user_of("police.officer")
    fill(audit, police, actor=officer)
    with pytest.raises(PermissionDenied):
        fill(audit, health, actor=officer)


def _to_moderation(audit):
    services.sample_draw(actor=None, audit=audit, on=dt.date(2020, 10, 5), seed=3)
    services.returns_open(actor=None, audit=audit, on=dt.date(2020, 10, 6))
    for case in audit.cases.all():
        for ret in case.returns.all():
            fill(audit, ret, grade="good" if ret.agency.kind != "police" else "inadequate")


def test_moderation_shows_answers_side_by_side_and_agrees_a_grade_per_section(audit):
    _to_moderation(audit)
    case = audit.cases.first()
    [grid] = selectors.moderation_grid(case)
    assert len(grid["returns"]) == 3
    first = grid["sections"][0]
    assert len(first["rows"][0]["answers"]) == 3
    assert "Inadequate" in first["grades"] and "Good" in first["grades"]
    with pytest.raises(ValidationError):
        services.moderation_record(actor=None, case=case, on=dt.date(2020, 11, 18),
                                   grades={first["section"].pk: "good"})
    for c in audit.cases.all():
        services.moderation_record(actor=None, case=c, on=dt.date(2020, 11, 18),
                                   grades={s.pk: "requires_improvement"
                                           for s in audit.sections.all()})
    audit.refresh_from_db()
    assert audit.status == Audit.Status.MODERATED
    sections = audit.sections.count()
    assert selectors.grade_distribution([audit]) == {
        "good": 0, "requires_improvement": 3 * sections, "inadequate": 0}


def test_actions_go_into_governances_one_action_log(audit, business_unit, partners, scrutiny):
    _to_moderation(audit)
    for c in audit.cases.all():
        services.moderation_record(actor=None, case=c, on=dt.date(2020, 11, 18),
                                   grades={s.pk: "good" for s in audit.sections.all()})
    finding = services.finding_add(actor=business_unit, audit=audit, kind="development",
                                   text="Plans lack timescales")
    action = services.action_raise(actor=business_unit, audit=audit, finding=finding,
                                   title="Revise guidance", owner="Head of Safeguarding",
                                   agency=partners[0], due_on=dt.date(2021, 3, 31),
                                   raised_on=dt.date(2020, 12, 9))
    assert action in governance.actions_for(business_unit, body=scrutiny)
    assert audit.reference in action.title
    assert selectors.audit_actions(audit) == [action]
    services.audit_complete(actor=business_unit, audit=audit, on=dt.date(2020, 12, 9),
                            re_audit_on=dt.date(2021, 12, 1))
    audit.refresh_from_db()
    assert audit.status == Audit.Status.COMPLETE


def test_an_audit_is_not_complete_before_moderation_or_without_findings(audit):
    with pytest.raises(ValidationError):
        services.audit_complete(actor=None, audit=audit, on=dt.date(2020, 12, 9),
                                re_audit_on=None)
    _to_moderation(audit)
    for c in audit.cases.all():
        services.moderation_record(actor=None, case=c, on=dt.date(2020, 11, 18),
                                   grades={s.pk: "good" for s in audit.sections.all()})
    with pytest.raises(ValidationError) as error:
        services.audit_complete(actor=None, audit=audit, on=dt.date(2020, 12, 9),
                                re_audit_on=None)
    assert "summary" in error.value.message_dict


def test_reading_a_case_is_audited_and_refused_to_others(audit, business_unit):
    _to_moderation(audit)
    case = audit.cases.first()
    found = selectors.case_get(actor=business_unit, pk=case.pk)
    assert found.child_record.pk == case.child_id
    reads = AuditEvent.objects.filter(actor=business_unit, purpose=selectors.CASE_PURPOSE)
    assert {e.object_type for e in reads} == {"audits.case", "children.child"}
    # An auditor of a taking-part agency sees it; a school's key adult does not find it.
    selectors.case_get(actor=user_of("police.officer"), pk=case.pk)
    from django.http import Http404

    with pytest.raises(Http404):
        selectors.case_get(actor=user_of("key.adult.brook"), pk=case.pk)
    with pytest.raises(Http404):
        selectors.case_get(actor=user_of("business.stoke"), pk=case.pk)
    # A board member reads the audit, not the case file (refused, and the refusal audited).
    with pytest.raises(PermissionDenied):
        selectors.case_get(actor=user_of("board.police"), pk=case.pk)
    assert AuditEvent.objects.filter(actor=user_of("board.police"),
                                     action=AuditEvent.Action.DENIED).exists()
