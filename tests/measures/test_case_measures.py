"""Learning-review and child-death measures at their boundaries, coverage, and suppression."""

from __future__ import annotations

import datetime as dt

import pytest

from safeguarding.child_deaths import code_lists
from safeguarding.child_deaths import services as cd_services
from safeguarding.children.models import Child
from safeguarding.core.models import Partnership
from safeguarding.measures import services as measure_services
from safeguarding.measures.catalogue import by_theme, catalogue, indicator
from safeguarding.measures.periods import parse
from safeguarding.measures.selectors import compute
from safeguarding.reviews import clocks
from safeguarding.reviews import services as review_services
from tests.child_deaths.helpers import TODAY, notify, user

D = dt.date


@pytest.fixture
def staffs(demo_world) -> Partnership:
    return Partnership.objects.get(code="STAFFS")


@pytest.fixture
def today(monkeypatch):
    def set_day(day: dt.date) -> dt.date:
        monkeypatch.setattr(clocks, "today", lambda: day)
        return day

    set_day(D(2021, 12, 1))
    return set_day


def _child(partnership):
    return (Child.objects.filter(partnership=partnership).exclude(la_child_id="")
            .order_by("la_child_id").first())


def _incident(partnership, aware_on, sent_on=None):
    return review_services.incident_create(
        actor=None, partnership=partnership, aware_on=aware_on, harm="serious_harm",
        abuse_or_neglect="suspected", looked_after=False, summary="An infant was injured.",
        children=[_child(partnership)], notification_sent_on=sent_on)


def _value(partnership, measure, period, la=None):
    (result,) = compute(partnership=partnership, period=parse(period), la=la,
                        indicators=[indicator(measure)])
    return result


# Learning reviews ------------------------------------------------------------

def test_notification_on_the_fifth_working_day_across_easter_is_on_time(staffs, today):
    # Aware Thursday 1 April 2021: Good Friday and Easter Monday do not count, so the
    # fifth working day is Monday 12 April and the sixth Tuesday 13 April.
    on_time = _incident(staffs, D(2021, 4, 1), sent_on=D(2021, 4, 12))
    assert on_time.notification_due == D(2021, 4, 12)
    result = _value(staffs, "serious_incident_notifications_on_time", "2021-04")
    assert (result.value, result.numerator, result.denominator) == (100.0, 1, 1)
    _incident(staffs, D(2021, 4, 1), sent_on=D(2021, 4, 13))
    result = _value(staffs, "serious_incident_notifications_on_time", "2021-04")
    assert (result.value, result.numerator, result.denominator) == (50.0, 1, 2)


def test_an_unsent_notification_counts_only_once_its_clock_has_run_out(staffs, today):
    today(D(2021, 4, 12))
    _incident(staffs, D(2021, 4, 1))
    result = _value(staffs, "serious_incident_notifications_on_time", "2021-04")
    assert result.value is None and "denominator is 0" in result.reason
    today(D(2021, 4, 13))
    result = _value(staffs, "serious_incident_notifications_on_time", "2021-04")
    assert (result.value, result.numerator, result.denominator) == (0.0, 0, 1)


def test_rapid_review_on_the_fifteenth_working_day_is_on_time_the_sixteenth_late(staffs, today):
    # Notified Monday 12 April 2021 (day 0); Monday 3 May is the early May bank holiday,
    # so the 15th working day is Tuesday 4 May and the 16th Wednesday 5 May.
    first = _incident(staffs, D(2021, 4, 8), sent_on=D(2021, 4, 12)).rapid_review
    second = _incident(staffs, D(2021, 4, 8), sent_on=D(2021, 4, 12)).rapid_review
    assert first.due_on == D(2021, 5, 4)
    review_services.rapid_review_update(actor=None, rapid_review=first, meeting_on=None,
                                        completed_on=D(2021, 5, 4))
    review_services.rapid_review_update(actor=None, rapid_review=second, meeting_on=None,
                                        completed_on=D(2021, 5, 5))
    result = _value(staffs, "rapid_reviews_on_time", "2021-22")
    assert (result.numerator, result.denominator, result.value) == (1, 2, 50.0)


def _practice(partnership, decided_on, incident):
    return review_services.practice_review_create(
        actor=None, partnership=partnership, kind="local", title="Child Q",
        decided_on=decided_on, incidents=[incident])


def test_publication_exactly_six_months_later_is_on_time_and_deferral_is_not(staffs, today):
    incident = _incident(staffs, D(2020, 7, 1), sent_on=D(2020, 7, 2))
    # Decided 31 August 2020: six calendar months later is 28 February 2021.
    on_day = _practice(staffs, D(2020, 8, 31), incident)
    assert on_day.publication_due == D(2021, 2, 28)
    review_services.practice_review_publish(actor=None, review=on_day,
                                            published_on=D(2021, 2, 28))
    day_late = _practice(staffs, D(2020, 8, 31), incident)
    review_services.practice_review_publish(actor=None, review=day_late,
                                            published_on=D(2021, 3, 1))
    deferred = _practice(staffs, D(2020, 8, 31), incident)
    review_services.practice_review_defer(
        actor=None, review=deferred, reason="criminal_proceedings", detail="Trial in 2022",
        deferred_on=D(2021, 2, 1), review_on=D(2021, 9, 1))
    result = _value(staffs, "practice_reviews_published_on_time", "2020-21")
    assert (result.numerator, result.denominator, result.value) == (1, 3, 33.3)


def test_overdue_actions_are_counted_at_the_period_end(staffs, today):
    from safeguarding.core.models import Agency

    incident = _incident(staffs, D(2020, 7, 1), sent_on=D(2020, 7, 2))
    finding = review_services.finding_add(actor=None, review=incident.rapid_review,
                                          text="Chronologies were late.")
    rec = review_services.recommendation_add(actor=None, finding=finding, text="Share sooner.")
    police = Agency.objects.get(name="Staffordshire Police")
    done_late = review_services.action_add(actor=None, recommendation=rec, text="Brief officers",
                                           owner_agency=police, due_on=D(2021, 3, 1))
    review_services.action_add(actor=None, recommendation=rec, text="Audit files",
                               owner_agency=police, due_on=D(2021, 3, 31))
    review_services.action_update(actor=None, action=done_late, status="done",
                                  evidence_of_impact="Done", completed_on=D(2021, 4, 20))
    # At 31 March 2021 the first was overdue; the second was due that day, so not yet.
    assert _value(staffs, "overdue_review_actions", "2020-21").value == 1
    # At 30 June 2021 the first is done and the second overdue.
    assert _value(staffs, "overdue_review_actions", "2021-Q1").value == 1
    assert _value(staffs, "overdue_review_actions", "2020-Q3").value == 0


# Child deaths -----------------------------------------------------------------

def _death(age_days, notified, *, triggers=(), review=None, category=8, modifiable="no"):
    death = notified - dt.timedelta(days=1)
    case = notify(date_of_birth=death - dt.timedelta(days=age_days), date_of_death=death,
                  notified_on=notified, expected="unexpected" if triggers else "expected",
                  jar_triggers=list(triggers))
    if review:
        cd_services.cdop_review_record(
            actor=user("cdop.member"), case=case, review_date=review, category=category,
            modifiable=modifiable, themes=[], today=TODAY,
            factors={"child": ["A factor"]} if modifiable == "yes" else {})
    return case


def test_neonatal_means_aged_0_to_27_days(staffs, today):
    _death(27, D(2020, 6, 2))
    _death(28, D(2020, 6, 2))
    _death(0, D(2020, 6, 3))
    result = _value(staffs, "child_deaths_neonatal_rate", "2020-21")
    assert (result.numerator, result.denominator) == (2, 3)
    assert _value(staffs, "child_deaths_notified", "2020-21").value == 3


def test_child_death_review_measures_and_category_family(staffs, today):
    _death(800, D(2020, 5, 1), triggers=["external_causes"], review=D(2020, 12, 1),
           category=3, modifiable="yes")
    _death(16 * 365, D(2020, 6, 1), triggers=["external_causes"], review=D(2021, 2, 1),
           category=2, modifiable="insufficient")
    _death(15 * 365, D(2020, 7, 1), review=D(2021, 5, 1), category=2, modifiable="yes")
    _death(3, D(2020, 8, 1))
    jar = _value(staffs, "child_deaths_unexpected_jar_rate", "2020-21")
    assert (jar.numerator, jar.denominator, jar.value) == (2, 4, 50.0)
    assert _value(staffs, "child_deaths_reviewed", "2020-21").value == 2
    modifiable = _value(staffs, "child_deaths_reviewed_modifiable_rate", "2020-21")
    assert (modifiable.numerator, modifiable.denominator) == (1, 2)  # insufficient: denominator
    suicide = "child_deaths_reviewed_category_suicide"
    assert _value(staffs, suicide, "2020-21").value == 1
    assert _value(staffs, suicide, "2021-22").value == 1
    assert _value(staffs, "child_deaths_reviewed_category_infection", "2020-21").value == 0


def test_the_category_family_is_the_panel_code_list():
    family = {int(i.category): i for i in catalogue().values()
              if i.id.startswith("child_deaths_reviewed_category_")}
    assert sorted(family) == [c.code for c in code_lists.categories()]
    for category in code_lists.categories():
        assert category.name in family[category.code].title
        assert family[category.code].id.endswith(category.key)


def test_every_new_measure_has_a_definition_and_source():
    for theme in ("learning_reviews", "child_deaths"):
        measures = by_theme(theme)
        assert measures
        for ind in measures:
            assert ind.description and ind.source and ind.numerator
            assert ind.data == theme
            assert (ind.denominator is not None) == ind.is_rate


# Coverage ---------------------------------------------------------------------

def test_before_any_case_the_module_is_not_recorded(staffs, today):
    result = _value(staffs, "child_deaths_notified", "2020-21")
    assert result.value is None and "No child death review case" in result.reason


def test_after_the_first_case_an_empty_period_is_zero_and_before_it_not_recorded(staffs, today):
    _death(400, D(2020, 9, 1))
    assert _value(staffs, "child_deaths_notified", "2020-Q1").value == 0  # same year: covered
    assert _value(staffs, "child_deaths_notified", "2021-22").value == 0
    before = _value(staffs, "child_deaths_notified", "2019-20")
    assert before.value is None and "went live on 1 April 2020" in before.reason
    future = _value(staffs, "child_deaths_notified", "2022-23")
    assert future.value is None and "has not begun" in future.reason


def test_a_configured_go_live_date_decides_coverage(staffs, today):
    _incident(staffs, D(2021, 5, 3), sent_on=D(2021, 5, 4))
    measure_services.module_go_live_set(actor=None, partnership=staffs,
                                        module="learning_reviews", live_from=D(2021, 7, 1))
    assert _value(staffs, "overdue_review_actions", "2021-Q2").value == 0
    early = _value(staffs, "serious_incident_notifications_on_time", "2021-Q1")
    assert early.value is None and "went live on 1 July 2021" in early.reason
    measure_services.module_go_live_set(actor=None, partnership=staffs,
                                        module="learning_reviews", live_from=D(2019, 4, 1))
    assert _value(staffs, "overdue_review_actions", "2019-20").value == 0


def test_one_la_of_several_is_not_recorded_with_the_reason(staffs, today):
    from safeguarding.core.models import LocalAuthority

    LocalAuthority.objects.create(partnership=staffs, old_code="999", new_code="E06999999")
    _death(400, D(2020, 9, 1))
    whole = _value(staffs, "child_deaths_notified", "2020-21")
    assert whole.value == 1
    one = _value(staffs, "child_deaths_notified", "2020-21", la="999")
    assert one.value is None and "partnership as a whole" in one.reason


def test_the_go_live_date_is_set_and_listed_from_the_command_line(staffs):
    import io

    from django.core.management import call_command
    from django.core.management.base import CommandError

    out = io.StringIO()
    call_command("module_go_live", "--partnership", "staffs", "--module", "child_deaths",
                 "--from", "2019-04-01", stdout=out)
    assert out.getvalue().strip() == "child_deaths\t2019-04-01"
    with pytest.raises(CommandError, match="--from must be a date"):
        call_command("module_go_live", "--partnership", "STAFFS", "--module", "child_deaths",
                     "--from", "April")


@pytest.fixture
def demo_world(module_demo_world, db):
    """The demo world built once for this module (tests/conftest.py); each test rolls back."""
    return module_demo_world
