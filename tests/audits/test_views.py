"""The done-when walk through the pages: the business unit plans a neglect audit, draws the
sample, opens the returns; children's services, the police and health each complete their
return; the business unit moderates with every answer side by side, records findings and an
action that lands in governance's log, and signs the audit off with a re-audit date. Then
the attacker's view: another agency, another partnership, and API tokens per seat."""

from __future__ import annotations

import datetime as dt
import json

import pytest
from django.test import Client
from django.urls import reverse

from safeguarding.audits import services
from safeguarding.audits.models import Audit, Case
from safeguarding.core import services as core_services
from safeguarding.core.models import AuditEvent, Membership, Partnership
from safeguarding.governance.models import Action
from tests.audits.conftest import user_of

pytestmark = pytest.mark.django_db


def _date(prefix: str, day: dt.date) -> dict:
    return {f"{prefix}_day": str(day.day), f"{prefix}_month": str(day.month),
            f"{prefix}_year": str(day.year)}


def _return_data(ret, grade: str) -> dict:
    audit = ret.case.audit
    data = {"good_practice": "Toolkit used", "development": "No timescales",
            "recommendations": "Set timescales", "auditor": "Lead", "submit": "on",
            **_date("on", dt.date(2020, 10, 30))}
    for section in audit.sections.all():
        data[f"s{section.pk}"] = grade
        for q in section.questions.all():
            data[f"q{q.pk}"] = f"{ret.agency.name} says yes"
    return data


def test_a_neglect_audit_from_sample_to_actions(demo_world, client_for, partners, programme,
                                                scrutiny):
    bu = client_for("business.staffs")
    data = {"title": "Neglect audit 2020", "theme": "neglect", "scale": "ofsted",
            "terms_of_reference": "How agencies respond to neglect",
            "population": "known_to_agencies", "category": "", "sample_size": "2",
            "agencies": [str(a.pk) for a in partners], **_date("planned_on", dt.date(2020, 10, 1))}
    page = bu.post(reverse("audits:audit-add", args=[programme.pk]), data)
    assert page.status_code == 302
    audit = Audit.objects.get(title="Neglect audit 2020")
    page = bu.post(reverse("audits:sample-draw", args=[audit.pk]),
                   {"seed": "99", **_date("on", dt.date(2020, 10, 5))}, follow=True)
    assert "2 cases drawn with seed 99" in page.content.decode()
    bu.post(reverse("audits:returns-open", args=[audit.pk]), _date("on", dt.date(2020, 10, 6)))
    audit.refresh_from_db()
    assert audit.status == Audit.Status.RETURNS_OPEN

    detail = bu.get(reverse("audits:audit-detail", args=[audit.pk])).content.decode()
    assert "the same cases" in detail  # the draw repeated with the kept seed
    for username, kind, grade in (("social.worker", "la_childrens_services", "good"),
                                  ("police.officer", "police", "inadequate"),
                                  ("health.visitor", "health", "requires_improvement")):
        client = client_for(username)
        home = client.get(reverse("audits:home")).content.decode()
        assert "Returns your agency owes" in home
        for case in audit.cases.all():
            ret = case.returns.get(agency__kind=kind)
            page = client.post(reverse("audits:return-edit", args=[ret.pk]),
                               _return_data(ret, grade))
            assert page.status_code == 302, page.content.decode()[:3000]
            ret.refresh_from_db()
            assert ret.submitted_on == dt.date(2020, 10, 30)

    case = audit.cases.first()
    page = bu.get(reverse("audits:moderate", args=[case.pk])).content.decode()
    for name in ("Staffordshire Police says yes", "Integrated Care Board says yes",
                 "Children&#x27;s Services says yes"):
        assert name in page
    assert "Inadequate" in page and "Requires improvement" in page
    for c in audit.cases.all():
        grades = {f"s{s.pk}": "requires_improvement" for s in audit.sections.all()}
        page = bu.post(reverse("audits:moderate", args=[c.pk]),
                       {**grades, **_date("on", dt.date(2020, 11, 18))})
        assert page.status_code == 302
    audit.refresh_from_db()
    assert audit.status == Audit.Status.MODERATED

    bu.post(reverse("audits:finding-add", args=[audit.pk]),
            {"kind": "development", "text": "Plans drift without timescales"})
    finding = audit.findings.get()
    page = bu.post(reverse("audits:action-add", args=[audit.pk]), {
        "title": "Revise neglect guidance", "finding": str(finding.pk),
        "owner": "Head of Safeguarding", "agency": str(partners[0].pk),
        **_date("raised_on", dt.date(2020, 12, 9)), **_date("due_on", dt.date(2021, 3, 31))})
    assert page.status_code == 302
    action = Action.objects.get(title__startswith="Revise neglect guidance")
    assert action.body == scrutiny
    log = bu.get(reverse("governance:action-list")).content.decode()
    assert action.reference in log
    page = bu.post(reverse("audits:audit-complete", args=[audit.pk]), {
        **_date("on", dt.date(2020, 12, 9)), **_date("re_audit_on", dt.date(2021, 12, 1)),
        "summary": "Requires improvement"})
    assert page.status_code == 302
    audit.refresh_from_db()
    assert audit.status == Audit.Status.COMPLETE and audit.re_audit_on == dt.date(2021, 12, 1)
    detail = bu.get(reverse("audits:audit-detail", args=[audit.pk])).content.decode()
    assert action.reference in detail and "Plans drift without timescales" in detail


def test_an_empty_return_shows_the_error_summary(demo_world, client_for, audit):
    services.sample_draw(actor=None, audit=audit, on=dt.date(2020, 10, 5), seed=1)
    services.returns_open(actor=None, audit=audit, on=dt.date(2020, 10, 6))
    ret = audit.cases.first().returns.get(agency__kind="police")
    page = client_for("police.officer").post(reverse("audits:return-edit", args=[ret.pk]),
                                             {"submit": "on", **_date("on", dt.date(2020, 10, 9))})
    assert page.status_code == 200
    assert "govuk-error-summary" in page.content.decode()


@pytest.fixture
def open_audit(audit):
    services.sample_draw(actor=None, audit=audit, on=dt.date(2020, 10, 5), seed=1)
    services.returns_open(actor=None, audit=audit, on=dt.date(2020, 10, 6))
    return audit


def test_attackers_find_nothing(demo_world, client_for, open_audit):
    audit = open_audit
    case = audit.cases.first()
    police_return = case.returns.get(agency__kind="police")
    health_return = case.returns.get(agency__kind="health")
    # Another partnership: its business unit finds neither the audit nor the case.
    stoke = client_for("business.stoke")
    for url in (reverse("audits:audit-detail", args=[audit.pk]),
                reverse("audits:case-detail", args=[case.pk]),
                reverse("audits:return-edit", args=[police_return.pk])):
        assert stoke.get(url).status_code == 404
    # An agency not taking part (a school) finds nothing of the audit.
    school = client_for("key.adult.brook")
    assert school.get(reverse("audits:audit-detail", args=[audit.pk])).status_code == 404
    assert school.get(reverse("audits:case-detail", args=[case.pk])).status_code == 404
    # The police may open the case file and their return, never health's.
    police = client_for("police.officer")
    assert police.get(reverse("audits:case-detail", args=[case.pk])).status_code == 200
    assert police.get(reverse("audits:return-edit", args=[police_return.pk])).status_code == 200
    assert police.get(reverse("audits:return-edit", args=[health_return.pk])).status_code == 403
    assert police.get(reverse("audits:moderate", args=[case.pk])).status_code == 403
    assert police.get(reverse("audits:sample-draw", args=[audit.pk])).status_code == 403
    # A board member reads the audit but not the case file; analysts have no audits.
    board = client_for("board.police")
    assert board.get(reverse("audits:audit-detail", args=[audit.pk])).status_code == 200
    assert board.get(reverse("audits:case-detail", args=[case.pk])).status_code == 403
    assert client_for("analyst.staffs").get(reverse("audits:home")).status_code == 403
    # Every case-file read and refusal is in the audit log.
    reads = AuditEvent.objects.filter(object_type="audits.case", object_id=str(case.pk))
    assert reads.filter(action=AuditEvent.Action.READ).count() >= 1
    assert reads.filter(action=AuditEvent.Action.DENIED).count() >= 1


def test_the_audit_list_never_names_a_child(demo_world, client_for, open_audit):
    case = Case.objects.filter(audit=open_audit).select_related("child").first()
    page = client_for("business.staffs").get(
        reverse("audits:audit-detail", args=[open_audit.pk])).content.decode()
    assert case.reference in page and case.child.last_name not in page


def _token(username: str, partnership: str | None = None, agency: str | None = None) -> dict:
    membership = Membership.objects.filter(user__username=username)
    if partnership:
        membership = membership.filter(partnership__code=partnership)
    if agency:
        membership = membership.filter(agency__name__startswith=agency)
    raw = core_services.api_token_issue(actor=None, name=f"{username} system",
                                        membership=membership.get())[1]
    return {"HTTP_AUTHORIZATION": f"Bearer {raw}"}


def test_api_tokens_act_for_their_one_seat(demo_world, open_audit):
    audit = open_audit
    case = audit.cases.first()
    police_return = case.returns.get(agency__kind="police")
    officer = user_of("police.officer")
    # The officer also keeps a Stoke-on-Trent seat at a school there.
    school = Membership.objects.get(user__username="key.adult.trentside").agency
    core_services.membership_add(actor=None, user=officer, agency=school,
                                 partnership=Partnership.objects.get(code="STOKE"),
                                 role="school_key_adult")
    api = Client()
    police_seat = _token("police.officer", "STAFFS")
    school_seat = _token("police.officer", "STOKE")
    assert api.get(f"/api/audits/cases/{case.pk}", **police_seat).status_code == 200
    assert api.get(f"/api/audits/cases/{case.pk}", **school_seat).status_code == 404
    owed = api.get("/api/audits/returns", **police_seat).json()
    assert {r["agency"] for r in owed} == {"Staffordshire Police"}
    assert api.get("/api/audits/returns", **school_seat).json() == []
    body = {"answers": {}, "grades": {}, "submit": False}
    assert api.post(f"/api/audits/returns/{police_return.pk}", json.dumps(body),
                    content_type="application/json", **school_seat).status_code == 404
    assert api.post(f"/api/audits/returns/{police_return.pk}", json.dumps(body),
                    content_type="application/json", **police_seat).status_code == 200
    listed = api.get("/api/audits/", **_token("business.stoke")).json()
    assert audit.reference not in {a["reference"] for a in listed}


def test_password_only_is_sent_to_the_second_factor(demo_world):
    client = Client()
    client.force_login(user_of("business.staffs"))
    page = client.get(reverse("audits:home"))
    assert page.status_code == 302
