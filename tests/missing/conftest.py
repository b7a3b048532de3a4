"""Missing children fixtures: the demo world and a small helper to write the police CSV."""

from __future__ import annotations

import pytest

from safeguarding.missing import demo, importer


def row(**overrides) -> dict[str, str]:
    base = {c["name"]: "" for c in importer.columns()}
    base.update({"force_reference": "SP-1", "category": "M", "child_la": "860",
                 "child_id": "S000000001", "missing_from": "2020-06-05 18:00",
                 "returned_at": "2020-06-05 22:00", "where_found": "PUBLIC"})
    base.update(overrides)
    return base


def csv_bytes(*rows: dict[str, str]) -> bytes:
    return demo.episodes_csv(list(rows))


@pytest.fixture
def demo_world(module_demo_world, db):
    """The demo world built once per test module (each test still rolls back)."""
    return module_demo_world
