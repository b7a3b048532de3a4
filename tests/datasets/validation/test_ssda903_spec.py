"""The SSDA903 code lists by year, and the tables, read from specs/ssda903/."""

from safeguarding.datasets.validation import ssda903_spec


def test_every_year_has_every_list_the_tables_name_with_a_source():
    assert ssda903_spec.years()[0] == 2018
    for year in ssda903_spec.years():
        spec = ssda903_spec.spec(year)
        assert spec.period == f"{year - 1}/{year % 100:02d}"
        for table in ssda903_spec.tables().values():
            for column in table.columns.values():
                if column.type == "code":
                    assert spec.code_lists[column.code_list].source
                    assert spec.code_lists[column.code_list].codes


def test_a_later_year_lists_only_what_changed():
    # 2021/22 changes the activities (2022.yaml), 2024/25 adds K3 (2025.yaml).
    before, after = ssda903_spec.spec(2021), ssda903_spec.spec(2022)
    assert "F3" in before.code_lists["activity"].codes
    assert "F3" not in after.code_lists["activity"].codes
    assert "F4" in after.code_lists["activity"].codes
    assert before.code_lists["reason_ceased"] == after.code_lists["reason_ceased"]
    before, after = ssda903_spec.spec(2024), ssda903_spec.spec(2025)
    assert "K3" in after.code_lists["placement"].codes
    assert "K3" not in before.code_lists["placement"].codes
    assert before.code_lists["reason_ceased"] == after.code_lists["reason_ceased"]


def test_every_rule_has_a_message():
    assert "X1" in ssda903_spec.spec(2021).code_lists["reason_ceased"].codes
    message = ssda903_spec.message("SCP903-DEC-BEFORE-DECOM", dec="01/01/2020",
                                   decom="02/01/2020")
    assert message == ("DEC 01/01/2020 is before DECOM 02/01/2020: an episode cannot cease "
                       "before it starts")
