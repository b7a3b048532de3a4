"""Every catalogue measure's value on the demo partnership stays what it was.

The expected values in ``data/demo_measure_values.json`` were recorded on the code
before the module contract (issue 12) moved the frame loading out of ``measures``
into each app's ``contract.py``; the move must not change any figure. They were
recorded once more when the demo stopped depending on row ids (a demo person's key
and the linkage's ids had been row ids, so on PostgreSQL the missing-episode figures
moved with the sequences). One record holds for SQLite and PostgreSQL. To record
them again after a deliberate change of a measure:

    SG_RECORD_DEMO_VALUES=1 uv run pytest -p no:xdist -q tests/measures/test_demo_values.py
"""

from __future__ import annotations

import json
import os
from pathlib import Path

import pytest

from safeguarding.core.models import Partnership
from safeguarding.measures import sources
from safeguarding.measures.engine import Engine
from safeguarding.measures.periods import financial_year
from tests.conftest import WHOLE_DEMO, whole_demo_in_database

DATA = Path(__file__).with_name("data")
YEARS = (2020, 2021)  # 2020-21 and 2021-22


@pytest.fixture(scope="module")
def demo_with_returns(django_db_setup, django_db_blocker):
    """The whole demo (seed 7, tiny scale) with its modules and returns loaded through the
    importers: the same kept build as the home page's and the browser tests."""
    yield from whole_demo_in_database(django_db_blocker, WHOLE_DEMO)


def _values() -> dict:
    found: dict = {}
    for partnership in Partnership.objects.order_by("code"):
        las = sorted(partnership.local_authorities.values_list("old_code", flat=True))
        engine = Engine(sources.measure_data(las))
        for year in YEARS:
            whole = financial_year(year)
            for period in (whole, *whole.quarters()):
                key = f"{partnership.code} {period.label}"
                found[key] = {r.id: [r.value, r.numerator, r.denominator, r.reason]
                              for r in engine.compute(period, las)}
    return found


def test_every_measure_on_the_demo_is_unchanged(demo_with_returns, db):
    # The same on every database, whatever ran before in it (row ids and sequence values
    # play no part in the demo's data or its record linkage).
    expected_file = DATA / "demo_measure_values.json"
    found = json.loads(json.dumps(_values()))
    if os.environ.get("SG_RECORD_DEMO_VALUES"):
        DATA.mkdir(exist_ok=True)
        expected_file.write_text(json.dumps(found, indent=1, sort_keys=True) + "\n")
    expected = json.loads(expected_file.read_text())
    assert found.keys() == expected.keys()
    changed = {(key, measure): (expected[key].get(measure), value)
               for key, values in found.items() for measure, value in values.items()
               if expected[key].get(measure) != value}
    assert not changed, f"{len(changed)} values moved, for example {list(changed.items())[:5]}"
    # The demo has figures of every kind: not a file of nothing-recorded.
    recorded = {m for values in expected.values() for m, v in values.items() if v[0] is not None}
    assert len(recorded) > 40
