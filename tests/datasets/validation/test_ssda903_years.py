"""SSDA903 codes by collection year, and DfE rules that compare with the LA's earlier returns.

SEX is 1/2 up to 2023/24 and M/F/U from 2024/25 (U refused by DfE 232), always
kept as 1/2; K3 is a placement from 2024/25; 2025/26 drops H5, P2 and Z1 for
Z11 to Z14; the OC3 activities F4/P4/F5/P5 replace F3/P3 from 2021/22. DfE
1002 and 392b read the LA's earlier returns: checked with them when they are
loaded, and said to be not checked, naming the returns to load, when not.
"""

from __future__ import annotations

from pathlib import Path

import orjson
import pytest

from safeguarding.datasets import services
from safeguarding.datasets.models import ClaChild, ClaReturnChild, ImportKind, ImportStatus
from safeguarding.datasets.readers import ssda903 as reader
from safeguarding.datasets.validation import ssda903_rules as rules
from safeguarding.datasets.validation.problems import ProblemLog
from safeguarding.datasets.validation.ssda903 import check_return
from safeguarding.datasets.validation.ssda903_spec import spec
from tests.datasets.validation.test_ssda903_rules import (
    CLEAN,
    CLEAN_EARLIER,
    CLEAN_LAST,
    _changed,
    _check,
    _loaded,
    _write,
)

pytestmark = pytest.mark.usefixtures("earlier_returns_made_into_frames_once")


def _rules(problems) -> set[str]:
    return {p.rule for p in problems}


def _check_as_written(folder: Path, data, year: int):
    """Checked with the values exactly as given (no SEX 1/2 -> M/F for the year)."""
    paths = _write(folder, data, year, as_given=True)
    files, _skipped = reader.read_inputs(paths, [p.name for p in paths])
    log = ProblemLog("return", max_errors=10_000)
    checked = check_return(files, log, year=year, previous=lambda asked: _loaded(CLEAN_LAST),
                           earlier=lambda asked, back: {
                               y: _loaded(CLEAN_EARLIER) for y in range(asked - back, asked)})
    return checked, log.kept


# -- SEX ------------------------------------------------------------------------------


def test_sex_is_1_or_2_up_to_2023_24_and_m_f_or_u_from_2024_25():
    assert set(spec(2024).code_lists["sex"].codes) == {"1", "2"}
    assert set(spec(2025).code_lists["sex"].codes) == {"M", "F", "U"}
    assert set(spec(2026).code_lists["sex"].codes) == {"M", "F", "U"}


@pytest.mark.parametrize(("year", "sex", "refused_by"), [
    (2024, "M", {"SCP903-CODE", "101"}),
    (2025, "1", {"SCP903-CODE", "101"}),
    (2025, "U", {"232"}),
])
def test_a_sex_code_not_of_the_year_is_refused(year, sex, refused_by, tmp_path):
    data = _with_sex(year, {"1001": sex})
    checked, problems = _check_as_written(tmp_path, data, year)
    assert checked is None
    on_sex = [p for p in problems if p.field == "SEX" and p.severity == "error"]
    assert refused_by <= {p.rule for p in on_sex}, on_sex
    assert {p.child for p in on_sex} == {"1001"}
    if sex == "U":  # a code of the list: only DfE's own rule refuses it
        assert not {"SCP903-CODE", "101"} & {p.rule for p in on_sex}


def _with_sex(year: int, given: dict[str, str]):
    """CLEAN with every child's SEX in the year's codes, save those given."""
    letters = year >= 2025
    sex = {row["CHILD"]: given.get(row["CHILD"], {"1": "M", "2": "F"}[row["SEX"]] if letters
                                   else row["SEX"]) for row in CLEAN["header"]}
    return _changed(CLEAN, [*[("header", i, {"SEX": sex[row["CHILD"]]})
                              for i, row in enumerate(CLEAN["header"])],
                            ("uasc", 0, {"SEX": sex["1001"]})])


def test_sex_m_and_f_pass_in_2024_25_and_are_no_change_from_last_years_1_and_2(tmp_path):
    _checked, problems = _check_as_written(tmp_path, _with_sex(2025, {}), 2025)
    # Last year's return held 1 and 2 (as kept): the same child's M and F are no change (202).
    assert not [p for p in problems if p.field == "SEX"]


def test_a_change_of_sex_from_last_year_is_still_found_across_the_change_of_codes(tmp_path):
    _checked, problems = _check_as_written(tmp_path, _with_sex(2025, {"1001": "F"}), 2025)
    assert [(p.child, p.field) for p in problems if p.rule == "202"] == [("1001", "SEX")]


@pytest.mark.django_db
def test_a_2024_25_return_loads_with_sex_kept_as_1_or_2(staffs, tables_903):
    header = {"CHILD": "A1", "SEX": "F", "DOB": "01/06/2012", "ETHNIC": "WBRI", "UPN": "UN2",
              "MOTHER": "0"}
    episode = {"CHILD": "A1", "DECOM": "01/05/2024", "RNE": "S", "LS": "C1", "CIN": "N1",
               "PLACE": "K3", "PLACE_PROVIDER": "PR1", "HOME_POST": "XY9 8ZW",
               "PL_POST": "AB1 2CD"}
    record = services.import_files(actor=None, partnership=staffs, kind=ImportKind.SSDA903,
                                   paths=tables_903({"header": [header], "episodes": [episode]}),
                                   year=2025)
    assert record.status == ImportStatus.LOADED, list(
        record.problems.values_list("rule", "message"))
    assert ClaChild.objects.get(la_child_id="A1").sex == "2"
    assert orjson.loads(ClaReturnChild.objects.get().payload)["header"]["SEX"] == "2"


# -- Placement and activity codes -------------------------------------------------------


@pytest.mark.parametrize(("code", "valid_in", "refused_in"), [
    ("K3", [2025, 2026], [2023, 2024]),
    ("H5", [2023, 2024, 2025], [2026]),
    ("P2", [2023, 2025], [2026]),
    ("Z1", [2023, 2024, 2025], [2026]),
    ("Z11", [2026], [2024, 2025]),
    ("Z14", [2026], [2025]),
])
def test_placement_codes_by_year(code, valid_in, refused_in, tmp_path):
    for year in [*valid_in, *refused_in]:
        data = _changed(CLEAN, [("episodes", 1, {"PLACE": code})])
        folder = tmp_path / str(year)
        folder.mkdir()
        _checked, problems = _check(folder, data, year)
        found = {p.rule for p in problems if p.row == 3 and p.field == "PLACE"}
        if year in valid_in:
            assert not {"SCP903-CODE", "146"} & found, (year, found)
        else:
            assert {"SCP903-CODE", "146"} <= found, (year, found)


@pytest.mark.parametrize(("code", "valid_in", "refused_in"), [
    ("F3", [2021], [2022, 2023]),
    ("P3", [2021], [2022]),
    ("F4", [2022, 2023, 2026], [2021]),
    ("P5", [2022, 2024], [2021]),
])
def test_activity_codes_change_in_2021_22(code, valid_in, refused_in):
    for year in valid_in:
        assert code in spec(year).code_lists["activity"].codes, year
    for year in refused_in:
        assert code not in spec(year).code_lists["activity"].codes, year


def test_every_changed_list_names_its_source():
    assert "lac2024_25 rule 101" in spec(2025).code_lists["sex"].source
    assert "lac2024_25 rule 146" in spec(2025).code_lists["placement"].source
    assert "lac2025_26 rule 146" in spec(2026).code_lists["placement"].source
    assert "SSDA903_schema_2022" in spec(2022).code_lists["activity"].source


def test_a_z11_placement_needs_no_provider_as_z1_did(tmp_path):
    """DfE 526 exempts 'other placements' from a provider: Z1, then Z11 to Z14."""
    for year, code in ((2025, "Z1"), (2026, "Z12")):
        data = _changed(CLEAN, [("episodes", 1, {"PLACE": code, "PLACE_PROVIDER": ""})])
        folder = tmp_path / str(year)
        folder.mkdir()
        _checked, problems = _check(folder, data, year)
        assert "526" not in _rules(problems), year
    data = _changed(CLEAN, [("episodes", 1, {"PLACE": "U4", "PLACE_PROVIDER": ""})])
    _checked, problems = _check(tmp_path, data, 2026)
    assert "526" in _rules(problems)


def test_h5_to_k3_across_years_is_no_change_of_placement_only_in_2024_25(tmp_path):
    """DfE 503D: the open placement may turn from H5 to K3 in 2024/25, the year K3 came."""
    last = _changed(CLEAN_LAST, [("episodes", 0, {"PLACE": "H5"})])
    data = _changed(CLEAN, [("episodes", 0, {"PLACE": "K3"})])
    for year, allowed in ((2025, True), (2026, False)):
        folder = tmp_path / str(year)
        folder.mkdir()
        _checked, problems = _check(folder, data, year, last)
        assert ("503D" not in _rules(problems)) is allowed, year


# -- Rules against the LA's earlier returns ---------------------------------------------


def _notes(problems) -> list[str]:
    return [p.message for p in problems if p.rule == "SCP903-RULES-NOT-CHECKED"]


def test_rules_needing_earlier_returns_name_the_returns_to_load(tmp_path):
    _checked, problems = _check(tmp_path, CLEAN, 2023, earlier={})
    notes = _notes(problems)
    assert any("(1: 392b)" in n and "not checked: load the returns for 2020/21 and 2021/22" in n
               for n in notes), notes
    assert any("(2: 1001, 1002)" in n and "load the returns for 2015/16, 2016/17, 2017/18, "
               "2018/19, 2019/20, 2020/21 and 2021/22" in n for n in notes), notes
    assert not {"392b", "1001", "1002"} & _rules(problems)


def test_only_the_returns_not_loaded_are_named(tmp_path):
    paths_year = 2025  # 392b reads 2022/23 and 2023/24; 2023/24's alone is loaded
    loaded = {2022, 2024}
    paths = _write(tmp_path, CLEAN, paths_year)
    files, _skipped = reader.read_inputs(paths, [p.name for p in paths])
    log = ProblemLog("return", max_errors=10_000)
    checked = check_return(files, log, year=paths_year,
                           previous=lambda asked: _loaded(CLEAN_LAST),
                           earlier=lambda asked, back: {y: _loaded(CLEAN_EARLIER)
                                                        for y in range(asked - back, asked)
                                                        if y in loaded})
    notes = _notes(log.kept)
    if checked is not None:
        checked.close()
    assert any("(1: 392b)" in n and n.endswith("load the returns for 2022/23") for n in notes)


def test_1002_a_care_leaver_with_care_in_an_earlier_return_passes(tmp_path):
    _checked, problems = _check(tmp_path, CLEAN, 2023)
    assert "1002" not in _rules(problems)
    assert not any("1002" in n.split("):")[0] for n in _notes(problems))


def test_1002_a_care_leaver_with_no_care_in_any_return_is_refused(tmp_path):
    without = _changed(CLEAN_EARLIER, [("episodes", len(CLEAN_EARLIER["episodes"]) - 1,
                                        {"_delete": "yes"})])
    checked, problems = _check(tmp_path, CLEAN, 2023, earlier=without)
    assert checked is None
    [hit] = [p for p in problems if p.rule == "1002"]
    assert (Path(hit.file).name, hit.child, hit.field) == ("oc3.csv", "1002", "IN_TOUCH")
    assert hit.message == rules.rule_table()["1002"].message(2023)


# 1002 (DOB 1 May 2003) turned 14 on 1 May 2017 and 16 on 1 May 2019.
def _leaver_care(*episodes: dict[str, str]) -> dict[str, list[dict[str, str]]]:
    """The earlier returns, with the care leaver 1002's care there being ``episodes``."""
    care = CLEAN_EARLIER["episodes"][-1]
    return {**CLEAN_EARLIER, "episodes": [*CLEAN_EARLIER["episodes"][:-1],
                                          *({**care, **ep} for ep in episodes)]}


@pytest.mark.parametrize(("care", "relevant"), [
    # 13 weeks (91 days) since 14, ending after 16: relevant; 90 days: not.
    ([{"DECOM": "30/01/2021", "DEC": "30/04/2021"}], False),
    ([{"DECOM": "30/01/2021", "DEC": "01/05/2021"}], True),
    # Two short episodes, 46 and 45 days, add up.
    ([{"DECOM": "01/06/2017", "DEC": "17/07/2017"},
      {"DECOM": "17/03/2021", "DEC": "01/05/2021", "RNE": "S"}], True),
    # A year and a half since 14, none of it after 16.
    ([{"DECOM": "01/06/2017", "DEC": "01/12/2018"}], False),
    # Respite (V3) does not count.
    ([{"DECOM": "01/01/2019", "DEC": "01/05/2021", "LS": "V3"}], False),
    # Care before 14 does not count: of 15 March to 1 June 2017 (78 days), 31 are
    # after it; with 30 more in 2021, 61.
    ([{"DECOM": "15/03/2017", "DEC": "01/06/2017"},
      {"DECOM": "01/04/2021", "DEC": "01/05/2021", "RNE": "S"}], False),
    # Care ended in adoption (E11), as D2I reads it.
    ([{"DECOM": "01/01/2019", "DEC": "01/05/2021", "REC": "E11"}], False),
])
def test_1001_a_care_leaver_is_a_relevant_child_by_the_care_since_14(tmp_path, care, relevant):
    checked, problems = _check(tmp_path, CLEAN, 2023, earlier=_leaver_care(*care))
    hits = [(Path(p.file).name, p.child, p.field) for p in problems if p.rule == "1001"]
    assert hits == ([] if relevant else [("oc3.csv", "1002", "IN_TOUCH")])
    assert (checked is not None) is relevant or "1002" in _rules(problems)


def test_1001_an_episode_open_at_a_years_end_counts_to_that_year_or_as_the_next_return_gives_it(
        tmp_path):
    """The same episode in two returns is counted once, with the later return's end."""
    open_then = {"DECOM": "01/03/2021", "DEC": "", "REC": ""}  # open at 31 March 2021
    by_year = {2021: _leaver_care(open_then),
               2022: _leaver_care({"DECOM": "01/03/2021", "DEC": "01/05/2021"})}
    paths = _write(tmp_path, CLEAN, 2023)
    files, _skipped = reader.read_inputs(paths, [p.name for p in paths])

    def check(years):
        log = ProblemLog("return", max_errors=10_000)
        checked = check_return(files, log, year=2023,
                               previous=lambda asked: _loaded(CLEAN_LAST),
                               earlier=lambda asked, back: {
                                   y: _loaded(years.get(y, _leaver_care()))
                                   for y in range(asked - back, asked)})
        if checked is not None:
            checked.close()
        return [p.child for p in log.kept if p.rule == "1001"]

    # Open in 2020/21's return, 1 March to 31 March: 30 days; with 2021/22's end, 61.
    assert check({2021: by_year[2021]}) == ["1002"]
    assert check(by_year) == ["1002"]
    longer = {2021: _leaver_care({**open_then, "DECOM": "01/01/2021"}),
              2022: _leaver_care({"DECOM": "01/01/2021", "DEC": "01/05/2021"})}
    # 1 January: 89 days to 31 March (2020/21's end), 120 to 1 May (2021/22's DEC).
    assert check({2021: longer[2021]}) == ["1002"]
    assert check(longer) == []


@pytest.mark.parametrize(("year", "code", "valid"), [
    (2023, "860", True),   # Staffordshire
    (2023, "WAL", True), (2023, "SCO", True), (2023, "NIR", True), (2023, "NUK", True),
    (2023, "999", False), (2023, "86", False), (2023, "ENG", False),
    (2023, "942", False),  # Cumberland, from 2023/24
    (2024, "942", True),
    (2026, "909", True),   # Cumbria, to 2022/23: an earlier order was arranged there
    (2026, "928", True),   # Northamptonshire, to 2020/21
    (2023, "940", True),   # North Northamptonshire, from 2021/22
])
def test_633_la_perm_is_an_la_number_dfe_gives_by_the_returns_year(tmp_path, year, code, valid):
    data = _changed(CLEAN, [("prev_perm", 0, {"PREV_PERM": "P1", "LA_PERM": code,
                                              "DATE_PERM": "ZZ/ZZ/2015"})])
    _checked, problems = _check(tmp_path, data, year)
    hits = [(p.child, p.field) for p in problems if p.rule == "633"]
    assert hits == ([] if valid else [("1001", "LA_PERM")])


def test_392b_a_child_uasc_in_the_two_years_before_needs_no_postcodes(tmp_path):
    data = _changed(CLEAN, [("episodes", 2, {"HOME_POST": ""})])
    (tmp_path / "x").mkdir()
    _checked, problems = _check(tmp_path / "x", data, 2023)
    assert [(p.child, p.field) for p in problems if p.rule == "392b"] == [("1003", "HOME_POST")]
    # 1003 UASC in the earlier returns (the UASC table of those years): not flagged.
    uasc_before = _changed(CLEAN_EARLIER, [("uasc", None, {"CHILD": "1003", "SEX": "2",
                                                            "DOB": "01/06/2019", "DUC": ""})])
    (tmp_path / "y").mkdir()
    _checked, problems = _check(tmp_path / "y", data, 2023, earlier=uasc_before)
    assert "392b" not in _rules(problems)


def test_each_years_checked_rules_count():
    """The counts docs/ssda903-rules.md gives: every DfE rule of a year checked or listed."""
    for year in (2023, 2025, 2026):
        listed = rules.rules_for(year)
        gap = set(rules.gaps(year))
        assert {"392b", "1001", "1002", "633"} <= set(listed) - gap
        assert "214" in gap


@pytest.mark.django_db
def test_the_loader_checks_392b_with_the_las_returns_loaded_and_names_those_missing(
        staffs, tables_903):
    header = {"CHILD": "A1", "SEX": "1", "DOB": "01/06/2008", "ETHNIC": "WBRI", "UPN": "UN2"}
    episode = {"CHILD": "A1", "DECOM": "01/05/2020", "RNE": "S", "LS": "C2", "CIN": "N1",
               "PLACE": "U6", "PLACE_PROVIDER": "PR1", "HOME_POST": "XY9 8ZW",
               "PL_POST": "AB1 2CD"}
    no_home = {"header": [header], "episodes": [{**episode, "HOME_POST": ""}]}

    def load(tables, year, folder, **options):
        return services.import_files(actor=None, partnership=staffs, kind=ImportKind.SSDA903,
                                     paths=tables_903(tables, folder=folder), year=year,
                                     **options)

    alone = load(no_home, 2023, "alone", check_only=True)
    assert alone.status == ImportStatus.CHECKED
    notes = list(alone.problems.filter(rule="SCP903-RULES-NOT-CHECKED")
                 .values_list("message", flat=True))
    assert any("392b" in n and "load the returns for 2020/21 and 2021/22" in n for n in notes)
    for year in (2021, 2022):  # a review in each year, so the two returns differ
        review = {"CHILD": "A1", "DOB": header["DOB"], "REVIEW": f"01/06/{year - 1}",
                  "REVIEW_CODE": "PN1"}
        record = load({"header": [header], "episodes": [episode], "reviews": [review]}, year,
                      f"y{year}")
        assert record.status == ImportStatus.LOADED, list(
            record.problems.filter(severity="error").values_list("rule", "message"))
    record = load(no_home, 2023, "y2023")
    assert record.status == ImportStatus.FAILED
    assert list(record.problems.filter(rule="392b").values_list("child", "field")) == [
        ("A1", "HOME_POST")]
