"""The example module shows up on the dashboard, in the API and in the yearly report,
with no edit outside its own folder: registering its contract is all it takes."""

from __future__ import annotations

import pytest
from django.test import modify_settings
from django.urls import reverse

from safeguarding.core import modules
from safeguarding.core.models import Partnership
from safeguarding.reports import builder

APP = "tests.example_module"


@pytest.fixture
def example_module(demo_world):
    """The module installed as any app is: its AppConfig registers its contract. Nothing
    else is done for it, no cache cleared and no file outside this folder edited."""
    assert modules.contract("example_module") is None
    with modify_settings(INSTALLED_APPS={"append": APP}):
        yield modules.contract("example_module")
    # Removing an app from a running process is a test's business only: its contract goes.
    modules.unregister("example_module")


def test_installing_the_module_registers_its_contract(example_module):
    assert example_module is not None
    assert "example_home_visits" in modules.frames()
    assert [t.slug for t in modules.themes()][-1] == "home-visits"


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
    figure = report.figures.by_key["example_home_visits"]
    assert figure.value == 14
    html = builder.render_body(report)
    section = html[html.index('id="section-home-visits"'):]
    section = section[:section.index("</section>")]
    assert ">Home visits</h3>" in section
    # The section tells its measure in a sentence, with its value.
    assert ('Example home visits: <span class="app-figure" '
            'data-figure="example_home_visits">14</span>') in section


def test_without_the_module_the_report_has_no_such_section(demo_world):
    report = builder.build(Partnership.objects.get(code="STAFFS"), "2020-21")
    assert "example_home_visits" not in report.figures.by_key
    assert 'id="section-home-visits"' not in builder.render_body(report)


def test_a_frame_that_names_a_child_is_refused():
    named = modules.ModuleContract(app_label="named", frames=(modules.FrameSpec(
        "named_visits", {"la": "str", "child": "str", "last_name": "str"}, lambda las: []),))
    with pytest.raises(modules.ContractError, match="identifying columns: last_name"):
        modules.register(named)
    assert modules.contract("named") is None
