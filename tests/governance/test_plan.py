"""Priorities and the business plan: objectives, commitments with owner, due date, measure
or action, and outcome; what governance answers through the contract (the yearly report's
priorities, sub-group sections, independent scrutiny; triangulation; the home queue)."""

from __future__ import annotations

import datetime as dt

import pytest
from django.core.exceptions import PermissionDenied, ValidationError
from django.core.management import call_command
from django.urls import reverse

from safeguarding.core import modules
from safeguarding.core.models import User
from safeguarding.governance import assurance, selectors, services
from safeguarding.governance.models import Commitment, Priority
from safeguarding.measures.periods import parse

YEAR = parse("2020-21")


def test_the_demo_plan_has_the_seed_priorities_and_last_years_commitments(governance_demo):
    views = modules.report_priorities(_staffs(), "2020-21")
    assert [p.title for p in views] == ["Neglect", "Child exploitation",
                                        "Effective multi-agency safeguarding practice"]
    assert "Embed the Graded Care Profile 2 across agencies" in views[0].objectives
    outcomes = modules.report_commitments(_staffs(), "2019-20")
    assert sorted(o.outcome for o in outcomes) == ["in_progress", "kept", "kept", "missed"]
    assert all(o.url.startswith("/governance/commitments/") for o in outcomes)


def _staffs():
    from safeguarding.core.models import Partnership

    return Partnership.objects.get(code="STAFFS")


def test_a_priority_has_objectives_and_is_the_partnerships_own(governance_demo, stoke):
    business = User.objects.get(username="business.staffs")
    priority = services.priority_add(actor=business, partnership=_staffs(), year="2021/22",
                                     title="Online harm", objectives=["Map the risks", ""])
    assert (priority.year, priority.key) == ("2021-22", "online-harm")
    services.objective_add(actor=business, priority=priority, text="Train schools")
    assert [o.text for o in priority.objectives.all()] == ["Map the risks", "Train schools"]
    with pytest.raises(ValidationError):
        services.priority_add(actor=business, partnership=_staffs(), year="2021-22",
                              title="Online harm")
    with pytest.raises(PermissionDenied):
        services.priority_add(actor=business, partnership=stoke, year="2021-22", title="X")
    with pytest.raises(PermissionDenied):
        services.objective_add(actor=User.objects.get(username="scrutiny.member"),
                               priority=priority, text="Read only")


def test_a_commitment_links_a_catalogue_measure_or_an_action_of_its_own_partnership(
        governance_demo, stoke):
    business = User.objects.get(username="business.staffs")
    made = services.commitment_add(actor=business, partnership=_staffs(),
                                   year_made="2020-21", text="Audit neglect again")
    with pytest.raises(ValidationError, match="No measure"):
        services.commitment_update(actor=business, commitment=made, status="open",
                                   measure_key="no_such_measure")
    stoke_action = selectors.partnership_overdue(stoke, dt.date(2021, 3, 31))
    own = selectors.partnership_overdue(_staffs(), dt.date(2021, 3, 31))[0]
    services.commitment_update(actor=business, commitment=made, status="in_progress",
                               measure_key="governance_commitments_met", action=own,
                               owner=business, due_on=dt.date(2021, 6, 30))
    made.refresh_from_db()
    assert (made.measure_key, made.action, made.owner) == ("governance_commitments_met", own,
                                                           business)
    stoke_only = [a for a in stoke_action if a.body.partnership.code == "STOKE"]
    if stoke_only:
        with pytest.raises(ValidationError):
            services.commitment_update(actor=business, commitment=made, status="open",
                                       action=stoke_only[0])


def test_commitments_due_soon_or_overdue_are_on_their_owners_home(governance_demo):
    business = User.objects.get(username="business.staffs")
    made = services.commitment_add(actor=business, partnership=_staffs(),
                                   year_made="2020-21", text="Due very soon")
    services.commitment_update(actor=business, commitment=made, status="open",
                               owner=business, due_on=dt.date(2000, 1, 1))
    items = assurance.home_items(business)
    mine = [i for i in items if "Due very soon" in i.title]
    assert len(mine) == 1 and mine[0].overdue and mine[0].kind == "action"
    assert mine[0].url == reverse("governance:commitment-detail", args=[made.pk])
    assert assurance.home_items(User.objects.get(username="board.police")) == []
    services.commitment_update(actor=business, commitment=made, status="kept",
                               evidence="Done", owner=business, due_on=dt.date(2000, 1, 1))
    assert not [i for i in assurance.home_items(business) if "Due very soon" in i.title]


def test_the_report_gets_each_bodys_year_and_independent_scrutiny(governance_demo):
    bodies = {b.name: b for b in modules.report_bodies(_staffs(), YEAR)}
    scrutiny = bodies["Scrutiny and Assurance"]
    assert (scrutiny.section, scrutiny.meetings_held, scrutiny.meetings_quorate) == (
        "scrutiny", 3, 2)
    assert ("Police", 2, 3) in [(a.split()[0], p, e) for a, p, e in scrutiny.attendance] or \
        any(p == 2 and e == 3 for _a, p, e in scrutiny.attendance)
    assert "A learning briefing on neglect is written for practitioners." in scrutiny.decisions
    assert scrutiny.commitments_kept == 1  # last year's dashboard commitment
    evidence = assurance.report_evidence(_staffs(), YEAR)["independent_scrutiny"]
    assert evidence.present and "3 meetings" in evidence.detail
    assert not assurance.report_evidence(_staffs(), parse("2018-19"))[
        "independent_scrutiny"].present


def test_the_report_renders_sub_group_sections_and_priorities_from_data(governance_demo):
    from lxml import html as lxml_html

    from safeguarding.reports import builder

    report = builder.build(_staffs(), "2020-21")
    article = lxml_html.fromstring(builder.render_body(report))
    text = " ".join(article.xpath('//section[@id="section-priorities"]')[0]
                    .text_content().split())
    assert ("The partnership had 3 priorities for 2020-21: neglect, child exploitation and "
            "effective multi-agency safeguarding practice") in text
    scrutiny = " ".join(article.xpath('//section[@id="section-scrutiny"]')[0]
                        .text_content().split())
    assert "Scrutiny and Assurance held 3 meetings in 2020-21, of which 2 were quorate" \
        in scrutiny
    assert "4 decisions were recorded" in scrutiny
    assert "Of the 1 commitment it led, 1 was kept, none were missed and none are still open" \
        in scrutiny
    covid = article.xpath('//section[@id="section-covid-19-sub-group"]')
    assert covid, "a body no section is about gets its own part"


def test_triangulation_lists_open_actions_for_the_theme(governance_demo):
    items = modules.triangulation(_staffs(), "governance", YEAR)
    titles = [i.title for i in items if i.kind == "action"]
    assert any("Bring police domestic abuse notifications data" in t for t in titles)
    assert all(i.grade in ("red", "amber") for i in items if i.kind == "action")


def test_commitments_met_is_a_measure(governance_demo):
    from safeguarding.measures.catalogue import catalogue
    from safeguarding.measures.selectors import compute

    wanted = ("governance_commitments_due", "governance_commitments_met",
              "governance_commitments_met_rate")
    indicators = [i for i in catalogue().values() if i.id in wanted]
    assert len(indicators) == 3
    results = {r.id: r for r in compute(partnership=_staffs(), period=YEAR,
                                                  indicators=indicators)}
    # due in 2020-21: the dashboard (kept), GCP2 (in progress), the strategy (kept) and the
    # conference (missed)
    assert results["governance_commitments_due"].value == 4
    assert results["governance_commitments_met"].value == 2
    assert results["governance_commitments_met_rate"].value == pytest.approx(50)


def test_pages_api_and_command(governance_demo, client_for, capsys):
    business = client_for("business.staffs")
    priority = Priority.objects.filter(year="2020-21").first()
    commitment = Commitment.objects.filter(year_made="2019-20").first()
    for url in (reverse("governance:priorities"), reverse("governance:priority-add"),
                reverse("governance:priority-detail", args=[priority.pk]),
                reverse("governance:objective-add", args=[priority.pk]),
                reverse("governance:commitments"), reverse("governance:commitment-add"),
                reverse("governance:commitment-detail", args=[commitment.pk]),
                reverse("governance:commitment-update", args=[commitment.pk])):
        assert business.get(url).status_code == 200, url
    response = business.post(reverse("governance:priority-add"), {
        "partnership": _staffs().pk, "year": "2021-22", "title": "Online harm",
        "objectives": "Map the risks\nTrain schools"})
    assert response.status_code == 302
    assert Priority.objects.get(year="2021-22", key="online-harm").objectives.count() == 2
    # another partnership's commitment is not found
    stoke = client_for("business.stoke")
    assert stoke.get(reverse("governance:commitment-detail",
                             args=[commitment.pk])).status_code == 404

    api = client_for("scrutiny.member")
    found = api.get("/api/governance/commitments", {"year": "2019-20"}).json()
    assert sorted(c["outcome"] for c in found) == ["in_progress", "kept", "kept", "missed"]
    assert api.get("/api/governance/priorities", {"year": "2020-21"}).json()[0]["objectives"]
    denied = api.post(f"/api/governance/commitments/{commitment.pk}",
                      {"status": "kept", "evidence": "x"}, content_type="application/json")
    assert denied.status_code == 403
    missing = business.post(f"/api/governance/commitments/{commitment.pk}",
                            {"status": "missed"}, content_type="application/json")
    assert missing.status_code in (400, 422)

    call_command("governance", "commitments", "STAFFS", "2019-20")
    out = capsys.readouterr().out
    assert "4 commitments made in 2019-20, 2 kept" in out
    call_command("governance", "priorities", "STAFFS", "2020-21")
    assert "3 priorities for 2020-21" in capsys.readouterr().out


def test_the_dashboard_theme_shows_open_actions_beside_the_measures(governance_demo,
                                                                    client_for):
    page = client_for("board.police").get(
        reverse("measures:theme", args=["STAFFS", "governance"]), {"period": "2020-21"})
    assert page.status_code == 200
    text = page.content.decode()
    assert "Beside the figures" in text
    assert "Bring police domestic abuse notifications data" in text
