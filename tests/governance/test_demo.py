"""The demo's governance: the seed's bodies, meetings, the action log and the Covid-19
register whose scores fall until it is closed."""

from __future__ import annotations

import datetime as dt

from safeguarding.core.models import User
from safeguarding.governance import selectors
from safeguarding.governance.models import Body, RiskRegister


def test_the_seed_bodies_are_built_with_terms(governance_demo):
    names = set(Body.objects.values_list("name", flat=True))
    assert {"Scrutiny and Assurance", "Child Safeguarding Practice Review",
            "Child Death Overview Panel", "Review of Restraint Task Group",
            "Learning in Practice", "Covid-19 Sub-group"} <= names
    assert all(b.terms.exists() for b in Body.objects.all())
    covid = Body.objects.get(name="Covid-19 Sub-group")
    assert list(covid.joint_with.values_list("code", flat=True)) == ["STOKE"]
    assert covid in selectors.bodies_for(User.objects.get(username="business.stoke"))
    scrutiny = Body.objects.get(name="Scrutiny and Assurance")
    assert scrutiny.terms.count() == 3  # refreshed in September 2020 and September 2021
    year = scrutiny.meetings.filter(held_on__range=(dt.date(2020, 4, 1), dt.date(2021, 3, 31)))
    assert [m.quorate for m in year.order_by("held_on")] == [True, False, True]
    # Three years: 3 meetings in 2019-20 (from September 2019), 4 in 2021-22, all quorate;
    # each approves the minutes of the one before.
    assert scrutiny.meetings.count() == 3 + 3 + 4
    assert scrutiny.meetings.filter(held_on__lt=dt.date(2020, 4, 1)).count() == 3
    assert scrutiny.meetings.filter(held_on__gt=dt.date(2021, 3, 31), quorate=True).count() == 4
    held = list(scrutiny.meetings.order_by("held_on"))
    assert all(m.minutes_approved_at_id == n.pk for m, n in zip(held, held[1:], strict=False))


def test_the_overdue_view_holds_the_actions_left_open(governance_demo):
    business = User.objects.get(username="business.staffs")
    overdue = selectors.overdue_actions(business, dt.date(2021, 3, 31))
    titles = {a.title for a in overdue}
    assert "Bring police domestic abuse notifications data to the group" in titles
    carried = next(a for a in overdue if a.title.startswith("Bring police"))
    assert carried.carried_forward == 1
    assert not selectors.overdue_actions(User.objects.get(username="business.stoke"),
                                         dt.date(2021, 3, 31)).filter(
        body__name="Scrutiny and Assurance").exists()


def test_the_covid_register_scores_fall_and_it_closes(governance_demo):
    register = RiskRegister.objects.get(name="Covid-19 risk register")
    assert register.kind == "temporary" and register.closed_on == dt.date(2021, 6, 30)
    for risk in register.risks.all():
        scores = [r.residual_score for r in risk.reviews.order_by("reviewed_on")]
        assert len(scores) == 5 and scores == sorted(scores, reverse=True) and scores[-1] < scores[0]
        assert risk.closed_on == dt.date(2021, 6, 30)
    first = [r.rag for r in register.risks.get(reference="R01").reviews.order_by("reviewed_on")]
    assert first[0] == "red" and first[-1] == "green"
