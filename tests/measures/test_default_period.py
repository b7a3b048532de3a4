"""With no period asked for, pages and the CLI show the latest financial year with data.

Before issue 12 the dashboard opened on a hard-coded 2020-21 whatever the data.
"""

import datetime as dt
import io
import json
from pathlib import Path

import pytest
from django.core.management import call_command

from safeguarding.core.models import Partnership
from safeguarding.measures.periods import financial_year_of
from safeguarding.measures.selectors import default_period


def _load_cin_census(tmp_path: Path, year: int) -> None:
    from safeguarding.datasets import models as ds
    from safeguarding.datasets import services, synthetic

    path = tmp_path / f"cin_860_{year}.xml"
    synthetic.write_cin_census(path, la_code="860", year=year, children=8, seed=3)
    services.import_file(actor=None, partnership=Partnership.objects.get(code="STAFFS"),
                         kind=ds.ImportKind.CIN_CENSUS, path=path)


def test_with_no_data_loaded_it_is_the_current_financial_year(demo_world):
    staffs = Partnership.objects.get(code="STAFFS")
    assert default_period(staffs, today=dt.date(2024, 3, 31)).label == "2023-24"
    assert default_period(staffs, today=dt.date(2024, 4, 1)).label == "2024-25"
    assert default_period(staffs) == financial_year_of(dt.date.today())


def test_with_a_census_loaded_it_is_the_census_year(demo_world, tmp_path):
    _load_cin_census(tmp_path, 2022)
    staffs = Partnership.objects.get(code="STAFFS")
    assert default_period(staffs, today=dt.date(2024, 6, 1)).label == "2021-22"
    # Stoke's LAs have no return: its default stays the current year.
    stoke = Partnership.objects.get(code="STOKE")
    assert default_period(stoke, today=dt.date(2024, 6, 1)).label == "2024-25"


def test_the_dashboard_and_the_cli_open_on_it(demo_world, client_for, tmp_path):
    _load_cin_census(tmp_path, 2022)
    page = client_for("analyst.staffs").get("/dashboard/STAFFS/core-pathway/")
    text = page.content.decode()
    assert "1 April 2021 to 31 March 2022" in text
    assert "No CIN census return covers" not in text
    # A period that is not one falls back to the same year, not to an error.
    bad = client_for("analyst.staffs").get("/dashboard/STAFFS/core-pathway/?period=soon")
    assert "1 April 2021 to 31 March 2022" in bad.content.decode()

    out, err = io.StringIO(), io.StringIO()
    call_command("indicators", "--partnership", "STAFFS", "--format", "json",
                 stdout=out, stderr=err)
    assert json.loads(out.getvalue())["period"]["label"] == "2021-22"
    assert "No --period given: showing 2021-22" in err.getvalue()


@pytest.mark.django_db
def test_the_cli_still_needs_a_partnership():
    from django.core.management.base import CommandError

    with pytest.raises(CommandError, match="Give --partnership"):
        call_command("indicators")
