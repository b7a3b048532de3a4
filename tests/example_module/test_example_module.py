"""The example module shows up on the dashboard, in the API and in the yearly report,
with no edit outside its own folder: registering its contract is all it takes."""

from __future__ import annotations

import pytest
from django.urls import reverse

from safeguarding.core import modules
from safeguarding.core.models import Partnership
from safeguarding.measures import cache, catalogue
from safeguarding.reports import builder
from tests.example_module.contract import CONTRACT


def _clear_caches() -> None:
    catalogue.catalogue.cache_clear()
    cache.definitions_digest.cache_clear()
    cache.source_models.cache_clear()


@pytest.fixture
def example_module(demo_world):
    modules.register(CONTRACT)
    _clear_caches()
    yield CONTRACT
    modules.unregister(CONTRACT.app_label)
    _clear_caches()


def test_the_measure_is_in_the_api_with_its_value(example_module, client_for):
    found = client_for("board.police").get(
        "/api/indicators", {"partnership": "STAFFS", "period": "2020-21"}).json()
    visits = next(i for i in found["indicators"] if i["id"] == "example_home_visits")
    assert visits["value"] == 14 and visits["title"] == "Example home visits"
    later = client_for("board.police").get(
        "/api/indicators", {"partnership": "STAFFS", "period": "2021-22"}).json()
    after = next(i for i in later["indicators"] if i["id"] == "example_home_visits")
    # Its records cover up to March 2021: after that it is not recorded, never zero.
    assert after["value"] is None and "covers 2021-22 for LA 860" in after["reason"]


def test_without_the_module_the_measure_is_nowhere(demo_world, client_for):
    found = client_for("board.police").get(
        "/api/indicators", {"partnership": "STAFFS", "period": "2020-21"}).json()
    assert "example_home_visits" not in {i["id"] for i in found["indicators"]}
    page = client_for("board.police").get(reverse("measures:home"), follow=True)
    assert "Home visits" not in page.content.decode()


def test_the_theme_and_measure_are_on_the_dashboard(example_module, client_for):
    client = client_for("board.police")
    home = client.get(reverse("measures:home"), follow=True).content.decode()
    assert "Home visits" in home
    page = client.get(reverse("measures:theme", args=["STAFFS", "home-visits"]),
                      {"period": "2020-21"})
    assert page.status_code == 200
    text = page.content.decode()
    assert "Example home visits" in text
    assert '2020-21</dt><dd class="govuk-summary-list__value">14\n' in text


def test_the_measure_has_a_section_in_the_yearly_report(example_module):
    report = builder.build(Partnership.objects.get(code="STAFFS"), "2020-21")
    html = builder.render_body(report)
    assert "Home visits" in html
    figure = report.figures.by_key["example_home_visits"]
    assert figure.value == 14


def test_a_frame_that_names_a_child_is_refused():
    named = modules.ModuleContract(app_label="named", frames=(modules.FrameSpec(
        "named_visits", {"la": "str", "child": "str", "last_name": "str"}, lambda las: []),))
    with pytest.raises(modules.ContractError, match="identifying columns: last_name"):
        modules.register(named)
    assert modules.contract("named") is None
