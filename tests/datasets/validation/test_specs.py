"""The specs are data with sources, one per collection year, each year saying what changed."""

from __future__ import annotations

import pytest

from safeguarding.datasets.validation import specs


def test_every_year_from_2017_18_has_a_spec():
    years = specs.cin_years()
    assert years[0] == 2018 and years == list(range(2018, years[-1] + 1))
    assert [specs.cin_spec(y).period for y in years[:4]] == [
        "2017/18", "2018/19", "2019/20", "2020/21"]


def test_years_before_2020_21_have_the_abuse_factors_before_the_split():
    factors = {y: specs.cin_spec(y).code_lists["assessment_factor"].codes for y in (2020, 2021)}
    assert {"18A", "19A"} <= set(factors[2020]) and "18B" not in factors[2020]
    assert not {"18A", "19A", "8A"} & set(factors[2021])
    assert "24A" not in factors[2020] and "RC9" not in specs.cin_spec(2020).code_lists[
        "reason_for_closure"].codes
    assert "5D" not in specs.cin_spec(2018).code_lists["referral_source"].codes


@pytest.mark.parametrize("year", specs.cin_years())
def test_every_code_list_and_rule_names_its_source(year):
    spec = specs.cin_spec(year)
    assert spec.source
    assert all(code_list.source and code_list.codes for code_list in spec.code_lists.values())
    assert all(rule.source and rule.message for rule in spec.rules)
    assert len({rule.id for rule in spec.rules}) == len(spec.rules)
    for fields in spec.modules.values():
        for field in fields.values():
            assert field.type != "code" or field.code_list in spec.code_lists


def test_later_years_change_only_what_changed():
    codes = {y: specs.cin_spec(y).code_lists for y in specs.cin_years()}
    assert "5D" not in codes[2021]["referral_source"].codes
    assert "5D" in codes[2022]["referral_source"].codes
    assert "24A" in codes[2022]["assessment_factor"].codes
    assert "24A" not in codes[2021]["assessment_factor"].codes
    assert "RC9" not in codes[2022]["reason_for_closure"].codes
    assert "RC9" in codes[2023]["reason_for_closure"].codes
    assert codes[2021]["ethnicity"].codes == codes[2026]["ethnicity"].codes


def test_the_dfe_rules_carry_dfe_numbers():
    ids = {rule.id for rule in specs.cin_spec(2021).dfe_rules}
    assert {"8630", "8608", "8925", "8585Q"} <= ids
    assert all(rule.id.startswith("SCP-") for rule in specs.cin_spec(2021).rules)


def test_a_year_without_a_spec_is_a_key_error():
    with pytest.raises(KeyError):
        specs.cin_spec(2017)


def test_benchmark_markers_include_every_marker_in_the_published_files():
    markers = specs.benchmark_spec()["suppression_markers"]
    assert {"c", "x", "z", "k", "low", "u", ""} <= set(markers)
