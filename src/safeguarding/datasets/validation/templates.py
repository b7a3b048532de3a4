"""Agency CSV templates as data: each template's columns, types, code lists, keys and rules.

One YAML file per template in specs/templates/ (named by its import kind),
plus _common.yaml for what every template shares: the child's identifier
columns, the shared code lists, the rule messages and how an extract states
its period. ``template_spec(kind)`` returns one frozen spec; the generic
checker (``validation.template_rows``), loader (``loader.agency``) and the
documentation (``docs/data-templates/``, made by ``template_docs``) all read it.
"""

from __future__ import annotations

from dataclasses import dataclass
from functools import cache
from pathlib import Path
from typing import Any

from safeguarding.core.yaml_data import load_yaml
from safeguarding.datasets.validation.specs import SPEC_DIR, CodeList, SpecError

TEMPLATE_DIR = SPEC_DIR / "templates"
COLUMN_TYPES = frozenset({"text", "date", "datetime", "integer", "code", "codes", "nhs_number",
                          "upn", "la_child_id", "postcode", "la_code", "urn"})
RULE_KINDS = frozenset({"date_order", "required_if", "birth_before", "not_more_than"})
TYPE_LABELS = {
    "text": "text", "date": "date (YYYY-MM-DD)", "datetime": "date and time (YYYY-MM-DD HH:MM)",
    "integer": "whole number", "code": "code", "codes": "codes separated by ;",
    "nhs_number": "NHS number", "upn": "UPN", "la_child_id": "LA child ID",
    "postcode": "postcode", "la_code": "LA code (3 digits)", "urn": "school URN (6 digits)",
}


@dataclass(frozen=True)
class Column:
    name: str
    type: str
    description: str
    required: bool = False
    max_length: int | None = None
    code_list: str | None = None
    source: str = ""
    identity: bool = False

    @property
    def type_label(self) -> str:
        return TYPE_LABELS[self.type]


@dataclass(frozen=True)
class TemplateSpec:
    kind: str
    title: str
    description: str
    source: str
    sent_by: tuple[str, ...]
    record_key: tuple[str, ...]
    span: tuple[str, str]
    columns: tuple[Column, ...]
    code_lists: dict[str, CodeList]
    rules: tuple[dict[str, Any], ...]
    messages: dict[str, str]
    period_text: str
    resend_text: str
    identity_text: str

    @property
    def column_names(self) -> list[str]:
        return [c.name for c in self.columns]

    def column(self, name: str) -> Column:
        return next(c for c in self.columns if c.name == name)

    @property
    def record_columns(self) -> list[Column]:
        return [c for c in self.columns if not c.identity]

    def message(self, rule: str, **params) -> str:
        return self.messages[rule].format(**params)


def template_kinds() -> list[str]:
    return sorted(p.stem for p in TEMPLATE_DIR.glob("*.yaml") if not p.stem.startswith("_"))


@cache
def _common() -> dict:
    return load_yaml((TEMPLATE_DIR / "_common.yaml").read_text())


def _column(raw: dict, *, identity: bool, where: str) -> Column:
    if raw.get("type") not in COLUMN_TYPES:
        raise SpecError(f"{where}: column {raw.get('name')} has unknown type {raw.get('type')}")
    if raw["type"] in ("code", "codes") and not raw.get("code_list"):
        raise SpecError(f"{where}: column {raw['name']} needs a code_list")
    return Column(name=raw["name"], type=raw["type"], description=" ".join(
        str(raw.get("description", "")).split()), required=bool(raw.get("required")),
        max_length=raw.get("max_length"), code_list=raw.get("code_list"),
        source=raw.get("source", ""), identity=identity)


@cache
def template_spec(kind: str) -> TemplateSpec:
    path = TEMPLATE_DIR / f"{kind}.yaml"
    if not path.exists():
        raise KeyError(kind)
    data = load_yaml(path.read_text())
    common = _common()
    if data.get("kind") != kind:
        raise SpecError(f"{path.name} says kind {data.get('kind')}")
    columns = [_column(c, identity=False, where=path.name) for c in data["columns"]]
    identity = [_column(c, identity=True, where="_common.yaml")
                for c in common["identity_columns"]]
    all_columns = (*identity[:1], *columns, *identity[1:])
    names = [c.name for c in all_columns]
    if len(names) != len(set(names)):
        raise SpecError(f"{path.name}: a column name is repeated")
    code_lists = {
        name: CodeList(name=name, source=body["source"],
                       codes={str(k): str(v) for k, v in body["codes"].items()})
        for name, body in {**common["code_lists"], **(data.get("code_lists") or {})}.items()
    }
    for column in all_columns:
        if column.code_list and column.code_list not in code_lists:
            raise SpecError(f"{path.name}: column {column.name} names unknown code list "
                            f"{column.code_list}")
    for key in (*data["record_key"], *[s for s in data["span"] if s]):
        if key not in names:
            raise SpecError(f"{path.name}: {key} is not a column")
    rules = tuple(data.get("rules") or ())
    for rule in rules:
        if rule.get("kind") not in RULE_KINDS:
            raise SpecError(f"{path.name}: unknown rule kind {rule.get('kind')}")
        for part in ("earlier", "later", "column", "when", "unless", "limit"):
            if part in rule and rule[part] not in names:
                raise SpecError(f"{path.name}: rule names unknown column {rule[part]}")
    return TemplateSpec(
        kind=kind, title=data["title"], description=" ".join(data["description"].split()),
        source=data["source"], sent_by=tuple(data["sent_by"]),
        record_key=tuple(data["record_key"]), span=(data["span"][0], data["span"][1]),
        columns=tuple(all_columns), code_lists=code_lists, rules=rules,
        messages=dict(common["rules"]),
        period_text=" ".join(common["period"]["description"].split()),
        resend_text=" ".join(common["resend"]["description"].split()),
        identity_text=" ".join(common["identity_rule"]["description"].split()),
    )


def period_source() -> str:
    return _common()["period"]["source"]


def template_dir() -> Path:
    return TEMPLATE_DIR
