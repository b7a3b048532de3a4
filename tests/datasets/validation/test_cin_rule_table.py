"""The rule table (specs/cin_census/dfe_rules.yaml) against what the import checks.

For every supported collection year: every DfE rule in the table for that year
is implemented (by a field's own check, the header check, a declarative shape
or a named procedure), has a failing case in test_cin_dfe_rules.py, and nothing
the checker reports under a DfE number is missing from the table.
"""

from __future__ import annotations

import re

import pytest

from safeguarding.datasets.validation.cin_rules import DfeChecker
from safeguarding.datasets.validation.specs import cin_spec, cin_years, dfe_rule_table
from tests.datasets.validation.test_cin_dfe_rules import CASES

# The DfE rule sets as Data to Insight's validator transcribes them (csc-validator-be-cin
# 0.1.13): 2022/23 has 105 rules, 81 errors and 24 queries; 2024/25 adds 1570, 1580,
# 8945Q and 8950Q.
DFE_2022_23 = {"errors": 81, "queries": 24}
ADDED_2024_25 = {"1570", "1580", "8945Q", "8950Q"}


def _table_ids(year: int) -> set[str]:
    ids = set()
    for rule_id, body in dfe_rule_table()["rules"].items():
        if int(body.get("from", 2018)) <= year <= int(body.get("until", 9999)):
            ids.add(str(rule_id))
    return ids


def test_every_year_names_its_source():
    sources = dfe_rule_table()["sources"]
    for year in cin_years():
        assert len(str(sources[year]).strip()) > 40, year


def test_the_2022_23_rules_are_dfes_105():
    rules = cin_spec(2023).dfe_rules
    assert sum(r.severity == "error" for r in rules) == DFE_2022_23["errors"]
    assert sum(r.severity == "query" for r in rules) == DFE_2022_23["queries"]
    assert {r.id for r in cin_spec(2025).dfe_rules} - {r.id for r in rules} == ADDED_2024_25


@pytest.mark.parametrize("year", cin_years())
def test_every_rule_in_the_table_for_the_year_is_implemented(year):
    spec = cin_spec(year)
    implemented = {r.id for r in spec.dfe_rules}
    assert implemented == _table_ids(year)
    field_rules = {f.rule for fields in spec.modules.values() for f in fields.values() if f.rule}
    type_rules = {t.rule for t in spec.types.values()}
    gaps = []
    for rule in spec.dfe_rules:
        if rule.check == "field":
            module, name = rule.params["field"].split(".")
            spec_field = spec.modules[module].get(name)
            if not ((spec_field and spec_field.rule == rule.id) or rule.id in type_rules):
                gaps.append(rule.id)
        elif rule.check == "header":
            continue
        elif rule.check == "procedural":
            if not hasattr(DfeChecker, f"_{rule.id}"):
                gaps.append(rule.id)
        elif not hasattr(DfeChecker, f"_{rule.check}"):
            gaps.append(rule.id)
        assert rule.id in CASES, f"{rule.id} has no failing case"
    assert gaps == []
    # Nothing reports under a DfE number the table does not hold for the year.
    assert {r for r in field_rules | type_rules if re.fullmatch(r"\d+Q?", r)} <= implemented


def test_rules_outside_the_table_are_the_platforms_own():
    for year in cin_years():
        assert all(r.id.startswith("SCP-") for r in cin_spec(year).rules)
