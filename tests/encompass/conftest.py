"""Operation Encompass fixtures: the demo world with the demo's schools, a fixed clock, and
helpers for an incident's values and the police's CSV."""

from __future__ import annotations

import csv
import datetime as dt
import io

import pytest
from django.utils import timezone

from safeguarding.children import demo as children_demo
from safeguarding.core.models import Partnership
from safeguarding.encompass import config, demo, importer


@pytest.fixture
def demo_world(module_demo_world, db):
    """The demo world built once per test module (each test still rolls back)."""
    return module_demo_world


@pytest.fixture
def schools(demo_world):
    return demo._schools({code: Partnership.objects.get(code=code)
                          for code in ("STAFFS", "STOKE")})


def at(text: str) -> dt.datetime:
    return timezone.make_aware(dt.datetime.strptime(text, "%Y-%m-%d %H:%M"))


@pytest.fixture
def clock(monkeypatch):
    """Set the module's clock: clock("2020-10-23 19:45")."""

    def set_to(text: str) -> dt.datetime:
        moment = at(text)
        monkeypatch.setattr(config, "now", lambda: moment)
        return moment

    return set_to


def pupil(partnership_code: str = "STAFFS", index: int = 0):
    found = [c for c in children_demo.index_children(Partnership.objects.get(code=partnership_code))
             if c.la_child_id and 5 <= importer.age_on(c.date_of_birth, dt.date(2020, 9, 1)) <= 15]
    return children_demo.children_chosen([found[index]])[0]


def incident_values(ref: str, when: str, *children, urn: str = "900001") -> dict:
    return {"police_reference": ref, "occurred_at": at(when), "domestic_abuse": True,
            "children": [{"first_name": c.first_name, "last_name": c.last_name,
                          "date_of_birth": c.date_of_birth, "school_urn": urn, "present": True,
                          "la_child_id": c.la_child_id, "nhs_number": ""} for c in children]}


def csv_bytes(*rows: dict[str, str]) -> bytes:
    out = io.StringIO()
    writer = csv.DictWriter(out, fieldnames=[c["name"] for c in importer.columns()])
    writer.writeheader()
    writer.writerows(rows)
    return out.getvalue().encode()
