"""Every threshold and code a measure uses is catalogue data, with its source (issue 12).

The engine reads them from the measure's definition and holds none of its own: a
changed parameter changes the figure, a missing one is an error naming it, and the
engine code has no bare threshold or census code left to drift from the catalogue.
"""

import ast
import datetime as dt
import re
import shutil
from pathlib import Path
from unittest import mock

import polars as pl
import pytest
import yaml

from safeguarding.child_deaths.ages import NEONATAL_DAYS
from safeguarding.core import modules
from safeguarding.core.calendar import add_working_days, non_working_days
from safeguarding.measures import catalogue as catalogue_module
from safeguarding.measures.case_measures import ModuleFrames
from safeguarding.measures.catalogue import CatalogueError, catalogue, load_catalogue
from safeguarding.measures.engine import SCHEMAS, Engine, MeasureData, empty_frame
from safeguarding.measures.periods import parse

D = dt.date
LA = "860"
YEAR = parse("2020-21")
ALL = [(LA, D(2015, 4, 1), D(2025, 3, 31))]
COVERAGE = {kind: ALL for kind in ("cin", "cla", "early_help", "missing", "police_da",
                                   "exclusions", "attendance", "mace")}
SOURCE_FOLDER = Path(catalogue_module.__file__).with_name("catalogue")
ENGINE_FILES = ["engine.py", "engine_agency.py", "case_measures.py", "expressions.py"]
# Whole numbers a formula may hold without being a threshold: nothing, one (a day
# offset, the next working day) and a hundred (a percentage).
NEUTRAL_NUMBERS = {0, 1, 100}
# What a census or return code looks like (RNE S, REC X1, FIXD, ACTIV F1, NEG), an
# offset of years, months or weeks ("2y", "-1y"), or a clock time ("09:00").
CODE_LIKE = re.compile(r"^([A-Z][A-Z0-9]{0,3}|-?\d+(y|mo|w)|\d+d|\d{1,2}:\d{2})$")
ALLOWED_STRINGS = {"1d"}  # the working-day count's own convention: the start day is day 0


def frame(kind, rows):
    schema = SCHEMAS[kind]
    filled = [{col: row.get(col) for col in schema} for row in rows]
    return pl.DataFrame(filled, schema=schema) if rows else empty_frame(kind)


def measure_data(**frames):
    modules = ModuleFrames(live_from={"learning_reviews": D(2015, 4, 1),
                                      "child_deaths": D(2015, 4, 1)}, as_of=D(2024, 1, 1))
    return MeasureData(
        **{k: frame(k, [{"la": LA, **r} for r in frames.get(k, [])]) for k in SCHEMAS},
        coverage=COVERAGE, holidays=tuple(sorted(non_working_days(range(2015, 2026)))),
        modules=modules)


def edited_catalogue(tmp_path, indicator_id, edit):
    """A copy of the catalogue with one definition changed by ``edit(raw_definition)``."""
    folder = tmp_path / "catalogue"
    shutil.copytree(SOURCE_FOLDER, folder)
    # The apps' own catalogue files (declared in their contracts) are copied in beside
    # the measures' own, and read from the copy only.
    for path in modules.catalogue_files():
        shutil.copy(path, folder / f"{path.parent.name}_{path.name}")
    for path in folder.glob("*.yaml"):
        document = yaml.safe_load(path.read_text())
        for raw in document["indicators"]:
            if raw["id"] == indicator_id:
                edit(raw)
                path.write_text(yaml.safe_dump(document, sort_keys=False))
                with mock.patch.object(modules, "catalogue_files", list):
                    return load_catalogue(folder)
    raise AssertionError(f"No indicator {indicator_id}")


def compute(data, indicator, period=YEAR):
    (res,) = Engine(data).compute(period, [LA], [indicator])
    return res


# The data ----------------------------------------------------------------------

def test_every_parameter_names_its_source_and_whether_it_is_verified():
    parameters = [p for ind in catalogue().values() for p in ind.parameters.values()]
    assert len(parameters) >= 16
    for p in parameters:
        assert p.source.strip() and isinstance(p.verified, bool)
    # Inferred rules stay configuration, marked as such.
    eet = catalogue()["care_leavers_in_education_employment_training_rate"].parameters
    assert eet["activity_codes_in_education_employment_or_training"].verified is False


@pytest.mark.parametrize("bad, message", [
    ({"value": 45, "verified": True}, "must have exactly value, source and verified"),
    ({"value": 45, "source": " ", "verified": True}, "needs a source"),
    ({"value": 45, "source": "WT 2018", "verified": "yes"}, "verified must be true or false"),
    ({"value": None, "source": "WT 2018", "verified": True}, "needs a value"),
])
def test_a_parameter_without_its_source_or_status_is_refused_naming_where(tmp_path, bad, message):
    def edit(raw):
        raw["parameters"]["working_days"] = bad

    with pytest.raises(CatalogueError) as error:
        edited_catalogue(tmp_path, "assessments_within_45_working_days_rate", edit)
    assert str(error.value).startswith(
        "core_pathway.yaml: indicator 'assessments_within_45_working_days_rate', "
        "parameter 'working_days'")
    assert message in str(error.value)


def test_the_catalogue_neonatal_age_is_the_child_death_module_s():
    """The module stores ``neonatal`` on each case from ages.py; both must say the same."""
    neonatal = catalogue()["child_deaths_neonatal_rate"]
    assert neonatal.param("neonatal_days") == NEONATAL_DAYS


# The code ----------------------------------------------------------------------

def _literals(path: Path):
    tree = ast.parse(path.read_text())
    docstrings = {id(node.body[0].value) for node in ast.walk(tree)
                  if isinstance(node, ast.Module | ast.ClassDef | ast.FunctionDef)
                  and node.body and isinstance(node.body[0], ast.Expr)
                  and isinstance(node.body[0].value, ast.Constant)}
    for node in ast.walk(tree):
        if isinstance(node, ast.Constant) and id(node) not in docstrings:
            yield node


def test_the_engine_holds_no_threshold_or_code_of_its_own():
    parameter_values = set()
    for ind in catalogue().values():
        for p in ind.parameters.values():
            values = p.value if isinstance(p.value, tuple) else (p.value,)
            parameter_values.update(v for v in values if v not in NEUTRAL_NUMBERS)
    found = []
    folder = SOURCE_FOLDER.parent
    for name in ENGINE_FILES:
        for node in _literals(folder / name):
            value = node.value
            if isinstance(value, bool) or value is None:
                continue
            bare_number = isinstance(value, int | float) and value not in NEUTRAL_NUMBERS
            code = (isinstance(value, str) and value not in ALLOWED_STRINGS
                    and CODE_LIKE.match(value))
            if bare_number or code or value in parameter_values:
                found.append(f"{name}:{node.lineno} {value!r}")
    assert found == [], "Put these in the measure's catalogue parameters: " + ", ".join(found)


def test_the_guard_sees_a_literal_threshold(tmp_path):
    """The scan above would catch the 45 and the "X1" it replaced."""
    source = 'x = frame.filter(days <= 45)\ny = frame.filter(pl.col("rec") != "X1")\n'
    path = tmp_path / "old_engine.py"
    path.write_text(source)
    values = [n.value for n in _literals(path)]
    assert 45 in values and any(CODE_LIKE.match(v) for v in values if isinstance(v, str))


@pytest.mark.django_db
@pytest.mark.parametrize("indicator_id, name", [
    (ind.id, name) for ind in catalogue().values() for name in ind.parameters])
def test_each_parameter_is_read_from_the_definition_with_no_fallback(tmp_path, indicator_id, name):
    def edit(raw):
        del raw["parameters"][name]

    edited = edited_catalogue(tmp_path, indicator_id, edit)[indicator_id]
    with pytest.raises(KeyError, match=f"Indicator '{indicator_id}' has no parameter '{name}'"):
        compute(measure_data(), edited)


# Changing the data changes the figure --------------------------------------------

def _set(name, value):
    def edit(raw):
        raw["parameters"][name]["value"] = value
    return edit


@pytest.mark.django_db
def test_44_working_days_makes_an_assessment_on_the_45th_late(tmp_path):
    referral = D(2020, 6, 1)
    data = measure_data(assessments=[{"child": "A", "referral_date": referral,
                                      "authorised_date": add_working_days(referral, 45)}])
    measure = "assessments_within_45_working_days_rate"
    assert compute(data, catalogue()[measure]).numerator == 1
    stricter = edited_catalogue(tmp_path, measure, _set("working_days", 44))[measure]
    res = compute(data, stricter)
    assert (res.numerator, res.denominator, res.value) == (0, 1, 0.0)


@pytest.mark.django_db
def test_rne_and_rec_codes_come_from_the_catalogue(tmp_path):
    data = measure_data(cla_episodes=[
        {"child": "A", "decom": D(2020, 5, 1), "rne": "S", "dec": D(2020, 8, 1), "rec": "X1"},
        {"child": "B", "decom": D(2020, 6, 1), "rne": "P", "dec": D(2020, 9, 1), "rec": "E11"},
        {"child": "C", "decom": D(2020, 7, 1), "rne": "S", "dec": D(2020, 10, 1), "rec": "X1"},
    ])
    assert compute(data, catalogue()["cla_starts"]).value == 2  # A and C (S)
    assert compute(data, catalogue()["cla_ceased"]).value == 1  # B: X1 is not a ceasing
    starts = edited_catalogue(tmp_path / "a", "cla_starts",
                              _set("new_period_of_care_codes", ["S", "P"]))["cla_starts"]
    assert compute(data, starts).value == 3
    ceased = edited_catalogue(tmp_path / "b", "cla_ceased",
                              _set("not_ceasing_codes", ["E11"]))["cla_ceased"]
    assert compute(data, ceased).value == 2  # now A and C (X1) count and B (E11) does not


@pytest.mark.django_db
def test_persistent_absence_follows_its_percentage(tmp_path):
    data = measure_data(
        cin_episodes=[{"child": "A", "referral_date": D(2020, 5, 1)}],
        attendance=[{"child": "A", "from_date": D(2020, 9, 1), "to_date": D(2020, 12, 18),
                     "possible": 100, "absent": 12}])
    measure = "persistent_absence_children_in_need_rate"
    assert compute(data, catalogue()[measure]).numerator == 1
    edited = edited_catalogue(tmp_path, measure, _set("absence_percent", 15))[measure]
    assert compute(data, edited).numerator == 0


@pytest.mark.django_db
def test_return_interview_hours_come_from_the_catalogue(tmp_path):
    back = dt.datetime(2020, 6, 1, 12)  # the frames hold UTC without a zone
    data = measure_data(missing_episodes=[{
        "child": "A", "missing_from": back - dt.timedelta(hours=5), "returned_at": back,
        "offered_at": back + dt.timedelta(hours=60), "completed_at": None}])
    measure = "return_interviews_offered_within_72_hours_rate"
    assert compute(data, catalogue()[measure]).numerator == 1
    edited = edited_catalogue(tmp_path, measure, _set("within_hours", 48))[measure]
    assert compute(data, edited).numerator == 0


def test_the_measure_page_shows_each_threshold_with_its_source(client_for):
    client = client_for("analyst.staffs")
    page = client.get("/dashboard/STAFFS/measures/assessments_within_45_working_days_rate/"
                      "?period=2020-21").content.decode()
    assert "Working days: 45 (Working Together to Safeguard Children 2018, chapter 1" in page
    leavers = client.get("/dashboard/STAFFS/measures/"
                         "care_leavers_in_education_employment_training_rate/?period=2020-21")
    assert ("Activity codes in education employment or training: F1, P1, F2, P2, F3, P3" in leavers.content.decode()
            and "inferred, to confirm locally" in leavers.content.decode())
