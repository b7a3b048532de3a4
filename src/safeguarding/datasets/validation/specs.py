"""Code lists and rules by collection year, read from the YAML files in specs/.

A year file may name the year it `extends` and list only what changed: codes
to `add` or `remove` in a list, rules to add or replace (by id) and rule ids
to drop (`remove_rules`). The result is one flat, frozen spec per year.
``read_year`` is the one reader of year files, the SSDA903 specs' too.
"""

from __future__ import annotations

import copy
import datetime as dt
import re
from dataclasses import dataclass, field
from functools import cache
from pathlib import Path
from typing import Any

from safeguarding.core.yaml_data import load_yaml

SPEC_DIR = Path(__file__).resolve().parent.parent / "specs"
CIN_DIR = SPEC_DIR / "cin_census"
FIELD_TYPES = frozenset({"text", "date", "code", "integer", "boolean", "la_child_id", "upn"})
RULE_KINDS = frozenset({
    "one_of_required", "date_order", "both_or_neither", "required_if_code",
    "not_after_reference_date", "not_before_period_start", "unique_in_file",
    "unique_within_child",
})
MODULES = ("child", "episode", "assessment", "cin_plan", "section47", "cpp")


class SpecError(Exception):
    """A spec file is malformed: a fault in the platform's data, caught by the tests."""


@dataclass(frozen=True)
class CodeList:
    name: str
    source: str
    codes: dict[str, str]
    # The value kept for a code where it differs from the code (903 SEX from 2024/25:
    # M kept as 1, F as 2, so the child's sex is held as in earlier years).
    stored: dict[str, str] = field(default_factory=dict)


@dataclass(frozen=True)
class FieldSpec:
    name: str
    module: str
    type: str
    code_list: str | None = None
    required: bool = False
    repeated: bool = False
    aliases: tuple[str, ...] = ()
    rule: str | None = None  # the DfE rule its presence and type errors report under


@dataclass(frozen=True)
class RuleSpec:
    id: str
    kind: str
    message: str
    source: str
    severity: str = "error"
    module: str | None = None
    params: dict[str, Any] = field(default_factory=dict)


@dataclass(frozen=True)
class DfeRule:
    """One DfE CIN census validation rule as it stands in one collection year."""

    id: str
    severity: str
    message: str
    check: str
    module: str  # "" for a field's or the header's own check
    params: dict[str, Any]
    fields: frozenset[str]  # the fields it reads: skipped when one of them is invalid


@dataclass(frozen=True)
class TypeRule:
    rule: str
    message: str


@dataclass(frozen=True)
class CollectionYear:
    """A return's spec for one DfE collection year, named by the year it ends.

    2021 is the 2020/21 year: 1 April 2020 to 31 March 2021.
    """

    year: int
    period: str
    source: str
    code_lists: dict[str, CodeList]

    @property
    def year_start(self) -> dt.date:
        return dt.date(self.year - 1, 4, 1)

    @property
    def year_end(self) -> dt.date:
        return dt.date(self.year, 3, 31)


@dataclass(frozen=True)
class CinSpec(CollectionYear):
    modules: dict[str, dict[str, FieldSpec]]
    aliases: dict[str, dict[str, str]]
    types: dict[str, TypeRule]
    rules: tuple[RuleSpec, ...]
    dfe_rules: tuple[DfeRule, ...] = ()
    # From 2024/25 DfE codes Sex M/F/U; the record carries GenderCurrent 0/1/2/9 too.
    gender_from_sex: dict[str, str] = field(default_factory=dict)

    def dfe_rule(self, rule_id: str) -> DfeRule | None:
        return next((r for r in self.dfe_rules if r.id == rule_id), None)

    @property
    def reference_date(self) -> dt.date:
        return self.year_end

    @property
    def period_start(self) -> dt.date:
        return self.year_start

    def rules_for(self, module: str) -> list[RuleSpec]:
        return [r for r in self.rules if r.module == module]

    def code_list_label(self, name: str) -> str:
        return name.replace("_", " ")


def spec_years(directory: Path) -> list[int]:
    """Collection years with a spec file (``<year>.yaml``) in ``directory``."""
    return sorted(int(p.stem) for p in directory.glob("*.yaml") if re.fullmatch(r"\d{4}", p.stem))


def cin_years() -> list[int]:
    """Collection years with a spec: 2021 is the 2020/21 census."""
    return spec_years(CIN_DIR)


def period_label(year: int) -> str:
    return f"{year - 1}/{year % 100:02d}"


@cache
def cin_common() -> dict[str, str]:
    """File and header rule messages, by rule id; the same every year."""
    data = load_yaml((CIN_DIR / "_common.yaml").read_text())
    return {rule_id: body["message"].strip() for rule_id, body in data["rules"].items()}


@cache
def benchmark_spec() -> dict:
    return load_yaml((SPEC_DIR / "dfe_benchmarks" / "tables.yaml").read_text())


def read_year(directory: Path, year: int) -> dict:
    """A year's spec file as data, with the year it ``extends`` (and that one's) folded in.

    The one reader for every return's year specs (CIN census, SSDA903). KeyError
    when the year has no file.
    """
    path = directory / f"{year}.yaml"
    if not path.exists():
        raise KeyError(year)
    data = load_yaml(path.read_text())
    if data.get("year") != year:
        raise SpecError(f"{path.name} says year {data.get('year')}")
    base_year = data.get("extends")
    if base_year is None:
        return data
    return _merge(read_year(directory, int(base_year)), data)


def _merge(base: dict, over: dict) -> dict:
    merged = copy.deepcopy(base)
    for key in ("year", "period", "source"):
        merged[key] = over[key]
    for name, change in (over.get("code_lists") or {}).items():
        if "codes" in change:
            merged["code_lists"][name] = change
            continue
        if name not in merged["code_lists"]:
            merged["code_lists"][name] = change
            continue
        target = merged["code_lists"][name]
        target["codes"] = {**target["codes"], **(change.get("add") or {})}
        for code in change.get("remove") or []:
            target["codes"].pop(code)
        if change.get("source"):
            target["source"] = change["source"]
    # The sections only some returns' specs have (the CIN census's fields and rules).
    for module, fields in (over.get("modules") or {}).items():
        merged["modules"].setdefault(module, {}).update(fields)
    for module, names in (over.get("remove_fields") or {}).items():
        for name in names:
            merged["modules"][module].pop(name)
    if "gender_from_sex" in over:
        merged["gender_from_sex"] = over["gender_from_sex"]
    if "types" in merged:
        merged["types"] = {**merged["types"], **(over.get("types") or {})}
    if "rules" in merged:
        rules = {str(r["id"]): r for r in merged["rules"]}
        for rule in over.get("rules") or []:
            rules[str(rule["id"])] = rule
        for rule_id in over.get("remove_rules") or []:
            rules.pop(str(rule_id))
        merged["rules"] = list(rules.values())
    return merged


@cache
def cin_spec(year: int) -> CinSpec:
    """The spec for a collection year; KeyError when the year has none."""
    data = read_year(CIN_DIR, year)
    code_lists = {
        name: CodeList(name, str(body["source"]).strip(),
                       {str(code): str(label) for code, label in body["codes"].items()})
        for name, body in data["code_lists"].items()
    }
    modules: dict[str, dict[str, FieldSpec]] = {}
    aliases: dict[str, dict[str, str]] = {}
    for module in MODULES:
        modules[module] = {}
        aliases[module] = {}
        for name, body in (data["modules"].get(module) or {}).items():
            spec = FieldSpec(name=name, module=module, type=body["type"],
                             code_list=body.get("list"), required=bool(body.get("required")),
                             repeated=bool(body.get("repeated")),
                             aliases=tuple(body.get("aliases") or ()),
                             rule=str(body["rule"]) if body.get("rule") else None)
            if spec.type not in FIELD_TYPES:
                raise SpecError(f"{year}: {module}.{name} has unknown type {spec.type}")
            if spec.type == "code" and spec.code_list not in code_lists:
                raise SpecError(f"{year}: {module}.{name} names unknown list {spec.code_list}")
            modules[module][name] = spec
            for alias in spec.aliases:
                aliases[module][alias] = name
    types = {name: TypeRule(str(body["rule"]), body["message"]) for name, body in data["types"].items()}
    rules = []
    for body in data["rules"]:
        params = {k: v for k, v in body.items()
                  if k not in {"id", "kind", "message", "source", "severity", "module"}}
        rule = RuleSpec(id=str(body["id"]), kind=body["kind"], message=body["message"].strip(),
                        source=str(body["source"]).strip(), severity=body.get("severity", "error"),
                        module=body.get("module"), params=params)
        if rule.kind not in RULE_KINDS:
            raise SpecError(f"{year}: rule {rule.id} has unknown kind {rule.kind}")
        rules.append(rule)
    return CinSpec(year=year, period=str(data["period"]), source=str(data["source"]).strip(),
                   code_lists=code_lists, modules=modules, aliases=aliases, types=types,
                   rules=tuple(rules), dfe_rules=tuple(dfe_rules_for(year)),
                   gender_from_sex={str(k): str(v) for k, v in
                                    (data.get("gender_from_sex") or {}).items()})


# -- DfE's validation rules: the rule table -----------------------------------------

DFE_CHECKS = frozenset({"field", "header", "procedural", "date_order", "in_period", "required",
                        "absent", "not_weekend", "no_duplicates", "alone", "unique_in_file",
                        "one_open", "no_overlap"})
_RULE_KEYS = {"severity", "message", "check", "module", "from", "until", "changes"}


@cache
def dfe_rule_table() -> dict:
    """The rule table as data: ``sources`` by year and ``rules`` by DfE rule number."""
    data = load_yaml((CIN_DIR / "dfe_rules.yaml").read_text())
    for rule_id, body in data["rules"].items():
        if body.get("check") not in DFE_CHECKS:
            raise SpecError(f"dfe_rules.yaml: rule {rule_id} has unknown check {body.get('check')}")
        if str(rule_id).endswith("Q") != (body.get("severity", "error") == "query"):
            raise SpecError(f"dfe_rules.yaml: rule {rule_id}: a query's number ends in Q")
    return data


def dfe_rule_body(rule_id: str, year: int) -> dict | None:
    """A rule's entry as it stands in ``year`` (its ``changes`` folded in), or None."""
    body = dfe_rule_table()["rules"].get(rule_id)
    if body is None or year < int(body.get("from", 2018)) or year > int(body.get("until", 9999)):
        return None
    merged = {k: v for k, v in body.items() if k != "changes"}
    for from_year, change in sorted((body.get("changes") or {}).items()):
        if year >= int(from_year):
            merged.update(change)
    return merged


def dfe_rules_for(year: int) -> list[DfeRule]:
    """The DfE rules in force for a collection year, in the table's order."""
    rules = []
    for rule_id in dfe_rule_table()["rules"]:
        body = dfe_rule_body(str(rule_id), year)
        if body is None:
            continue
        params = {k: v for k, v in body.items() if k not in _RULE_KEYS}
        names = set(params.get("fields") or [])
        for key in ("field", "earlier", "later", "start", "end", "report"):
            if isinstance(params.get(key), str):
                names.add(params[key].rsplit(".", 1)[-1])
        for key in ("when", "open", "open_only_when"):
            conditions = params.get(key) or []
            for cond in conditions if isinstance(conditions, list) else [conditions]:
                names.add(cond["field"].rsplit(".", 1)[-1])
        rules.append(DfeRule(id=str(rule_id), severity=body.get("severity", "error"),
                             message=str(body["message"]), check=body["check"],
                             module=body.get("module") or "", params=params,
                             fields=frozenset(names)))
    return rules


@cache
def dfe_la_codes() -> dict[str, int]:
    """DfE's LA numbers (old_la_code), each with the first collection year DfE's tables give it.

    From DfE's published children in need table B1 (data/dfe, Open Government
    Licence; see its README), which gives every English LA for each year ending
    31 March from 2012/13 (2013) on: an LA made in a reorganisation first appears
    in its first year (North and West Northamptonshire, 940 and 941, in 2021/22;
    Cumberland and Westmorland and Furness, 942 and 943, in 2023/24), and the LA it
    replaced stays listed (928, 909). LA numbers retired before 2012/13 are not in it.
    """
    import csv

    path = SPEC_DIR.parents[3] / "data" / "dfe" / "b1_children_in_need_2013_to_2025.csv"
    first: dict[str, int] = {}
    with path.open(newline="", encoding="utf-8-sig") as handle:
        for row in csv.DictReader(handle):
            code = (row.get("old_la_code") or "").strip()
            year = (row.get("time_period") or "").strip()
            if code.isdigit() and year.isdigit():
                first[code] = min(first.get(code, int(year)), int(year))
    return first


@cache
def upn_la_codes() -> frozenset[str]:
    """LA numbers a UPN's characters 2 to 4 may hold (rule 1530).

    DfE's own LA numbers, as they appear in DfE's published children in need
    tables (data/dfe, column old_la_code: ``dfe_la_codes``), and the pseudo-LA
    codes DfE's UPN guidance reserves (001 to 005).
    """
    return frozenset({f"{n:03d}" for n in range(1, 6)} | set(dfe_la_codes()))
