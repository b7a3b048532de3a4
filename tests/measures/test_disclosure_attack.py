"""No small number of any kind can be worked out by subtraction from what a board member sees.

The demo holds a year of every module's records. For each data kind a board member sees
only through disclosure control, the attacker in tests/disclosure_attack.py reads every
figure of that kind the API gives them for 2020-21, its quarters and its months, and solves
every sum they know. Whatever they can work out must not be from 1 to 4 unless it is shown
to them anyway; and what is shown is the truth the business unit sees.
"""

from __future__ import annotations

import datetime as dt
import importlib

import pytest

from safeguarding.core import disclosure, modules
from safeguarding.core.models import Partnership, User
from safeguarding.measures.catalogue import catalogue, disclosure_groups
from safeguarding.measures.periods import financial_year_of
from safeguarding.measures.selectors import aggregate_only_kinds
from tests.disclosure_attack import equations, shown, work_out

# The apps whose demo steps run after the children (demo/builder.py), in its order; a new
# app's demo joins here when it has grouped measures.
MODULE_DEMOS = ("reviews", "restraint", "training", "governance", "missing", "encompass",
                "exploitation", "voice", "covid_followup")


@pytest.fixture(scope="module")
def modules_demo_world(module_demo_world, django_db_blocker):
    """The module demo world with every app's demo records (no DfE returns), built once."""
    with django_db_blocker.unblock():
        partnerships = {p.code: p for p in Partnership.objects.all()}
        for label in MODULE_DEMOS:
            if modules.contract(label) is not None:
                importlib.import_module(f"safeguarding.{label}.demo").build(7, partnerships)
    return module_demo_world


@pytest.fixture
def demo_world(modules_demo_world, db):
    return modules_demo_world


def _grouped_kinds() -> list[str]:
    return sorted({catalogue()[g.total].data for g in disclosure_groups()})


@pytest.mark.parametrize("kind", _grouped_kinds())
def test_no_small_number_of_a_kind_can_be_worked_out(kind, demo_world, client_for):
    board = User.objects.get(username="board.police")
    staffs = Partnership.objects.get(code="STAFFS")
    hidden_from_board = aggregate_only_kinds(board, staffs)
    if kind in modules.no_person_kinds():
        pytest.skip(f"{kind}: these figures count no person, so nothing is hidden (ADR 0039)")
    own_rule = kind in modules.full_view_rules()
    assert (kind in hidden_from_board if own_rule else "*" in hidden_from_board), \
        f"{kind}: figures about people that the board sees in full"
    fy = financial_year_of(dt.date(2020, 4, 1))
    periods = [fy, *fy.quarters(), *fy.months()]
    seen = shown(client_for("board.police"), periods, kind)
    truth = shown(client_for("business.staffs"), periods, kind)
    assert any(v for v in truth.values()), f"the demo holds no {kind} figures for 2020-21"
    assert not [k for k, v in seen.items() if disclosure.is_small(v)]
    assert all(seen[k] == truth[k] for k in seen if seen[k] is not None)
    defs = catalogue()
    learnt = work_out(seen, equations(
        fy, sorted({m for m, _ in truth}), kind,
        additive=lambda m: not defs[m].extra.get("counts_distinct")))
    derived = {k: v for k, v in learnt.items() if seen.get(k) is None}
    assert not {k: v for k, v in derived.items() if disclosure.is_small(v)}
