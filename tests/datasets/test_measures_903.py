"""The children looked after measures, computed from an imported SSDA903 return, at their edges.

One hand-made 2020/21 return, each child placed on a boundary:

- A1 starts (RNE S) on 1 April 2020 and is still looked after: a start, and
  looked after at 31 March 2021;
- B2 ceases on 31 March 2021 (DEC on the period end): ceased, and not looked
  after at 31 March;
- C3 changes placement (X1 then RNE P) in the year: two episodes, counted once
  at 31 March, not a start (RNE P), and its X1 is not a ceasing;
- D4 started before the year (not a start) and ceased with E4A in the year;
- E5 has two periods of care in the year (S, ceased E4A, S again): one child
  starting, one ceasing, one looked after at 31 March.
"""

from __future__ import annotations

import io
import json

import pytest
from django.core.management import call_command

from safeguarding.core.models import Partnership
from safeguarding.datasets import services
from safeguarding.datasets.models import ImportKind, ImportStatus
from safeguarding.measures.catalogue import catalogue
from safeguarding.measures.engine import Engine
from safeguarding.measures.periods import parse
from safeguarding.measures.sources import measure_data

EPISODE = {"LS": "C2", "CIN": "N1", "PLACE": "U6", "PLACE_PROVIDER": "PR1"}


def _header(child: str) -> dict:
    # MOTHER coded: DfE 393 wants it for every girl looked after.
    return {"CHILD": child, "SEX": "2", "DOB": "05/05/2010", "ETHNIC": "WBRI", "UPN": "UN2",
            "MOTHER": "0"}


def _episode(child, decom, rne, dec="", rec="", place="U6") -> dict:
    return {**EPISODE, "CHILD": child, "DECOM": decom, "RNE": rne, "DEC": dec, "REC": rec,
            "PLACE": place, "REASON_PLACE_CHANGE": "CARPL" if rec == "X1" else ""}


BOUNDARY_RETURN = {
    "header": [_header(c) for c in ("A1", "B2", "C3", "D4", "E5")],
    "episodes": [
        _episode("A1", "01/04/2020", "S"),
        _episode("B2", "10/02/2019", "S", "31/03/2021", "E13"),
        _episode("C3", "01/01/2020", "S", "15/09/2020", "X1"),
        _episode("C3", "15/09/2020", "P", place="U4"),
        _episode("D4", "01/06/2018", "S", "30/06/2020", "E4A"),
        _episode("E5", "01/05/2020", "S", "01/07/2020", "E4A"),
        _episode("E5", "01/11/2020", "S"),
    ],
}


@pytest.fixture
def loaded(demo_world, tables_903):
    staffs = Partnership.objects.get(code="STAFFS")
    record = services.import_files(actor=None, partnership=staffs, kind=ImportKind.SSDA903,
                                   paths=tables_903(BOUNDARY_RETURN))
    assert record.status == ImportStatus.LOADED, record.summary
    return record


def _values(period: str, las=("860",)) -> dict:
    results = Engine(measure_data(list(las))).compute(parse(period), list(las))
    return {r.id: r for r in results if r.id.startswith(("cla_", "care_leavers_"))}


def test_the_measures_count_distinct_children_at_their_boundaries(loaded):
    values = _values("2020-21")
    assert values["cla_at_period_end"].value == 3  # A1, C3, E5; not B2 (DEC on 31 March)
    assert values["cla_starts"].value == 2  # A1, E5 (twice, counted once); not C3's RNE P
    assert values["cla_ceased"].value == 3  # B2 on the last day, D4, E5; not C3's X1


def test_quarters_and_months_come_from_the_same_episodes(loaded):
    first_quarter = _values("2020-Q1")
    assert first_quarter["cla_starts"].value == 2  # A1 on 1 April, E5 on 1 May
    assert first_quarter["cla_ceased"].value == 1  # D4 on 30 June, the quarter's last day
    assert _values("2020-Q2")["cla_ceased"].value == 1  # E5 on 1 July; C3's X1 is not one
    assert _values("2020-09")["cla_at_period_end"].value == 3  # A1, B2, C3; E5 out till Nov


def test_a_year_no_return_covers_says_why(loaded):
    result = _values("2021-22")["cla_at_period_end"]
    assert result.value is None
    assert result.reason == "No SSDA903 return covers 2021-22 for LA 860"


def test_the_cli_and_the_api_give_the_figures(loaded, client_for):
    out = io.StringIO()
    call_command("indicators", "--partnership", "STAFFS", "--period", "2020-21",
                 "--format", "json", stdout=out)
    from_cli = {i["id"]: i["value"] for i in json.loads(out.getvalue())["indicators"]}
    assert (from_cli["cla_at_period_end"], from_cli["cla_starts"], from_cli["cla_ceased"]) == \
        (3, 2, 3)
    from_api = client_for("business.staffs").get(
        "/api/indicators", {"partnership": "STAFFS", "period": "2020-21"}).json()
    assert {i["id"]: i["value"] for i in from_api["indicators"]}["cla_starts"] == 2
    board = client_for("board.police").get(
        "/api/indicators", {"partnership": "STAFFS", "period": "2020-21"}).json()
    assert {i["id"]: i["value"] for i in board["indicators"]}["cla_starts"] is None


def test_the_dashboard_shows_the_figure_and_the_children_behind_it(loaded, client_for):
    page = client_for("board.police").get("/dashboard/STAFFS/core-pathway/?period=2020-21")
    text = page.content.decode()
    assert "Children looked after at the end of the period" in text
    assert "No SSDA903 return covers 2020-21" not in text


def test_the_business_unit_sees_the_903_children_behind_the_figure(loaded, client_for):
    page = client_for("business.staffs").get(
        "/dashboard/STAFFS/measures/cla_at_period_end/children/?period=2020-21")
    text = page.content.decode()
    assert page.status_code == 200
    assert "3 children counted; 3 linked to the child index" in text
    # The words of the page's tables, not the whole page: a random token (the CSRF form
    # field's) can hold "B2".
    from lxml import html

    words = set(" ".join(cell.text_content() for cell in
                         html.fromstring(text).xpath("//main//td | //main//th")).split())
    assert {"A1", "C3", "E5"} <= words and "B2" not in words


def test_a_child_born_after_the_period_end_is_in_the_unborn_age_band(loaded, tables_903,
                                                                     client_for):
    from safeguarding.measures.breakdowns import breakdown
    from safeguarding.measures.catalogue import catalogue

    baby = {"CHILD": "F6", "SEX": "1", "DOB": "01/05/2021", "ETHNIC": "WBRI", "UPN": "UN1"}
    record = services.import_files(
        actor=None, partnership=Partnership.objects.get(code="STAFFS"), kind=ImportKind.SSDA903,
        paths=tables_903({"header": [baby], "episodes": [_episode("F6", "02/05/2021", "S")]},
                         folder="2022"))
    assert record.period == "2021/22"
    rows = breakdown(measure_data(["860"]), catalogue()["cla_at_period_end"], parse("2020-21"),
                     ["860"], "age_band")
    assert {row["group"]: row["value"] for row in rows}["Unborn"] == 0
    page = client_for("business.staffs").get(
        "/dashboard/STAFFS/measures/cla_at_period_end/?period=2020-21")
    assert page.status_code == 200


def _leaver(child: str, activity: str) -> dict:
    # DfE 345: a leaver the LA is in touch with has a real activity; 0 means not in touch.
    in_touch = activity != "0"
    return {"CHILD": child, "DOB": "05/05/2000", "IN_TOUCH": "YES" if in_touch else "NO",
            "ACTIV": activity, "ACCOM": "B1" if in_touch else "0"}


def test_care_leavers_in_education_employment_or_training_count_every_oc3_record(
        demo_world, tables_903):
    # F3 (full-time work or training) and P1 (part-time higher education) count; G5 (not in
    # education, employment or training) does not; 0 (no information) stays in the denominator.
    leavers = {"F6": "F3", "G7": "P1", "H8": "G5", "J9": "0"}
    tables = {
        "header": [{**_header(c), "DOB": "05/05/2000"} for c in leavers],
        "episodes": [_episode(c, "01/06/2015", "S", "05/05/2018", "E13") for c in leavers],
        "oc3": [_leaver(c, a) for c, a in leavers.items()],
    }
    staffs = Partnership.objects.get(code="STAFFS")
    record = services.import_files(actor=None, partnership=staffs, kind=ImportKind.SSDA903,
                                   paths=tables_903(tables), year=2021)
    assert record.status == ImportStatus.LOADED, record.summary
    rate = _values("2020-21")["care_leavers_in_education_employment_training_rate"]
    assert (rate.value, rate.numerator, rate.denominator) == (50.0, 2, 4)
    later = _values("2021-22")["care_leavers_in_education_employment_training_rate"]
    assert later.value is None and "No SSDA903 return covers 2021-22" in later.reason
    quarter = Engine(measure_data(["860"])).compute(parse("2020-Q1"), ["860"], [
        catalogue()["care_leavers_in_education_employment_training_rate"]])[0]
    assert quarter.value is None and "not defined for a quarter" in quarter.reason


@pytest.fixture
def demo_world(module_demo_world, db):
    """The demo world built once for this module (tests/conftest.py); each test rolls back."""
    return module_demo_world
