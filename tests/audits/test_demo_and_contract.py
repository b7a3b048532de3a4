"""The demo's audits (a completed one from the year before, the neglect audit from sample to
actions, one with returns still owed) and what the module gives the house: frames for the
measures, home items, the report's sentences for 0, 1 and many, the triangulation selector,
the reminders and the command line."""

from __future__ import annotations

import datetime as dt
from io import StringIO

import pytest
from django.core import mail
from django.core.management import call_command

from safeguarding.audits import contract, figures, reminders, selectors, services
from safeguarding.audits.models import Audit
from safeguarding.core import modules
from safeguarding.core.models import Partnership
from safeguarding.measures.periods import parse
from safeguarding.measures.selectors import published_figures
from tests.audits.conftest import user_of

pytestmark = pytest.mark.django_db


@pytest.fixture(scope="module")
def module_audits(module_world, django_db_blocker):
    from safeguarding.audits import demo

    with django_db_blocker.unblock():
        demo.build(7, {p.code: p for p in Partnership.objects.all()})
    return module_world


@pytest.fixture
def world(module_audits, db):
    return module_audits


def test_the_demo_runs_a_neglect_audit_from_sample_to_actions(world):
    neglect = Audit.objects.get(theme="neglect", programme__year=2020)
    assert neglect.status == Audit.Status.COMPLETE and neglect.seed == 7020
    assert services.sample_check(neglect)["same_cases"]
    kinds = {r.agency.kind for c in neglect.cases.all() for r in c.returns.all()}
    assert kinds == {"la_childrens_services", "police", "health"}
    late = [r for c in neglect.cases.all() for r in c.returns.all() if not r.on_time]
    assert {r.agency.kind for r in late} == {"police"}
    assert all(c.moderated_on for c in neglect.cases.all())
    actions = selectors.audit_actions(neglect)
    assert len(actions) == 2 and {a.body.name for a in actions} == {"Scrutiny and Assurance"}
    previous = Audit.objects.get(theme="voice_of_the_child", programme__year=2019)
    assert previous.status == Audit.Status.COMPLETE


def test_the_demo_re_audits_neglect_and_the_voice_of_the_child_in_2021_22(world):
    neglect = Audit.objects.get(theme="neglect", programme__year=2020)
    [again] = neglect.re_audits.all()
    assert again.programme.year == 2021 and again.status == Audit.Status.COMPLETE
    assert again.completed_on == dt.date(2022, 2, 16) and again.seed == 7022
    assert all(c.moderated_on for c in again.cases.all())
    [child] = Audit.objects.get(theme="voice_of_the_child", programme__year=2019).re_audits.all()
    assert child.planned_on == dt.date(2022, 3, 7) and child.status == Audit.Status.RETURNS_OPEN
    owed = {r.agency.kind for c in child.cases.all() for r in c.returns.all()
            if r.submitted_on is None}
    assert owed == {"health"}


def test_frames_count_audits_returns_and_grades(world):
    las = ["860"]
    planned = figures.audit_rows(las, dated="planned")
    assert len(planned) == 5  # 1 in 2019-20, 2 in 2020-21, 2 re-audits in 2021-22
    assert len(figures.audit_rows(las, dated="completed")) == 3
    due = figures.return_rows(las)
    on_time = figures.return_rows(las, on_time=True)
    assert 0 < len(on_time) < len(due)
    grades = figures.grade_rows(las)
    bands = sum(len(figures.grade_rows(las, band=b)) for b in contract.BANDS)
    assert bands == len(grades) > 0
    assert all(key.startswith("G") for _, key, _ in grades)  # a grade's key, not a child's
    assert figures.audit_rows(["861"], dated="planned") == []


def test_the_contract_is_registered_with_its_catalogue(world):
    registered = modules.contract("audits")
    assert registered is not None
    assert "audits_grades_good" in modules.frames()
    from safeguarding.measures.catalogue import catalogue

    ids = set(catalogue())
    assert {"audits_completed_rate", "audits_returns_on_time_rate",
            "audits_grades_good_rate"} <= ids


def test_home_items_give_returns_owed_moderation_and_re_audits(world):
    police = contract.home_items(user_of("police.officer"))
    assert police and all(i.kind == "return" for i in police)
    assert all("Staffordshire Police" in i.title for i in police)
    assert contract.home_items(user_of("key.adult.brook")) == []
    business = contract.home_items(user_of("business.staffs"))
    assert any(i.title.startswith("Re-audit due") for i in business)
    exploitation = Audit.objects.get(theme="exploitation")
    for case in exploitation.cases.all():
        for r in case.returns.filter(submitted_on__isnull=True):
            from tests.audits.conftest import fill

            fill(exploitation, r, grade="amber", on=dt.date(2021, 3, 10))
    business = contract.home_items(user_of("business.staffs"))
    assert any(i.title.startswith("Moderate audit") for i in business)


def test_findings_for_theme_give_the_dashboard_panel(world):
    staffs = Partnership.objects.get(code="STAFFS")
    found = selectors.findings_for_theme(staffs, "neglect",
                                         (dt.date(2020, 4, 1), dt.date(2021, 3, 31)))
    [neglect] = found
    assert neglect["in_period"] and neglect["cases"] == 4
    assert sum(neglect["grades"].values()) > 0
    assert {f["kind"] for f in neglect["findings"]} == {"strength", "development", "theme"}
    assert selectors.findings_for_theme(staffs, "neglect",
                                        (dt.date(2018, 4, 1), dt.date(2019, 3, 31))) == []


def _sentences(staffs, label: str) -> list[str]:
    period = parse(label)
    return selectors.report_sentences(staffs, period, published_figures(staffs, period))


def test_report_sentences_read_right_for_none_one_and_many(world):
    """The counts are the engine's (audits completed and planned), the cases and findings
    the audits' own records."""
    staffs = Partnership.objects.get(code="STAFFS")
    # Before the first programme the engine has no figure (its measures say "not
    # recorded"), so the sentences give no count.
    assert _sentences(staffs, "2018-19") == []
    assert _sentences(staffs, "2019-Q1") == [
        "No multi-agency case audit was completed in the year (no audits were planned)."]
    one = _sentences(staffs, "2020-21")
    assert one[0] == ("1 multi-agency case audit was completed, of 2 planned, looking at "
                      "4 cases.")
    assert "neglect audit" in one[1]
    # The exploitation audit, planned in 2020-21, completed in the year too: the engine
    # counts it from the changed records.
    exploitation = Audit.objects.get(theme="exploitation", programme__year=2020)
    exploitation.status, exploitation.completed_on = Audit.Status.COMPLETE, dt.date(2021, 3, 30)
    exploitation.save()
    many = _sentences(staffs, "2020-21")
    assert many[0].startswith("2 multi-agency case audits were completed, of 2 planned, "
                              "looking at ")
    assert len(many) == 3 and "neglect audit" in many[1]
    assert many[2] == f"The {exploitation.title} audit recorded no findings."


def test_reminders_go_to_the_agencies_that_owe_returns(world):
    found = reminders.reminders_send(on=dt.date(2021, 3, 16))
    assert found["sent"] == 2  # the police and health in Staffordshire
    to = {a for m in mail.outbox for a in m.to}
    assert "police.officer@demo.invalid" in to and "health.visitor@demo.invalid" in to
    assert "social.worker@demo.invalid" not in to
    assert all("overdue" in m.body for m in mail.outbox)
    assert reminders.reminders_send(on=dt.date(2021, 3, 13))["sent"] == 0  # a Saturday


def test_the_command_line(world):
    out = StringIO()
    call_command("audits", "list", "STAFFS", stdout=out)
    assert "Multi-agency audit of neglect" in out.getvalue()
    neglect = Audit.objects.get(theme="neglect", programme__year=2020)
    out = StringIO()
    call_command("audits", "check", "STAFFS", neglect.reference, stdout=out)
    assert "drawn again: the same 4 cases" in out.getvalue()
    out = StringIO()
    call_command("audits", "returns", "STAFFS", "--on", "2021-03-20", stdout=out)
    assert "Staffordshire Police: due" in out.getvalue() and "(overdue)" in out.getvalue()
    out = StringIO()
    call_command("audits", "report", "STAFFS", "2020", stdout=out)
    assert out.getvalue().startswith("1 multi-agency case audit was completed")


def _figures(client, partnership="STAFFS", period="2020-21") -> dict:
    found = client.get("/api/indicators", {"partnership": partnership, "period": period}).json()
    return {i["id"]: i for i in found["indicators"] if i["id"].startswith("audits")}


def test_the_measures_on_the_dashboard_and_in_the_report(world, client_for):
    from django.urls import reverse

    from safeguarding.reports import builder

    found = _figures(client_for("board.police"))
    values = {k: v["value"] for k, v in found.items()}
    # Planned in 2020-21: neglect (complete) and exploitation (returns open).
    assert values["audits_planned"] == 2
    assert values["audits_completed"] == 1
    assert values["audits_completed_rate"] == 50
    # The neglect audit's 12 returns fall due in the year; the police's 4 were late.
    assert found["audits_returns_on_time_rate"]["denominator"] >= 12
    assert values["audits_grades"] == (values["audits_grades_good"]
                                       + values["audits_grades_requires_improvement"]
                                       + values["audits_grades_inadequate"])
    page = client_for("board.police").get(
        reverse("measures:theme", args=["STAFFS", "governance"]), {"period": "2020-21"})
    assert "Multi-agency audits completed" in page.content.decode()
    report = builder.build(Partnership.objects.get(code="STAFFS"), "2020-21")
    # Audits count no person, so the published report shows the 1 audit completed in full,
    # as its sentence says (ADR 0039), where a count of children this small would be hidden.
    completed = report.figures.by_key["audits_completed"]
    assert (completed.recorded, completed.value) == (True, 1)
    body = builder.render_body(report)
    assert "Multi-agency case audits" in body
    # The section says the audits completed and their findings, from audits' records.
    from tests.reports.helpers import parse, report_root

    section = " ".join(report_root(parse(body)).xpath('//section[@id="section-audits"]')[0]
                       .text_content().split())
    assert "1 multi-agency case audit was completed, of 2 planned, looking at 4 cases." \
        in section
    assert "things to report - " in section and "theme: Cumulative neglect." in section


def test_every_browser_page_opens_on_the_demo(world, client_for):
    """The pages browser_pages.py walks open (200) for the people it names."""
    from tests.audits import browser_pages

    opened = []

    class Walker:
        def open(self, username, path, label):
            page = client_for(username).get(path)
            assert page.status_code == 200, (label, path, page.status_code)
            opened.append(label)
            return (username, path)

        def submit(self, page, label, expect_path):
            username, path = page
            response = client_for(username).post(path, {"text": ""})
            assert response.status_code == 200 and "govuk-error-summary" in \
                response.content.decode()

    browser_pages.walk(Walker())
    assert len(opened) == 17


def test_the_neglect_theme_shows_the_audit_beside_its_measures(world):
    from safeguarding.core import modules
    from safeguarding.measures.periods import parse as parse_period

    staffs = Partnership.objects.get(code="STAFFS")
    [audit] = [t for t in modules.triangulation(staffs, "neglect", parse_period("2020-21"))
               if t.kind == "audit"]
    assert "4 cases audited" in audit.summary and audit.url.startswith("/audits/")
    assert audit.grade in ("good", "requires_improvement", "inadequate")
    assert not [t for t in modules.triangulation(staffs, "neglect", parse_period("2018-19"))
                if t.kind == "audit"]
