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
