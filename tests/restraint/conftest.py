"""Restraint fixtures: the demo world with the demo YOI and a small helper to write CSVs."""

from __future__ import annotations

import csv
import datetime as dt
import io

import pytest

from safeguarding.core.models import Agency, Partnership
from safeguarding.restraint import importer, services


@pytest.fixture
def yoi(demo_world):
    staffs = Partnership.objects.get(code="STAFFS")
    agency = Agency.objects.get(kind="secure_setting")
    return services.establishment_add(actor=None, partnership=staffs, code="MYOI",
                                      name=agency.name, host_la_code="860",
                                      recording_from=dt.date(2020, 4, 1), agency=agency)


def row(**overrides) -> dict[str, str]:
    base = {c["name"]: "" for c in importer.columns()}
    base.update({
        "incident_ref": "R1", "occurred_at": "2020-06-05 14:30", "location": "RESIDENTIAL",
        "planned": "N", "senior_officer_in_control": "Y", "primary_reason": "FIGHT",
        "de_escalation_tried": "Y", "positions": "STANDING", "techniques": "WRIST",
        "pit_used": "N", "duration_minutes": "4", "floor": "N", "handcuffs": "N",
        "body_worn_camera": "Y", "camera_ids": "BWC101", "sound_captured": "Y", "cctv": "Y",
        "child_injured": "N", "staff_injured": "N", "assault_on_staff": "N",
        "healthcare_attended": "Y", "healthcare_at": "2020-06-05 14:50", "separation": "N",
        "child_debriefed": "Y", "parent_told": "Y", "yjs_told": "Y", "child_la": "860",
        "la_child_id": "S000000001", "date_of_birth": "2004-03-01", "ethnicity": "WBRI",
        "staff": "S0001:2020-01-10;S0002:2019-01-10",
    })
    base.update(overrides)
    if "healthcare_at" not in overrides and base["healthcare_attended"] == "Y":
        seen = dt.datetime.strptime(base["occurred_at"], "%Y-%m-%d %H:%M")
        base["healthcare_at"] = (seen + dt.timedelta(minutes=20)).strftime("%Y-%m-%d %H:%M")
    return base


def csv_bytes(*rows: dict[str, str]) -> bytes:
    out = io.StringIO()
    writer = csv.DictWriter(out, fieldnames=[c["name"] for c in importer.columns()])
    writer.writeheader()
    writer.writerows(rows)
    return out.getvalue().encode()


@pytest.fixture
def demo_world(module_demo_world, db):
    """The demo world built once per test module (each test still rolls back)."""
    return module_demo_world
