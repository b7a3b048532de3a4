"""Check an Annex A workbook: which list each sheet is, its columns, then each row.

A sheet is recognised by its name ("List 3", "L3 Referrals", "Referrals")
or, failing that, by its column headings: the list whose own columns (not the
child's ID, gender and the like every list has) match most of the sheet's
headings. The heading row is looked for in the first rows, since many
workbooks put a title above it.

A row with no errors comes back as a ``CheckedRow``: typed values by column
key, with the identifying ones (names, UPN) apart: they go only to the child
index.
"""

from __future__ import annotations

import datetime as dt
import re
from collections.abc import Iterable, Iterator
from dataclasses import dataclass, field
from typing import Any

from openpyxl.utils.datetime import from_excel

from safeguarding.datasets.validation.annex_a_spec import AnnexASpec, Column, ListSpec
from safeguarding.datasets.validation.problems import ProblemLog

HEADER_SEARCH_ROWS = 12
EARLIEST = dt.date(1990, 1, 1)
_ID = re.compile(r"^[A-Za-z0-9][A-Za-z0-9/_.\-]{0,19}$")
_TEXT_MAX = 200
_DATE_FORMATS = ("%d/%m/%Y", "%d/%m/%y", "%Y-%m-%d", "%d-%m-%Y", "%d.%m.%Y", "%d %b %Y",
                 "%d %B %Y", "%d-%b-%Y", "%d-%b-%y", "%Y/%m/%d")


@dataclass
class Recognised:
    spec: ListSpec
    header_row: int
    columns: dict[int, str]  # position in the row -> column key
    headers: dict[str, str]  # column key -> the heading as the sheet words it
    by_name: bool


@dataclass
class CheckedRow:
    row: int
    values: dict[str, Any]
    identifying: dict[str, str] = field(default_factory=dict)

    def subject(self, spec: ListSpec) -> str:
        return self.values[spec.subject]


def _match_row(spec: ListSpec, cells: tuple) -> tuple[dict[int, str], dict[str, str]]:
    columns: dict[int, str] = {}
    headers: dict[str, str] = {}
    for position, cell in enumerate(cells):
        if cell is None or not str(cell).strip():
            continue
        key = spec.column_for(str(cell))
        if key is not None and key not in headers:
            columns[position] = key
            headers[key] = str(cell).strip()
    return columns, headers


def recognise(spec: AnnexASpec, sheet_name: str,
              first_rows: list[tuple[int, tuple]]) -> Recognised | None:
    """Which list the sheet is, and where its heading row is; None when it is none of them."""
    named = spec.list_for_sheet_name(sheet_name)
    candidates = [named] if named else list(spec.lists.values())
    best: tuple[float, int, Recognised] | None = None
    for candidate in candidates:
        distinctive = candidate.distinctive()
        for number, cells in first_rows:
            columns, headers = _match_row(candidate, cells)
            own = len(distinctive & set(headers))
            if named is None and (own < 2 or candidate.subject not in headers):
                continue
            if named is not None and not headers:
                continue
            score = (own / max(len(distinctive), 1), own)
            if best is None or score > best[:2]:
                best = (score[0], score[1],
                        Recognised(candidate, number, columns, headers, named is not None))
    return best[2] if best else None


def to_date(value: Any) -> dt.date | None:
    """A date from a date cell, an Excel serial number or text; None when it is not one."""
    if isinstance(value, dt.datetime):
        return value.date()
    if isinstance(value, dt.date):
        return value
    if isinstance(value, bool):
        return None
    if isinstance(value, int | float):
        if not 1 <= value < 2958466:  # Excel's serial numbers run from 1900 to 9999
            return None
        converted = from_excel(value)
        return converted.date() if isinstance(converted, dt.datetime) else None
    text = str(value).strip()
    if re.fullmatch(r"\d{5}(\.0+)?", text):
        return to_date(float(text))
    text = re.sub(r"[ T]00:00(:00)?(\.0+)?$", "", text)
    for fmt in _DATE_FORMATS:
        try:
            return dt.datetime.strptime(text, fmt).date()
        except ValueError:
            continue
    return None


def _as_text(value: Any) -> str:
    if isinstance(value, float) and value.is_integer():
        return str(int(value))
    if isinstance(value, dt.datetime | dt.date):
        return value.strftime("%d/%m/%Y")
    return str(value).strip()


def _outward(postcode: str) -> str:
    text = " ".join(postcode.upper().split())
    if " " in text:
        return text.split(" ")[0][:4]
    return text[:-3][:4] if len(text) > 4 else text[:4]


class ListChecker:
    """Checks the rows of one sheet recognised as one list."""

    def __init__(self, spec: AnnexASpec, found: Recognised, log: ProblemLog, *,
                 latest: dt.date):
        self.spec, self.found, self.log, self.latest = spec, found, log, latest
        self.list = found.spec
        self.first_of_key: dict[tuple, int] = {}
        self.subject_position = next((p for p, k in found.columns.items()
                                      if k == self.list.subject), None)

    def check_columns(self, header_cells: tuple) -> bool:
        """Missing, repeated and unknown headings; False when the sheet cannot be read."""
        lst, found, row = self.list, self.found, self.found.header_row
        ok = True
        seen: dict[str, str] = {}
        for cell in header_cells:
            if cell is None or not str(cell).strip():
                continue
            text = str(cell).strip()
            key = lst.column_for(text)
            if key is None:
                self.log.add("AA-COLUMN-UNKNOWN", self.spec.message(
                    "AA-COLUMN-UNKNOWN", header=text, number=lst.number), row=row, field=text,
                    severity="query")
            elif key in seen:
                self.log.add("AA-COLUMN-TWICE", self.spec.message(
                    "AA-COLUMN-TWICE", header=lst.columns[key].header, first=seen[key],
                    second=text), row=row, field=text)
                ok = False
            else:
                seen[key] = text
        for key, column in lst.columns.items():
            if column.required and key not in found.headers:
                self.log.add("AA-COLUMN-MISSING", self.spec.message(
                    "AA-COLUMN-MISSING", header=column.header, number=lst.number), row=row,
                    field=column.header)
                ok = False
        return ok

    def check(self, number: int, cells: tuple) -> CheckedRow | None:
        errors_before = self.log.errors
        at = self.subject_position
        raw_subject = cells[at] if at is not None and at < len(cells) else None
        child = "" if raw_subject is None else _as_text(raw_subject)[:100]
        values: dict[str, Any] = {}
        identifying: dict[str, str] = {}
        for position, key in self.found.columns.items():
            column = self.list.columns[key]
            raw = cells[position] if position < len(cells) else None
            if raw is None or (isinstance(raw, str) and not raw.strip()):
                if column.required:
                    self._error("AA-REQUIRED", number, child, key, number_=self.list.number)
                continue
            typed = self._typed(column, raw, number, child)
            if typed is None:
                continue
            if column.identifying:
                identifying[key] = typed
            elif column.stored:
                values[key] = typed
        for earlier, later in self.list.order:
            a, b = values.get(earlier), values.get(later)
            if isinstance(a, dt.date) and isinstance(b, dt.date) and b < a:
                self.log.add("AA-DATE-ORDER", self.spec.message(
                    "AA-DATE-ORDER", later=self.found.headers[later],
                    later_value=f"{b:%d/%m/%Y}", earlier=self.found.headers[earlier],
                    earlier_value=f"{a:%d/%m/%Y}"), row=number, child=child,
                    field=self.found.headers[later])
        if self.log.errors > errors_before:
            return None
        key_values = tuple(values.get(k) for k in self.list.key)
        first = self.first_of_key.get(key_values)
        if first is not None:
            shown = ", ".join(self.list.columns[k].header for k in self.list.key)
            self.log.add("AA-DUPLICATE", self.spec.message("AA-DUPLICATE", first=first,
                                                           key=shown),
                         row=number, child=child, field=self.found.headers[self.list.key[0]])
            return None
        self.first_of_key[key_values] = number
        return CheckedRow(number, values, identifying)

    def _error(self, rule: str, row: int, child: str, key: str, *, value: Any = "",
               number_: int | None = None, **params) -> None:
        column = self.list.columns[key]
        header = self.found.headers.get(key, column.header)
        self.log.add(rule, self.spec.message(rule, header=header, value=value,
                                             number=number_ or self.list.number, **params),
                     row=row, child=child, field=header)

    def _typed(self, column: Column, raw: Any, row: int, child: str) -> Any:
        key = column.key
        if column.type == "date":
            day = to_date(raw)
            if day is None:
                self._error("AA-DATE", row, child, key, value=_as_text(raw))
                return None
            if not EARLIEST <= day <= self.latest:
                self._error("AA-DATE-RANGE", row, child, key, value=f"{day:%d/%m/%Y}",
                            latest=self.latest.year)
                return None
            return day
        text = _as_text(raw)
        if column.type == "id":
            if not _ID.match(text):
                self._error("AA-CHILD-ID", row, child, key, value=text[:40])
                return None
            return text
        if column.type == "integer":
            number = to_int(raw)
            if number is None:
                self._error("AA-INTEGER", row, child, key, value=text[:40])
            return number
        if column.type == "code":
            code_list = self.spec.code_lists[str(column.code_list)]
            code = code_list.match(text)
            if code is None:
                self._error("AA-CODE", row, child, key, value=text[:60],
                            list=code_list.name.replace("_", " "))
            return code
        if column.type == "upn":
            return text.upper()[:13]
        if column.type == "postcode":
            return _outward(text)
        return text[:_TEXT_MAX]


def to_int(raw: Any) -> int | None:
    if isinstance(raw, bool):
        return None
    if isinstance(raw, int):
        return raw if raw >= 0 else None
    if isinstance(raw, float):
        return int(raw) if raw.is_integer() and raw >= 0 else None
    text = str(raw).strip()
    return int(text) if text.isdigit() else None


def peek(rows: Iterator[tuple[int, tuple]], count: int = HEADER_SEARCH_ROWS
         ) -> tuple[list[tuple[int, tuple]], Iterable[tuple[int, tuple]]]:
    """The first ``count`` rows, and an iterator over every row (those first included)."""
    first: list[tuple[int, tuple]] = []
    for item in rows:
        first.append(item)
        if len(first) >= count:
            break

    def again() -> Iterator[tuple[int, tuple]]:
        yield from first
        yield from rows

    return first, again()
