"""`safeguarding governance ...` on the demo's records."""

from __future__ import annotations

from django.core.management import call_command


def _run(capsys, *args) -> str:
    call_command("governance", *args)
    return capsys.readouterr().out


def test_the_command_lists_bodies_overdue_actions_and_falling_scores(governance_demo, capsys):
    bodies = _run(capsys, "bodies", "STOKE")
    assert "Covid-19 Sub-group (sub-group, joint with STOKE)" in bodies
    assert "Scrutiny and Assurance" not in bodies
    overdue = _run(capsys, "overdue", "STAFFS", "--on", "2021-03-31")
    assert "Bring police domestic abuse notifications data" in overdue
    assert "carried 1" in overdue
    risks = _run(capsys, "risks", "STAFFS")
    assert "Covid-19 risk register (temporary, closed 2021-06-30)" in risks
    assert "20 red -> 16 red -> 12 amber -> 8 amber -> 6 green" in risks


def test_the_reminder_goes_to_the_business_unit(governance_demo, capsys, mailoutbox):
    assert "1 reminder(s) sent" in _run(capsys, "remind", "--on", "2021-03-31")
    [mail] = [m for m in mailoutbox if "business.staffs@demo.invalid" in m.to]
    assert "overdue" in mail.subject and "/governance/actions/overdue/" in mail.body


def test_the_command_plans_a_meeting_closes_an_action_and_scores_a_risk(governance_demo,
                                                                      capsys):
    import pytest
    from django.core.management.base import CommandError

    from safeguarding.governance.models import Action, Meeting

    carried = Action.objects.get(title__startswith="Bring police domestic abuse")
    agenda = _run(capsys, "meeting", "STAFFS", "Scrutiny and Assurance", "2022-03-09")
    assert "Scrutiny and Assurance meets on 2022-03-09; papers due by 2022-03-02" in agenda
    assert carried.reference in agenda
    assert Meeting.objects.filter(body__name="Scrutiny and Assurance",
                                  held_on="2022-03-09").exists()
    with pytest.raises(CommandError, match="already meets that day"):
        _run(capsys, "meeting", "STAFFS", "Scrutiny and Assurance", "2022-03-09")

    closed = _run(capsys, "action-close", "STAFFS", carried.reference, "--evidence",
                  "Data presented in March", "--on", "2022-03-09")
    assert f"{carried.reference} complete on 2022-03-09" in closed
    with pytest.raises(CommandError, match="No action A99 in STAFFS"):
        _run(capsys, "action-close", "STAFFS", "A99", "--evidence", "x")

    scored = _run(capsys, "risk-review", "STAFFS", "Strategic risk register", "R01",
                  "--likelihood", "2", "--impact", "4", "--residual-likelihood", "1",
                  "--residual-impact", "3", "--next", "2022-07-01", "--on", "2022-04-01")
    assert "now 3 green, next review 2022-07-01" in scored
    with pytest.raises(CommandError, match="cannot be dated before the last one"):
        _run(capsys, "risk-review", "STAFFS", "Strategic risk register", "R01",
             "--likelihood", "2", "--impact", "4", "--residual-likelihood", "1",
             "--residual-impact", "3", "--next", "2022-07-01", "--on", "2022-03-01")
