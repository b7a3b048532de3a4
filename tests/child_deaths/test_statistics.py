"""Statistics match cases built by hand; no data is null with a reason; small numbers
are suppressed for analysts."""

from __future__ import annotations

import datetime as dt

import pytest
from django.core.exceptions import PermissionDenied

from safeguarding.child_deaths import services, statistics
from safeguarding.child_deaths.models import Theme
from safeguarding.measures.periods import financial_year_of, parse_financial_year
from tests.child_deaths.helpers import TODAY, notify, user

pytestmark = pytest.mark.django_db


def _case(
    code, age_days, notified, *, triggers=(), review=None, category=None, modifiable="no", themes=()
):
    death = notified - dt.timedelta(days=1)
    case = notify(
        code=code,
        date_of_birth=death - dt.timedelta(days=age_days),
        date_of_death=death,
        notified_on=notified,
        expected="unexpected" if triggers else "expected",
        jar_triggers=list(triggers),
    )
    if review:
        services.cdop_review_record(
            actor=user("cdop.member"),
            case=case,
            review_date=review,
            category=category,
            modifiable=modifiable,
            themes=Theme.objects.filter(key__in=themes),
            factors={"child": ["A factor"]} if modifiable == "yes" else {},
            today=TODAY,
        )
    return case


@pytest.fixture
def hand_built(demo_world):
    d = dt.date
    _case("STAFFS", 3, d(2020, 5, 10), review=d(2021, 1, 15), category=8)  # A
    _case(
        "STAFFS",
        800,
        d(2020, 7, 1),
        triggers=["external_causes"],
        review=d(2021, 2, 1),
        category=3,
        modifiable="yes",
        themes=["road_safety"],
    )  # B
    _case(
        "STAFFS",
        16 * 365,
        d(2020, 11, 1),
        triggers=["external_causes"],
        review=d(2021, 3, 20),
        category=2,
        modifiable="yes",
        themes=["child_mental_health"],
    )  # C
    _case("STAFFS", 10, d(2021, 3, 1))  # D
    _case(
        "STOKE",
        200,
        d(2020, 9, 1),
        triggers=["sudden_no_cause"],
        review=d(2021, 3, 1),
        category=10,
        modifiable="insufficient",
    )  # E
    _case(
        "STAFFS",
        15 * 365,
        d(2019, 6, 1),
        triggers=["external_causes"],
        review=d(2020, 4, 20),
        category=2,
        modifiable="yes",
    )  # F


def _figures(result, group="headline"):
    return {f.id: f for f in result[group]}


def test_partnership_figures_match_the_cases(hand_built):
    result = statistics.child_death_statistics(
        actor=user("business.staffs"), scope_key="STAFFS", year="2020-21", trend_category=2
    )
    f = _figures(result)
    assert (f["notified"].value, f["notified"].denominator) == (4, None)
    assert (f["neonatal"].numerator, f["neonatal"].denominator, f["neonatal"].value) == (2, 4, 50.0)
    assert (f["unexpected_jar"].numerator, f["unexpected_jar"].denominator) == (2, 4)
    assert f["reviewed"].value == 4  # A, B, C and F (notified the year before)
    assert (f["modifiable"].numerator, f["modifiable"].denominator, f["modifiable"].value) == (
        3,
        4,
        75.0,
    )
    categories = _figures(result, "by_category")
    assert categories["category_2"].value == 2 and categories["category_2"].denominator == 4
    assert categories["category_8"].value == 1 and categories["category_10"].value == 0
    themes = _figures(result, "by_theme")
    assert themes["theme_road_safety"].value == 1 and themes["theme_smoking"].value == 0
    assert all(fig.definition for fig in result["headline"])
    trend = result["trend"]
    assert trend["category"]["name"] == "Suicide or deliberate self-inflicted harm"
    years = {p.title: p for p in trend["years"]}
    assert list(years) == ["2016-17", "2017-18", "2018-19", "2019-20", "2020-21"]
    assert (years["2020-21"].numerator, years["2020-21"].denominator) == (2, 4)
    # Staffordshire's first death was notified in 2019-20: from then on an empty year is 0;
    # before it, no data (the catalogue's coverage rule).
    assert years["2019-20"].value == 0
    assert years["2018-19"].value is None and "no data" in years["2018-19"].reason


def test_the_joint_panel_counts_both_partnerships(hand_built):
    result = statistics.child_death_statistics(
        actor=user("cdop.member"), scope_key="panel-STAFFS", year="2020-21"
    )
    f = _figures(result)
    assert f["notified"].value == 5 and f["neonatal"].value == 40.0
    assert (f["unexpected_jar"].numerator, f["unexpected_jar"].value) == (3, 60.0)
    assert (f["reviewed"].value, f["modifiable"].value) == (5, 60.0)
    assert result["small_numbers_suppressed"] is False


def test_no_data_is_null_with_a_reason_never_zero(hand_built):
    result = statistics.child_death_statistics(
        actor=user("business.staffs"), scope_key="STAFFS", year="2018-19"
    )
    for figure in [*result["headline"], *result["by_category"], *result["by_theme"]]:
        assert figure.value is None, figure.id
        assert "no data" in figure.reason


def test_after_go_live_an_empty_year_is_zero(hand_built):
    result = statistics.child_death_statistics(
        actor=user("business.staffs"), scope_key="STAFFS", year="2023-24"
    )
    f = _figures(result)
    assert f["notified"].value == 0 and f["reviewed"].value == 0
    assert f["neonatal"].value is None  # a percentage of nothing is still not a number
    assert all(c.value == 0 for c in result["by_category"])


def test_analysts_get_small_numbers_suppressed(hand_built):
    result = statistics.child_death_statistics(
        actor=user("analyst.staffs"), scope_key="STAFFS", year="2020-21"
    )
    assert result["small_numbers_suppressed"] is True
    f = _figures(result)
    for key in ("notified", "neonatal", "unexpected_jar", "reviewed", "modifiable"):
        assert f[key].value is None and f[key].suppressed and "Fewer than 5" in f[key].reason
        assert f[key].numerator is None
    assert _figures(result, "by_category")["category_9"].value == 0  # zeros are shown
    panel = _figures(
        statistics.child_death_statistics(
            actor=user("analyst.staffs"), scope_key="panel-STAFFS", year="2020-21"
        )
    )
    # The panel's 5 less Staffordshire's 4 would be Stoke's 1: the panel's count is hidden too.
    assert panel["notified"].value is None and panel["notified"].suppressed
    assert panel["neonatal"].suppressed and panel["neonatal"].denominator is None


def test_who_sees_which_scope(hand_built):
    with pytest.raises(PermissionDenied):
        statistics.child_death_statistics(
            actor=user("social.worker"), scope_key="STAFFS", year="2020-21"
        )
    with pytest.raises(PermissionDenied):  # an analyst of Stoke, not of Staffordshire
        statistics.child_death_statistics(
            actor=user("analyst.stoke"), scope_key="STAFFS", year="2020-21"
        )
    with pytest.raises(PermissionDenied):  # Stoke's business unit does not host the panel
        statistics.child_death_statistics(
            actor=user("business.stoke"), scope_key="panel-STAFFS", year="2020-21"
        )
    assert statistics.child_death_statistics(
        actor=user("analyst.stoke"), scope_key="panel-STAFFS", year="2020-21"
    )


def test_a_second_category_is_hidden_so_the_first_cannot_be_worked_out(demo_world):
    """Deaths reviewed 9: categories 8 (6 deaths) and 3 (3 deaths). Hiding the 3 alone would
    leave 9 - 6 = 3, so the 6 is hidden too."""
    d = dt.date
    for i, category in enumerate([8] * 6 + [3] * 3):
        _case("STAFFS", 400, d(2020, 5, 1) + dt.timedelta(days=20 * i),
              review=d(2020, 12, 1) + dt.timedelta(days=i), category=category)
    result = statistics.child_death_statistics(
        actor=user("analyst.staffs"), scope_key="STAFFS", year="2020-21")
    f = _figures(result, "by_category")
    assert _figures(result)["reviewed"].value == 9
    assert f["category_3"].suppressed and f["category_8"].suppressed
    assert "worked out by subtraction" in f["category_8"].reason
    assert all(c.value == 0 for k, c in f.items() if k not in ("category_3", "category_8"))


def test_financial_years():
    year = parse_financial_year("2020-21")
    assert (year.start, year.end) == (dt.date(2020, 4, 1), dt.date(2021, 3, 31))
    assert financial_year_of(dt.date(2021, 3, 31)).label == "2020-21"
    assert financial_year_of(dt.date(2021, 4, 1)).label == "2021-22"
    assert parse_financial_year("1999-00").label == "1999-00"
    for bad in ("2020-22", "2020", "20-21", ""):
        with pytest.raises(ValueError):
            parse_financial_year(bad)


@pytest.fixture
def demo_world(module_demo_world, db):
    """The demo world built once for this module (tests/conftest.py); each test rolls back."""
    return module_demo_world
