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


@dataclass(frozen=True)
class FieldSpec:
    name: str
    module: str
    type: str
    code_list: str | None = None
    required: bool = False
    repeated: bool = False
    aliases: tuple[str, ...] = ()


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
        target = merged["code_lists"][name]
        target["codes"] = {**target["codes"], **(change.get("add") or {})}
        for code in change.get("remove") or []:
            target["codes"].pop(code)
        if change.get("source"):
            target["source"] = change["source"]
    # The sections only some returns' specs have (the CIN census's fields and rules).
    for module, fields in (over.get("modules") or {}).items():
        merged["modules"].setdefault(module, {}).update(fields)
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
                             aliases=tuple(body.get("aliases") or ()))
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
                   rules=tuple(rules))
