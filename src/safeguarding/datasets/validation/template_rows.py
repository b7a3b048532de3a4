"""Check an agency template's header and rows against its spec, turning cells into values.

Every problem names the row, the column (field), the rule and says what is
wrong in plain English; the person_id of the row is given as the child, since
it is the sending agency's own key and no name. A row with any error is not
returned, so nothing of it can be loaded.
"""

from __future__ import annotations

import datetime as dt
import re
from dataclasses import dataclass
from typing import Any

from django.core.exceptions import ValidationError

from safeguarding.children import identifiers
from safeguarding.datasets.validation.problems import ProblemLog
from safeguarding.datasets.validation.templates import Column, TemplateSpec

_INTEGER = re.compile(r"^\d+$")
_URN = re.compile(r"^\d{6}$")
_LA_CODE = re.compile(r"^\d{3}$")
_POSTCODE = re.compile(r"^([A-Z]{1,2}\d[A-Z\d]?)\s*(\d[A-Z]{2})$")
_DATETIME_FORMATS = ("%Y-%m-%d %H:%M", "%Y-%m-%d %H:%M:%S", "%Y-%m-%dT%H:%M",
                     "%Y-%m-%dT%H:%M:%S")


@dataclass
class Layout:
    index: dict[str, int]
    width: int


@dataclass
class CheckedRow:
    line: int
    values: dict[str, Any]
    key: tuple[str, ...]
    la: str

    @property
    def key_text(self) -> str:
        return "|".join(self.key)


def _as_date(value: Any) -> Any:
    if isinstance(value, dt.datetime):
        return value.date()
    return value


def _described(value) -> str:
    if isinstance(value, dt.datetime):
        return f"{value:%Y-%m-%d %H:%M}"
    return str(value)


class TemplateRowChecker:
    """Checks one file: ``layout(header)`` first, then ``check(line, cells)`` for each row."""

    def __init__(self, spec: TemplateSpec, log: ProblemLog, *, period_start: dt.date,
                 period_end: dt.date, period_label: str, las: list[str]):
        self.spec = spec
        self.log = log
        self.period = (period_start, period_end, period_label)
        self.las = las
        self.first_row: dict[tuple[str, ...], int] = {}
        self.layout_: Layout | None = None

    def _add(self, rule: str, *, row: int | None = None, field: str = "", child: str = "",
             severity: str = "error", **params) -> None:
        self.log.add(rule, self.spec.message(rule, **params), row=row, field=field, child=child,
                     severity=severity)

    def layout(self, header: list[str]) -> Layout | None:
        names = [h.strip() for h in header]
        seen: set[str] = set()
        for name in names:
            if name in seen:
                self._add("SCP-TPL-COLUMN-DUPLICATE", row=1, field=name, column=name)
            seen.add(name)
        for column in self.spec.columns:
            if column.required and column.name not in seen:
                self._add("SCP-TPL-COLUMN-MISSING", row=1, field=column.name, column=column.name,
                          template=self.spec.title)
        known = set(self.spec.column_names)
        for name in names:
            if name and name not in known:
                self._add("SCP-TPL-COLUMN-UNKNOWN", row=1, field=name, column=name,
                          template=self.spec.title, severity="query")
        if self.log.has_errors:
            return None
        self.layout_ = Layout(index={n: i for i, n in enumerate(names) if n in known},
                              width=len(names))
        return self.layout_

    def check(self, line: int, cells: list[str]) -> CheckedRow | None:
        assert self.layout_ is not None
        layout, spec = self.layout_, self.spec
        errors_before = self.log.errors
        if len(cells) != layout.width:
            self._add("SCP-TPL-CELLS", row=line, found=len(cells), expected=layout.width)
            return None
        raw = {name: cells[i].strip() for name, i in layout.index.items()}
        child = raw.get("person_id", "")[:100]
        values: dict[str, Any] = {}
        for column in spec.columns:
            text = raw.get(column.name, "")
            if not text:
                if column.required:
                    self._add("SCP-TPL-REQUIRED", row=line, field=column.name, child=child,
                              column=column.name)
                values[column.name] = [] if column.type == "codes" else None
                continue
            values[column.name] = self._value(column, text, line, child)
        la = self._la(values.get("la_code"), line, child)
        if self.log.errors == errors_before:
            self._rules(values, line, child)
        if self.log.errors == errors_before:
            self._identity(values, line, child)
            self._in_period(values, line, child)
        key = tuple(str(values.get(k) or "") for k in spec.record_key)
        if self.log.errors > errors_before:
            return None
        first = self.first_row.get(key)
        if first is not None:
            self._add("SCP-TPL-DUPLICATE-KEY", row=line, child=child,
                      field=", ".join(spec.record_key), key=" and ".join(spec.record_key),
                      first_row=first)
            return None
        self.first_row[key] = line
        return CheckedRow(line=line, values=values, key=key, la=la or "")

    # -- one cell ---------------------------------------------------------------------
    def _value(self, column: Column, text: str, line: int, child: str):
        name, kind = column.name, column.type
        add = self._add
        if column.max_length and len(text) > column.max_length:
            add("SCP-TPL-LENGTH", row=line, field=name, child=child, column=name,
                max_length=column.max_length)
            return None
        if kind == "text":
            return text
        if kind == "date":
            try:
                return dt.date.fromisoformat(text) if len(text) == 10 else _bad()
            except ValueError:
                add("SCP-TPL-DATE", row=line, field=name, child=child, column=name, value=text)
                return None
        if kind == "datetime":
            for shape in _DATETIME_FORMATS:
                try:
                    return dt.datetime.strptime(text, shape)
                except ValueError:
                    continue
            add("SCP-TPL-DATETIME", row=line, field=name, child=child, column=name, value=text)
            return None
        if kind == "integer":
            if _INTEGER.match(text):
                return int(text)
            add("SCP-TPL-INTEGER", row=line, field=name, child=child, column=name, value=text)
            return None
        if kind in ("code", "codes"):
            assert column.code_list is not None
            codes = self.spec.code_lists[column.code_list].codes
            parts = [p.strip() for p in text.split(";") if p.strip()] if kind == "codes" \
                else [text]
            bad = [p for p in parts if p not in codes]
            for part in bad:
                add("SCP-TPL-CODE", row=line, field=name, child=child, value=part,
                    code_list=column.code_list.replace("_", " "), codes=", ".join(codes))
            if bad:
                return None
            return sorted(set(parts)) if kind == "codes" else text
        if kind == "nhs_number":
            try:
                return identifiers.validate_nhs_number(text)
            except ValidationError as error:
                add("SCP-TPL-NHS", row=line, field=name, child=child, value=text,
                    reason=error.messages[0])
                return None
        if kind == "upn":
            try:
                return identifiers.validate_upn(text)
            except ValidationError as error:
                add("SCP-TPL-UPN", row=line, field=name, child=child, value=text,
                    reason=error.messages[0])
                return None
        if kind == "la_child_id":
            if identifiers.LA_CHILD_ID_SHAPE.match(text):
                return text
            add("SCP-TPL-LA-CHILD-ID", row=line, field=name, child=child, value=text)
            return None
        if kind == "postcode":
            m = _POSTCODE.match(text.upper())
            if m:
                return f"{m[1]} {m[2]}"
            add("SCP-TPL-POSTCODE", row=line, field=name, child=child, value=text)
            return None
        if kind == "urn":
            if _URN.match(text):
                return text
            add("SCP-TPL-URN", row=line, field=name, child=child, value=text)
            return None
        if kind == "la_code":
            if _LA_CODE.match(text) and text in self.las:
                return text
            add("SCP-TPL-LA", row=line, field=name, child=child, value=text,
                known=", ".join(self.las))
            return None
        raise AssertionError(kind)

    def _la(self, value: str | None, line: int, child: str) -> str | None:
        if value:
            return value
        if len(self.las) == 1:
            return self.las[0]
        self._add("SCP-TPL-LA-NEEDED", row=line, field="la_code", child=child,
                  known=", ".join(self.las))
        return None

    # -- rules across cells ------------------------------------------------------------
    def _rules(self, values: dict, line: int, child: str) -> None:
        for rule in self.spec.rules:
            kind = rule["kind"]
            if kind == "date_order":
                earlier, later = values.get(rule["earlier"]), values.get(rule["later"])
                if earlier is None or later is None:
                    continue
                if isinstance(earlier, dt.datetime) != isinstance(later, dt.datetime):
                    earlier, later = _as_date(earlier), _as_date(later)
                if later < earlier:
                    self._add("SCP-TPL-DATE-ORDER", row=line, field=rule["later"], child=child,
                              later=rule["later"], later_value=_described(later),
                              earlier=rule["earlier"], earlier_value=_described(earlier))
            elif kind == "required_if":
                trigger = values.get(rule["when"])
                if trigger in (None, []) or values.get(rule["column"]) not in (None, []):
                    continue
                if "equals" in rule and trigger != rule["equals"]:
                    continue
                if rule.get("unless") and values.get(rule["unless"]) is not None:
                    continue
                shown = rule.get("equals", "given")
                self._add("SCP-TPL-REQUIRED-IF", row=line, field=rule["column"], child=child,
                          column=rule["column"], when=rule["when"], value=shown)
            elif kind == "birth_before":
                born, other = values.get("date_of_birth"), _as_date(values.get(rule["column"]))
                if born is not None and other is not None and born > other:
                    self._add("SCP-TPL-BIRTH-AFTER", row=line, field="date_of_birth", child=child,
                              value=born, column=rule["column"], other=other)
            elif kind == "not_more_than":
                value, limit = values.get(rule["column"]), values.get(rule["limit"])
                if value is not None and limit is not None and value > limit:
                    self._add("SCP-TPL-MORE-THAN", row=line, field=rule["column"], child=child,
                              column=rule["column"], value=value, limit=rule["limit"],
                              limit_value=limit)

    def _identity(self, values: dict, line: int, child: str) -> None:
        if any(values.get(k) for k in ("nhs_number", "upn", "la_child_id")):
            return
        if values.get("last_name") and values.get("date_of_birth"):
            return
        self._add("SCP-TPL-IDENTITY", row=line, field="nhs_number", child=child)

    def _in_period(self, values: dict, line: int, child: str) -> None:
        start_col, end_col = self.spec.span
        start = _as_date(values.get(start_col))
        end = _as_date(values.get(end_col)) if end_col else None
        period_start, period_end, label = self.period
        if start is None:
            return
        if start > period_end or (end is not None and end < period_start):
            self._add("SCP-TPL-OUTSIDE-PERIOD", row=line, field=start_col, child=child,
                      start=start, end=end or "open", period=label)


def _bad():
    raise ValueError
