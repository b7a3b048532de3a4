"""The dashboard, the CLI and the API give the same document; targets and access."""

import csv
import io
import json
from decimal import Decimal

import pytest
from django.core.management import call_command
from django.core.management.base import CommandError

from safeguarding.core.models import Partnership
from safeguarding.measures import services
from safeguarding.measures.catalogue import catalogue
from safeguarding.measures.models import Target
from safeguarding.measures.phrasing import change
from safeguarding.measures.selectors import rag


@pytest.mark.parametrize(
    ("username", "status"),
    [("board.police", 200), ("business.staffs", 200), ("analyst.staffs", 200),
     ("scrutiny.member", 200), ("social.worker", 403), ("key.adult.brook", 403), ("admin", 403)],
)
def test_dashboard_is_for_board_business_unit_sub_groups_and_analysts(client_for, username, status):
    response = client_for(username).get("/dashboard/STAFFS/core-pathway/?period=2020-21")
    assert response.status_code == status


def test_another_partnerships_dashboard_is_refused(client_for):
    assert client_for("analyst.stoke").get("/dashboard/STAFFS/core-pathway/").status_code == 403


def test_without_data_every_figure_says_not_recorded_and_why(client_for):
    page = client_for("board.police").get("/dashboard/STAFFS/core-pathway/?period=2020-21")
    text = page.content.decode()
    assert "Not recorded" in text
    assert "No CIN census return covers 2020-21 for LA 860" in text
    assert "No SSDA903 return covers 2020-21 for LA 860" in text


def test_cli_json_matches_the_api(client_for):
    out = io.StringIO()
    call_command("indicators", "--partnership", "STAFFS", "--period", "2020-21",
                 "--format", "json", stdout=out)
    from_cli = json.loads(out.getvalue())
    from_api = client_for("board.police").get(
        "/api/indicators", {"partnership": "STAFFS", "period": "2020-21"}).json()
    assert from_cli == from_api
    assert from_cli["period"] == {"label": "2020-21", "start": "2020-04-01", "end": "2021-03-31"}
    assert {i["id"] for i in from_cli["indicators"]} == set(catalogue())
    referrals = next(i for i in from_cli["indicators"] if i["id"] == "referrals")
    assert referrals["value"] is None and referrals["reason"]


def test_cli_refuses_a_bad_period_and_an_la_outside_the_partnership(demo_world):
    with pytest.raises(CommandError, match="2020-21"):
        call_command("indicators", "--partnership", "STAFFS", "--period", "2020")
    with pytest.raises(CommandError, match="LA 861 is not covered by STAFFS"):
        call_command("indicators", "--partnership", "STAFFS", "--period", "2020-21", "--la", "861")


def test_csv_download_has_a_row_per_measure_with_definition(client_for):
    response = client_for("analyst.staffs").get("/dashboard/STAFFS/core-pathway.csv?period=2020-21")
    rows = list(csv.DictReader(io.StringIO(response.content.decode())))
    assert {r["measure"] for r in rows} >= {"referrals", "cpp_starts", "cla_at_period_end"}
    assert all(r["definition"] and r["source"] for r in rows)


def test_scrutiny_group_sets_a_target_and_the_history_keeps_who_and_when(client_for):
    client = client_for("scrutiny.member")
    response = client.post("/dashboard/STAFFS/measures/rereferrals_within_12_months_rate/",
                           {"target": "18.0", "amber_tolerance": "2.0", "note": "Board agreed"})
    assert response.status_code == 302
    target = Target.objects.get()
    assert target.set_by.username == "scrutiny.member" and target.target == Decimal("18.0")
    page = client.get("/dashboard/STAFFS/measures/rereferrals_within_12_months_rate/")
    assert "Board agreed" in page.content.decode()


def test_a_board_member_cannot_set_targets(client_for):
    response = client_for("board.police").post(
        "/dashboard/STAFFS/measures/rereferrals_within_12_months_rate/", {"target": "10"})
    assert response.status_code == 403
    assert not Target.objects.exists()


def test_a_percentage_target_over_100_is_refused_with_the_field_named(client_for):
    page = client_for("business.staffs").post(
        "/dashboard/STAFFS/measures/rereferrals_within_12_months_rate/",
        {"target": "120", "amber_tolerance": "2"})
    assert page.status_code == 200
    assert "A percentage target must be between 0 and 100" in page.content.decode()
    assert not Target.objects.exists()


def test_rag_follows_the_measures_better_direction(demo_world):
    from safeguarding.core.models import User

    partnership = Partnership.objects.get(code="STAFFS")
    target = services.target_set(actor=User.objects.get(username="business.staffs"),
                                 partnership=partnership,
                                 indicator_id="rereferrals_within_12_months_rate",
                                 target=Decimal("18"), amber_tolerance=Decimal("2"))
    lower_better = catalogue()["rereferrals_within_12_months_rate"]
    assert rag(lower_better, 17.4, target) == "green"
    assert rag(lower_better, 19.5, target) == "amber"
    assert rag(lower_better, 20.1, target) == "red"
    assert rag(lower_better, None, target) is None


def test_year_on_year_phrases_come_from_the_numbers():
    assert change(19800, 18000, noun="referrals") == "an increase of 10 % (1,800 more referrals)"
    assert change(6700, 7700, noun="early help episodes") == (
        "a decrease of 13 % (1,000 fewer early help episodes)")
    assert change(17.4, 20.1, noun="re-referrals", unit="percent") == (
        "down 2.7 percentage points (from 20.1 % to 17.4 %)")
    assert change(None, 5, noun="referrals").startswith("No comparison")


def test_the_exploitation_and_critical_moments_themes_show_agency_measures(client_for):
    from safeguarding.core.models import Partnership
    from safeguarding.datasets import services, template_docs

    services.import_file(actor=None, partnership=Partnership.objects.get(code="STAFFS"),
                         kind="missing-episodes", period="2020-21",
                         path=template_docs.DOCS_DIR / "missing-episodes.csv")
    client = client_for("board.police")
    exploitation = client.get("/dashboard/STAFFS/child-exploitation/?period=2020-21")
    text = exploitation.content.decode()
    assert exploitation.status_code == 200
    assert "Return interviews offered within 72 hours" in text
    assert "Children discussed at MACE" in text
    assert "No mace-referrals extract covers 2020-21 for LA 860" in text
    assert "No missing-episodes extract covers 2020-21" not in text
    critical = client.get("/dashboard/STAFFS/critical-moments/?period=2020-21").content.decode()
    assert "Operation Encompass notifications before the next school day" in critical
    assert "No police-da-incidents extract covers 2020-21 for LA 860" in critical


@pytest.fixture
def demo_world(module_demo_world, db):
    """The demo world built once for this module (tests/conftest.py); each test rolls back."""
    return module_demo_world
