"""Disclosure control: the rule on its own (properties), then every output an analyst or a
board member reaches, alone and differenced against each other."""

from __future__ import annotations

import datetime as dt
import itertools

import pytest
from hypothesis import given
from hypothesis import strategies as st

from safeguarding.core import disclosure
from tests.core import disclosure_outputs as outputs

# The rule ------------------------------------------------------------------------------


def _safe(values, groups, hidden, *, unknown_may_be_zero=False) -> None:
    """Nothing small is shown, and no hidden cell of a group is pinned by the total."""
    for key, value in values.items():
        if key not in hidden:
            assert not disclosure.is_small(value), (key, value)
    for g in groups:
        if sum(values[c] for c in g.cells) != values[g.total]:
            continue
        members = [m for m in g.members() if m in hidden]
        if not members:
            continue
        assert len(members) >= 2, (g, members)
        cells = [c for c in g.cells if c in hidden]
        if g.total not in hidden and not unknown_may_be_zero:
            # Hidden cells are at least 1 (0 is never hidden): with a known sum S over k
            # hidden cells, a cell is pinned only when S == k.
            assert sum(values[c] for c in cells) > len(cells), (g, cells)


counts = st.integers(min_value=0, max_value=12)


@given(st.lists(counts, min_size=1, max_size=12))
def test_a_row_and_its_total_give_no_hidden_cell_away(cells):
    values = {i: v for i, v in enumerate(cells)} | {"total": sum(cells)}
    groups = [disclosure.group("total", range(len(cells)))]
    _safe(values, groups, disclosure.suppress(values, groups))


@given(st.lists(st.lists(counts, min_size=3, max_size=3), min_size=4, max_size=4))
def test_a_year_its_quarters_and_months_give_no_hidden_month_away(months_by_quarter):
    values: dict = {}
    groups = []
    for q, months in enumerate(months_by_quarter):
        for m, v in enumerate(months):
            values[("m", q, m)] = v
        values[("q", q)] = sum(months)
        groups.append(disclosure.group(("q", q), [("m", q, m) for m in range(3)]))
    values["year"] = sum(values[("q", q)] for q in range(4))
    groups.append(disclosure.group("year", [("q", q) for q in range(4)]))
    groups.append(disclosure.group("year", [k for k in values if k[0] == "m"]))
    _safe(values, groups, disclosure.suppress(values, groups))


@given(st.lists(st.lists(counts, min_size=4, max_size=4), min_size=2, max_size=4))
def test_a_table_with_row_and_column_totals_gives_no_hidden_cell_away(rows):
    values = {(r, c): v for r, row in enumerate(rows) for c, v in enumerate(row)}
    groups = []
    for r, row in enumerate(rows):
        values[(r, "total")] = sum(row)
        groups.append(disclosure.group((r, "total"), [(r, c) for c in range(4)]))
    for c in range(4):
        values[("total", c)] = sum(row[c] for row in rows)
        groups.append(disclosure.group(("total", c), [(r, c) for r in range(len(rows))]))
    _safe(values, groups, disclosure.suppress(values, groups))


@given(st.lists(st.tuples(counts, counts), min_size=1, max_size=8))
def test_a_scope_and_one_of_its_parts_give_the_other_part_away_nowhere(pairs):
    """The panel (A + B) and A both shown: A + B minus A is B, which the person may not see."""
    a = {i: x for i, (x, _) in enumerate(pairs)} | {"total": sum(x for x, _ in pairs)}
    b = {i: y for i, (_, y) in enumerate(pairs)} | {"total": sum(y for _, y in pairs)}
    whole = {k: a[k] + b[k] for k in a}
    groups = [disclosure.group("total", range(len(pairs)))]
    hidden_a = disclosure.suppress(a, groups)
    hidden_whole = disclosure.protect_difference(
        whole, a, disclosure.suppress(whole, groups), hidden_a, groups)
    _safe(whole, groups, hidden_whole)
    _safe(a, groups, hidden_a)
    # What is known of B: the difference wherever both are shown. The rule applied to those
    # differences: nothing small, and no hidden one pinned by B's total.
    known_b = {k for k in b if k not in hidden_whole and k not in hidden_a}
    # (A cell of B can be unknown while 0, so two unknowns summing to 1 pin neither.)
    _safe(b, groups, {k: "" for k in b if k not in known_b}, unknown_may_be_zero=True)


@given(st.integers(0, 30), st.integers(0, 30))
def test_a_percentage_is_hidden_when_any_of_its_counts_is_small(numerator, extra):
    denominator = numerator + extra
    hidden = disclosure.suppress_rates({"r": numerator}, {"r": denominator})
    small = any(disclosure.is_small(n) for n in (numerator, denominator, extra))
    assert ("r" in hidden) is small


def test_zero_is_shown_and_one_to_four_are_not():
    assert [n for n in range(7) if disclosure.is_small(n)] == [1, 2, 3, 4]
    assert disclosure.THRESHOLD == 5 and "DfE" in disclosure.SOURCE


# Every output ----------------------------------------------------------------------------

D = dt.date


@pytest.fixture
def world(demo_world, tmp_path, monkeypatch):
    """A CIN census small enough for monthly counts of 1 to 4, child deaths in both
    partnerships of the joint panel (STOKE's few), and two serious incidents."""
    from safeguarding.child_deaths import services as cd_services
    from safeguarding.core.models import Partnership
    from safeguarding.datasets import models as ds
    from safeguarding.datasets import services as imports
    from safeguarding.datasets import synthetic
    from safeguarding.reviews import clocks
    from tests.child_deaths.helpers import TODAY, notify, user
    from tests.measures.test_case_measures import _child, _incident

    monkeypatch.setattr(clocks, "today", lambda: D(2021, 12, 1))
    staffs = Partnership.objects.get(code="STAFFS")
    path = tmp_path / "cin-860-2021.xml"
    synthetic.write_cin_census(path, la_code="860", year=2021, children=60, seed=5)
    record = imports.import_file(actor=None, partnership=staffs, kind=ds.ImportKind.CIN_CENSUS,
                                 path=path)
    assert record.status == ds.ImportStatus.LOADED, record.summary
    assert _child(staffs) is not None
    categories = itertools.cycle([8, 8, 3, 8, 2, 8, 8])
    for code, n in (("STAFFS", 7), ("STOKE", 2)):
        for i in range(n):
            notified = D(2020, 5, 2) + dt.timedelta(days=30 * i)
            death = notified - dt.timedelta(days=1)
            case = notify(code=code, date_of_birth=death - dt.timedelta(days=400 + i),
                          date_of_death=death, notified_on=notified)
            cd_services.cdop_review_record(
                actor=user("cdop.member"), case=case, review_date=notified + dt.timedelta(days=60),
                category=next(categories), modifiable="no", themes=[], today=TODAY)
    _incident(staffs, D(2020, 6, 1), sent_on=D(2020, 6, 3))
    _incident(staffs, D(2020, 9, 1), sent_on=D(2020, 9, 20))
    return staffs


VIEWERS = ["analyst.staffs", "board.police"]


def _reached(client, fetchers=outputs.FETCHERS) -> dict:
    shown: dict = {}
    for fetch in fetchers:
        for key, value in fetch(client).items():
            if value is not None:
                shown.setdefault(key, value)
    return shown


@pytest.mark.parametrize("username", VIEWERS)
def test_no_output_shows_or_gives_away_a_count_of_1_to_4(world, client_for, username):
    shown = _reached(client_for(username))
    assert any(k[0] == "measure" for k in shown), "the dashboard gave nothing to check"
    if username.startswith("analyst"):
        assert any(k[0] == "child_deaths" for k in shown)
        assert any(k[0] == "reviews" for k in shown)
    small = {k: v for k, v in shown.items() if disclosure.is_small(v)}
    assert not small, f"counts of 1 to 4 shown: {sorted(small.items())[:10]}"
    derived = {}
    for total, cells in outputs.relations(shown):
        unknown = [c for c in cells if c not in shown]
        if len(unknown) == 1:
            value = shown[total] - sum(shown[c] for c in cells if c in shown)
            if disclosure.is_small(value):
                derived[unknown[0]] = (total, value)
    for whole, part in outputs.scope_complements(shown):
        if disclosure.is_small(shown[whole] - shown[part]):
            derived[("the other partnership", *whole[2:])] = (whole, shown[whole] - shown[part])
    assert not derived, f"counts of 1 to 4 worked out by subtraction: {sorted(derived.items())[:10]}"


def test_the_business_unit_still_sees_the_true_numbers(world, client_for):
    # An output of each kind (the API, a theme page, child deaths' API and page): every
    # output reads the same results through the same disclosure control, whose hiding the
    # test above holds for every output; here the business unit is shown to be exempt.
    shown = _reached(client_for("business.staffs"),
                     [outputs.api_indicators, outputs.theme_pages,
                      outputs.child_death_statistics, outputs.child_death_pages])
    assert any(disclosure.is_small(v) for k, v in shown.items() if k[0] == "measure")
    stoke = {k: v for k, v in shown.items() if k[:2] == ("child_deaths", "STOKE")}
    assert stoke[("child_deaths", "STOKE", "2020-21", "notified", "value")] == 2


@pytest.fixture
def demo_world(module_demo_world, db):
    """The demo world built once for this module (tests/conftest.py); each test rolls back."""
    return module_demo_world
