"""Check a CIN census return against the spec of its collection year.

The header is checked first (collection, year, reference date, LA). Then each
child, as the reader yields it: field types and code lists, then the rules
across fields. A child with no errors comes back as a record of plain values
(dates as ISO strings), which is what the loader stores and merges.
"""

from __future__ import annotations

import datetime as dt
import re
from dataclasses import dataclass

from django.core.exceptions import ValidationError

from safeguarding.children import identifiers
from safeguarding.datasets.readers.cin_xml import MODULE_ELEMENTS, Header, RawNode
from safeguarding.datasets.validation.cin_rules import DfeChecker
from safeguarding.datasets.validation.first_lines import FirstLines
from safeguarding.datasets.validation.problems import ProblemLog
from safeguarding.datasets.validation.specs import (
    CinSpec,
    FieldSpec,
    RuleSpec,
    cin_common,
    cin_spec,
    cin_years,
    dfe_rule_body,
    period_label,
)

_DATE = re.compile(r"^\d{4}-\d{2}-\d{2}$", re.ASCII)
_TRUE, _FALSE = {"true", "1"}, {"false", "0"}
# Record keys for the parts of a child, and the field each part is keyed by
# when returns for different years are merged.
PART_KEYS = {"episode": "episodes", "assessment": "assessments", "cin_plan": "cin_plans",
             "section47": "section47s", "cpp": "cpps"}
PART_OF = {"episode": "child", "assessment": "episode", "cin_plan": "episode",
           "section47": "episode", "cpp": "episode"}
ELEMENT_OF = {"child": "Child", **{m: e for e, m in MODULE_ELEMENTS.items()}}
TEXT_MAX = 100
LA_CHILD_ID_MAX = 20  # DfE: 1570 (from 2024/25; accepted in every year)
UPN_LENGTH = 13
# Type errors a field's own DfE rule (its `rule:` in the spec) reports: a missing
# or unreadable value. An LAchildID's length and characters have their own.
DFE_TYPE_ERRORS = frozenset({"required", "code", "date", "integer", "boolean"})


def _fields_of(rule: RuleSpec) -> set[str]:
    params = rule.params
    names = set(params.get("fields") or ()) if isinstance(params.get("fields"), list) else set()
    for key in ("earlier", "later", "field"):
        if params.get(key):
            names.add(params[key])
    return names


def common_message(rule: str, **params) -> str:
    return cin_common()[rule].format(**params)


@dataclass(frozen=True)
class CheckedHeader:
    spec: CinSpec
    la_code: str
    reference_date: str
    source_datetime: str


def check_header(header: Header | None, log: ProblemLog, *, covered_la_codes: set[str],
                 partnership_code: str) -> tuple[CheckedHeader | None, bool]:
    """Check the header; return it and whether the return must be refused outright."""
    if header is None:
        log.add("SCP-HEADER-MISSING", common_message("SCP-HEADER-MISSING", field="Header"),
                row=1, field="Header")
        return None, False
    values, line = header.values, header.line
    for name in ("Collection", "Year", "ReferenceDate", "LEA"):
        if not values.get(name):
            log.add("SCP-HEADER-MISSING", common_message("SCP-HEADER-MISSING", field=name),
                    row=line, field=name)
    if log.has_errors:
        return None, False
    if values["Collection"].upper() != "CIN":
        log.add("SCP-HEADER-COLLECTION",
                common_message("SCP-HEADER-COLLECTION", value=values["Collection"]),
                row=line, field="Collection")
    years = cin_years()
    year = int(values["Year"]) if values["Year"].isdigit() else None
    if year not in years:
        supported = ", ".join(period_label(y) for y in years)
        log.add("SCP-HEADER-YEAR",
                common_message("SCP-HEADER-YEAR", value=values["Year"], years=supported),
                row=line, field="Year")
        return None, True
    spec = cin_spec(year)
    if values["ReferenceDate"] != spec.reference_date.isoformat():
        wording = (dfe_rule_body("100", year) or {}).get("message", "")
        detail = common_message("SCP-HEADER-REFERENCE-DATE", value=values["ReferenceDate"],
                                year=year, period=spec.period)
        log.add("100", f"{wording} ({detail})" if wording else detail,
                row=line, field="ReferenceDate")
    la_code = values["LEA"]
    if la_code not in covered_la_codes:
        log.add("SCP-HEADER-LA", common_message("SCP-HEADER-LA", value=la_code,
                                                partnership=partnership_code),
                row=line, field="LEA")
        return None, True
    if log.has_errors:
        return None, False
    return CheckedHeader(spec=spec, la_code=la_code, reference_date=values["ReferenceDate"],
                         source_datetime=values.get("DateTime", "")), False


class ChildChecker:
    """Checks children one at a time; remembers only the keys needed for duplicates."""

    def __init__(self, spec: CinSpec, log: ProblemLog):
        self.spec = spec
        self.log = log
        self.reference = spec.reference_date.isoformat()
        self.period_start = spec.period_start.isoformat()
        self.first_lines: dict[str, FirstLines] = {}
        self.rules = {module: spec.rules_for(module) for module in spec.modules}
        # Looked up once, not for every part of every child.
        self._checks = {module: [(rule, getattr(self, f"_rule_{rule.kind}"), _fields_of(rule))
                                 for rule in rules] for module, rules in self.rules.items()}
        self._blank = {module: ([s.name for s in specs.values() if s.repeated],
                                [s.name for s in specs.values() if not s.repeated],
                                [s for s in specs.values() if s.required])
                       for module, specs in spec.modules.items()}
        self._part_keys = {module: [key for part, key in PART_KEYS.items()
                                    if PART_OF[part] == module] for module in ELEMENT_OF}
        self.after_reference: dict[str, list[str]] = {}
        self.after_reference_rule: RuleSpec | None = None
        for rule in spec.rules:
            if rule.kind == "not_after_reference_date":
                self.after_reference_rule = rule
                self.after_reference = {m: list(f) for m, f in rule.params["fields"].items()}
        self._child_id = ""
        self.dfe = DfeChecker(spec, log)
        self._nodes: dict[int, RawNode] = {}
        self._invalid: set[str] = set()
        self.gender_from_sex = spec.gender_from_sex

    # -- one child ---------------------------------------------------------

    def check(self, node: RawNode) -> dict | None:
        """Return the child's record, or None when it has errors (logged)."""
        errors_before = self.log.errors
        self._child_id = node.fields.get("LAchildID", "")
        self._nodes = {}
        self._invalid = set()
        self.dfe.empty_reviews = set()
        record = self._part(node, None, {})
        if self.gender_from_sex:
            # DfE's Sex (M/F/U) as the GenderCurrent coding the measures read.
            record["GenderCurrent"] = self.gender_from_sex.get(record.get("Sex") or "")
        self.dfe.check(record, self._nodes, self._invalid)
        if self.log.errors > errors_before:
            return None
        return record

    def finish(self) -> None:
        """The rules about the whole return (DfE 2883, 2886Q...), once every child is read."""
        self.dfe.finish()

    def _part(self, node: RawNode, child: dict | None, keys_seen: dict) -> dict:
        """Check one part and the parts inside it; ``child`` is the child's values."""
        module = node.module
        values, invalid = self._fields(node)
        self._nodes[id(values)] = node
        if invalid:
            self._invalid |= invalid
        if module == "child":
            child = values
        self._rules(module, node, values, {"child": child, module: values}, keys_seen, invalid)
        self._after_reference(module, node, values)
        for part_module, nodes in node.parts.items():
            if PART_OF.get(part_module) != module:
                for sub in nodes:
                    self.log.add("SCP-MISPLACED", common_message(
                        "SCP-MISPLACED", element=ELEMENT_OF[part_module],
                        parent=ELEMENT_OF[module], expected=ELEMENT_OF[PART_OF[part_module]]),
                        row=sub.line, child=self._child_id, field=ELEMENT_OF[part_module])
                continue
            values[PART_KEYS[part_module]] = [self._part(sub, child, keys_seen) for sub in nodes]
        for key in self._part_keys[module]:
            values.setdefault(key, [])
        return values

    def _fields(self, node: RawNode) -> tuple[dict, set[str]]:
        """Typed values of a part's fields, and the names of fields given but invalid."""
        specs = self.spec.modules[node.module]
        aliases = self.spec.aliases[node.module]
        repeated, single, required = self._blank[node.module]
        values: dict = dict.fromkeys(single)
        for name in repeated:
            values[name] = []
        invalid: set[str] = set()
        for raw_name, line in node.repeats:
            name = aliases.get(raw_name, raw_name)
            if name in specs:
                self._type_error("repeated", specs[name], "", line)
        for raw_name, text in node.fields.items():
            name = aliases.get(raw_name, raw_name)
            spec = specs.get(name)
            if spec is None or text == "":
                continue
            line = node.field_lines.get(raw_name, node.line)
            typed = self._typed(spec, text, line)
            if typed is None:
                invalid.add(name)
            values[name] = [typed] if spec.repeated and typed is not None else typed
        for raw_name, items in node.lists.items():
            name = aliases.get(raw_name, raw_name)
            spec = specs.get(name)
            if spec is None:
                continue
            if not spec.repeated and len(items) > 1:
                self._type_error("repeated", spec, "", items[1][1])
            if spec.repeated and any(text == "" for text, _line in items):
                self.dfe.empty_reviews.add(id(values))  # an empty element: DfE 8842Q
                items = [(text, line) for text, line in items if text != ""]
            typed_items = [self._typed(spec, text, line) for text, line in items]
            if None in typed_items:
                invalid.add(name)
            if spec.repeated:
                values[name].extend(v for v in typed_items if v is not None)
            elif typed_items:
                values[name] = typed_items[0]
        for spec in required:
            if values[spec.name] in (None, []) and spec.name not in invalid:
                self._type_error("required", spec, "", node.line)
        return values, invalid

    def _typed(self, spec: FieldSpec, text: str, line: int):
        kind = spec.type
        if kind == "text":
            if len(text) > TEXT_MAX:
                return self._type_error("text", spec, text, line)
            return text
        if kind == "date":
            try:
                if not _DATE.match(text):
                    raise ValueError
                dt.date.fromisoformat(text)  # a real day: not 2021-02-30
                return text
            except ValueError:
                return self._type_error("date", spec, text, line)
        if kind == "code":
            if text in self.spec.code_lists[spec.code_list or ""].codes:
                return text
            return self._type_error("code", spec, text, line)
        if kind == "integer":
            return int(text) if text.isdigit() else self._type_error("integer", spec, text, line)
        if kind == "boolean":
            lowered = text.lower()
            if lowered in _TRUE:
                return True
            if lowered in _FALSE:
                return False
            return self._type_error("boolean", spec, text, line)
        if kind == "la_child_id":
            if len(text) > LA_CHILD_ID_MAX:
                return self._type_error("la_child_id_length", spec, text, line)
            if not text.isascii() or not text.isalnum():
                return self._type_error("la_child_id_chars", spec, text, line)
            return text
        if len(text) == UPN_LENGTH:
            return text  # DfE's rules 1510 to 1550 judge a UPN of the right length
        try:  # upn
            return identifiers.validate_upn(text)
        except ValidationError as error:
            reason = error.messages[0].split(": ", 1)[-1]
            return self._type_error("upn", spec, text, line, reason=reason[0].lower() + reason[1:])

    def _type_error(self, type_name: str, spec: FieldSpec, value: str, line: int, **extra):
        rule = self.spec.types[type_name]
        message = rule.message.format(
            field=spec.name, value=value, period=self.spec.period,
            list_label=self.spec.code_list_label(spec.code_list or ""), **extra)
        rule_id = rule.rule
        dfe = self.spec.dfe_rule(spec.rule) if spec.rule and type_name in DFE_TYPE_ERRORS else None
        if dfe is not None:
            rule_id, message = dfe.id, f"{dfe.message.strip()} ({message})"
        self.log.add(rule_id, message, row=line, child=self._child_id, field=spec.name)
        return None

    # -- rules across fields ------------------------------------------------

    def _rules(self, module: str, node: RawNode, values: dict, context: dict,
               keys_seen: dict, invalid: set[str]) -> None:
        for rule, check, fields in self._checks.get(module, ()):
            if invalid and invalid & fields:
                continue  # the bad value is already reported; a second message would mislead
            check(rule, node, values, context, keys_seen)

    def _line(self, node: RawNode, name: str) -> int:
        return node.field_lines.get(name, node.line)

    def _fail(self, rule: RuleSpec, node: RawNode, field_name: str, **params) -> None:
        self.log.add(rule.id, rule.message.format(**params), row=self._line(node, field_name),
                     child=self._child_id, field=field_name, severity=rule.severity)

    def _rule_one_of_required(self, rule, node, values, context, keys_seen):
        fields = rule.params["fields"]
        if all(values.get(f) in (None, []) for f in fields):
            self._fail(rule, node, fields[0])

    def _rule_date_order(self, rule, node, values, context, keys_seen):
        earlier, later = rule.params["earlier"], rule.params["later"]
        first, second = values.get(earlier), values.get(later)
        if first and second and second < first:
            self._fail(rule, node, later, earlier_value=first, later_value=second)

    def _rule_both_or_neither(self, rule, node, values, context, keys_seen):
        present = [values.get(f) not in (None, []) for f in rule.params["fields"]]
        if any(present) and not all(present):
            missing = next(f for f, p in zip(rule.params["fields"], present, strict=True) if not p)
            self._fail(rule, node, missing)

    def _rule_required_if_code(self, rule, node, values, context, keys_seen):
        if values.get(rule.params["field"]) in rule.params["codes"]:
            other = context.get(rule.params["then_module"]) or {}
            if other.get(rule.params["then_field"]) in (None, []):
                self._fail(rule, node, rule.params["field"])

    def _rule_not_before_period_start(self, rule, node, values, context, keys_seen):
        value = values.get(rule.params["field"])
        if value and value < self.period_start:
            self._fail(rule, node, rule.params["field"], value=value, period=self.spec.period,
                       period_start=self.period_start)

    def _rule_unique_in_file(self, rule, node, values, context, keys_seen):
        value = values.get(rule.params["field"])
        if value is None:
            return
        seen = self.first_lines.get(rule.id)
        if seen is None:
            seen = self.first_lines[rule.id] = FirstLines()
        first = seen.first_or_add(str(value), node.line)
        if first is not None:
            self._fail(rule, node, rule.params["field"], value=value, first_line=first)

    def _rule_unique_within_child(self, rule, node, values, context, keys_seen):
        value = values.get(rule.params["field"])
        if value is None:
            return
        seen = keys_seen.setdefault(rule.id, {})
        if value in seen:
            self._fail(rule, node, rule.params["field"], value=value, first_line=seen[value])
        else:
            seen[value] = self._line(node, rule.params["field"])

    def _rule_not_after_reference_date(self, rule, node, values, context, keys_seen):
        """Checked for every module in _after_reference."""

    def _after_reference(self, module: str, node: RawNode, values: dict) -> None:
        rule = self.after_reference_rule
        if rule is None:
            return
        for name in self.after_reference.get(module, ()):
            value = values.get(name)
            for item in value if isinstance(value, list) else [value]:
                if item and item > self.reference:
                    self._fail(rule, node, name, field=name, value=item,
                               reference_date=self.reference)
