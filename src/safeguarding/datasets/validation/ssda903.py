"""Check an SSDA903 return: recognise each table by its columns, then check every row.

Order: each file is matched to a table by its header row; the collection
year is taken from ``--year`` or inferred from the data; then every row is
checked against the year's code lists (types, required columns, codes), then
across rows and tables (duplicate keys, every child in the Header table, DOB
the same as the Header's, DEC not before DECOM, DECOM not before DOB, no
event after the year's 31 March). A return with no errors comes back as one
record per child of plain values (dates as ISO strings), streamed a child at a
time from an on-disk spool (``ChildSpool``), which the loader stores and merges.

The collection year rule: the 903 year ends on 31 March, and a return holds
what happened up to the end of its year. So, unless given, the year is the
one ending 31 March that contains the latest event date in the return
(DECOM, DEC, REVIEW, MIS_START, MIS_END, DATE_INT, DATE_MATCH, DATE_PLACED,
DATE_PLACED_CEASED): a latest date of 15 March 2021 gives 2020/21, of
2 April 2021 gives 2021/22.
"""

from __future__ import annotations

import datetime as dt
import functools
import re
import sqlite3
from collections import Counter
from collections.abc import Callable, Iterable, Iterator, Mapping
from dataclasses import dataclass, field
from typing import Any

import orjson
from django.core.exceptions import ValidationError

from safeguarding.children import identifiers
from safeguarding.datasets.readers.ssda903 import CsvFile, Refused, Rows, header
from safeguarding.datasets.validation import ssda903_rules as dfe_rules
from safeguarding.datasets.validation.problems import ProblemLog
from safeguarding.datasets.validation.specs import period_label
from safeguarding.datasets.validation.ssda903_spec import (
    Column,
    Ssda903Spec,
    Table,
    date_formats,
    message,
    spec,
    tables,
    years,
)

# Dates that place a return in its year; dates of birth and DUC (often in the future) do not.
EVENT_DATES = {"episodes": ("DECOM", "DEC"), "reviews": ("REVIEW",),
               "missing": ("MIS_START", "MIS_END"), "ad1": ("DATE_INT", "DATE_MATCH"),
               "placed_adoption": ("DATE_PLACED", "DATE_PLACED_CEASED")}
# Tables with at most one row per child; the others are lists keyed by their `key` column.
ONE_PER_CHILD = ("uasc", "oc2", "oc3", "prev_perm")
UPN_UNKNOWN = re.compile(r"^UN([1-9]|10)$")
_PARTIAL_DATE = re.compile(r"^(\d{2}|zz|ZZ)/(\d{2}|zz|ZZ)/\d{4}$")
TEXT_MAX = 100


@dataclass
class RawTable:
    table: Table
    file: str
    columns: list[str]
    # Read afresh from the file each time they are gone through, never held.
    rows: Rows


class ChildSpool:
    """Each child's checked rows from every table, kept on disk until the return is clean.

    A 903 return is one file per table, each in its own order, so a child's rows
    come together only when every table has been read. They wait here, in
    SQLite's private temporary database (a file of its own, removed on close)
    with a 1 MB page cache, not in a dict of every child: memory stays flat
    however large the return (ADR 0009, 0012). The Header rows, the first line
    of each table key (the duplicate rule) and every Header CHILD (valid row or
    not) are kept the same way.
    """

    FLUSH = 5000
    WINDOW = 256  # Headers read ahead at a time

    def __init__(self) -> None:
        self._db = sqlite3.connect("", isolation_level=None)
        self._db.executescript("""
            PRAGMA cache_size = -1024; PRAGMA journal_mode = OFF; PRAGMA synchronous = OFF;
            CREATE TABLE header (child TEXT PRIMARY KEY, line INTEGER NOT NULL,
                                 header TEXT NOT NULL);
            CREATE TABLE ids (child TEXT PRIMARY KEY) WITHOUT ROWID;
            CREATE TABLE keys (key BLOB PRIMARY KEY, line INTEGER NOT NULL) WITHOUT ROWID;
            CREATE TABLE rows (child TEXT NOT NULL, tbl TEXT NOT NULL, row TEXT NOT NULL);
            BEGIN;
        """)
        self._ids: list[tuple[str]] = []
        self._rows: list[tuple[str, str, str]] = []
        self._last: tuple[str | None, dict | None] = (None, None)
        self._window: dict[str, str] = {}
        self.children = 0

    def close(self) -> None:
        self._db.close()

    def add_id(self, child: str) -> None:
        self._ids.append((child,))
        if len(self._ids) >= self.FLUSH:
            self.flush()

    def known_id(self, child: str) -> bool:
        """Whether the Header table has a row for this child, valid or not."""
        self.flush()
        return self._db.execute("SELECT 1 FROM ids WHERE child = ?", (child,)).fetchone() \
            is not None

    def add_header(self, child: str, line: int, header: dict) -> int | None:
        """Keep a child's Header; or, when it has one already, the line that one is on."""
        if self._db.execute("INSERT OR IGNORE INTO header VALUES (?, ?, ?)",
                            (child, line, orjson.dumps(header).decode())).rowcount:
            self.children += 1
            return None
        return self._db.execute("SELECT line FROM header WHERE child = ?",
                                (child,)).fetchone()[0]

    def header(self, child: str) -> dict | None:
        """The child's checked Header values; None when it has no valid Header row."""
        if child not in self._window:
            # Tables mostly list children in the Header's order: read the next few
            # Headers from this child's on, so most rows find theirs without a query.
            self._window = dict(self._db.execute(
                "SELECT child, header FROM header WHERE rowid >= "
                "(SELECT rowid FROM header WHERE child = ?) ORDER BY rowid LIMIT ?",
                (child, self.WINDOW)).fetchall())
            if child not in self._window:
                return None
        text = self._window[child]
        if self._last[0] != child:  # a table's rows are mostly grouped by child
            self._last = (child, orjson.loads(text))
        return self._last[1]

    def first_line(self, key: tuple, line: int) -> int | None:
        """The line a table key was first seen on; or None, remembering ``line`` for it."""
        packed = orjson.dumps(key)
        if self._db.execute("INSERT OR IGNORE INTO keys VALUES (?, ?)",
                            (packed, line)).rowcount:
            return None
        return self._db.execute("SELECT line FROM keys WHERE key = ?", (packed,)).fetchone()[0]

    def add_row(self, child: str, table: str, row: dict) -> None:
        self._rows.append((child, table, orjson.dumps(row).decode()))
        if len(self._rows) >= self.FLUSH:
            self.flush()

    def flush(self) -> None:
        """Write what is waiting in the buffers (at most ``FLUSH`` rows and ids)."""
        if self._ids:
            self._db.executemany("INSERT OR IGNORE INTO ids VALUES (?)", self._ids)
            self._ids = []
        if self._rows:
            self._db.executemany("INSERT INTO rows VALUES (?, ?, ?)", self._rows)
            self._rows = []

    def records(self) -> Iterator[tuple[str, dict]]:
        """Every child with a valid Header, in Header order: (CHILD, record of every table)."""
        self.flush()
        self._db.execute("CREATE INDEX rows_child ON rows (child)")
        names = [name for name in tables() if name != "header"]
        child = ""
        record: dict[str, Any] | None = None
        for lid, header_text, table, row in self._db.execute(
                "SELECT h.child, h.header, r.tbl, r.row FROM header h "
                "LEFT JOIN rows r ON r.child = h.child ORDER BY h.rowid, r.rowid"):
            if record is None or lid != child:
                if record is not None:
                    yield child, record
                child = lid
                record = {"header": orjson.loads(header_text),
                          **{name: ([] if name not in ONE_PER_CHILD else None)
                             for name in names}}
            if table is not None:
                value = orjson.loads(row)
                if table in ONE_PER_CHILD:
                    record[table] = value
                else:
                    record[table].append(value)
        if record is not None:
            yield child, record


@dataclass
class CheckedReturn:
    """A clean return: its year, tables and counts, and its children, streamed from disk.

    ``children()`` yields each child once, (CHILD, record); ``close()`` removes
    the spool.
    """

    spec: Ssda903Spec
    tables: list[str]
    spool: ChildSpool
    counts: Counter = field(default_factory=Counter)

    def children(self) -> Iterator[tuple[str, dict]]:
        return self.spool.records()

    def close(self) -> None:
        self.spool.close()


def _add(log: ProblemLog, rule: str, *, file: str, row: int | None = None, child: str = "",
         field: str = "", severity: str = "error", **params) -> None:
    log.add(rule, message(rule, child=child, **params), file=file, row=row, child=child,
            field=field, severity=severity)


# -- recognising tables ----------------------------------------------------------


def recognise(columns: list[str]) -> Table | None:
    """The table whose signature columns the header has; the closest when several match."""
    present = set(columns)
    matches = [t for t in tables().values() if t.signature <= present]
    if not matches:
        return None
    return max(matches, key=lambda t: (len(present & set(t.columns)),
                                       -len(set(t.columns) - present)))


def _read_tables(files: list[CsvFile], log: ProblemLog) -> dict[str, RawTable]:
    found: dict[str, RawTable] = {}
    for csv_file in files:
        try:
            columns = header(csv_file)
            if not any(columns):
                _add(log, "SCP903-FILE-EMPTY", file=csv_file.name, row=1)
                continue
            table = recognise(columns)
            if table is None:
                _add(log, "SCP903-TABLE-UNKNOWN", file=csv_file.name, row=1,
                     columns=", ".join(c for c in columns if c) or "none")
                continue
            if not table.loaded:
                _add(log, "SCP903-TABLE-NOT-LOADED", file=csv_file.name, row=1,
                     severity="query", table=table.title)
                continue
            if table.name in found:
                _add(log, "SCP903-TABLE-TWICE", file=csv_file.name, row=1, table=table.title,
                     first=found[table.name].file)
                continue
            raw = RawTable(table, csv_file.name, columns, Rows(csv_file))
        except Refused as refused:
            log.add(refused.rule, message(refused.rule, **refused.params),
                    file=refused.file or csv_file.name, row=refused.params.get("line"))
            continue
        seen: set[str] = set()
        for column in columns:
            if column in seen:
                _add(log, "SCP903-COLUMN-TWICE", file=raw.file, row=1, field=column,
                     column=column)
            seen.add(column)
            if column and column not in table.columns:
                _add(log, "SCP903-COLUMN-UNKNOWN", file=raw.file, row=1, field=column,
                     severity="query", column=column, table=table.title)
        for column, spec_column in table.columns.items():
            if column not in seen and not spec_column.optional:
                _add(log, "SCP903-COLUMN-MISSING", file=raw.file, row=1, field=column,
                     column=column, table=table.title)
        found[table.name] = raw
    return found


# -- values ----------------------------------------------------------------------


# A return repeats the same few thousand dates (births, starts, reviews) many times over,
# and strptime is the checker's largest cost: each text is parsed once. The cache is
# bounded, so memory stays flat, and emptied when the check ends.
@functools.lru_cache(maxsize=8192)
def parse_date(text: str) -> dt.date | None:
    for form in date_formats():
        try:
            return dt.datetime.strptime(text, form).date()
        except ValueError:
            continue
    return None


@functools.lru_cache(maxsize=8192)
def _iso_date(text: str) -> str | None:
    day = parse_date(text)
    return None if day is None else day.isoformat()


def infer_year(raw: dict[str, RawTable]) -> int | None:
    """The collection year (ending 31 March) holding the latest event date; None if none."""
    latest: dt.date | None = None
    for name, columns in EVENT_DATES.items():
        table = raw.get(name)
        if table is None:
            continue
        where = [table.columns.index(c) for c in columns if c in table.columns]
        for _line, cells in table.rows:
            for index in where:
                day = parse_date(cells[index].strip()) if index < len(cells) else None
                if day is not None and (latest is None or day > latest):
                    latest = day
    if latest is None:
        return None
    return latest.year + (1 if latest.month >= 4 else 0)


class _RowChecker:
    def __init__(self, year_spec: Ssda903Spec, log: ProblemLog):
        self.spec, self.log = year_spec, log

    def value(self, column: Column, text: str, *, file: str, line: int, child: str) -> Any:
        """The typed value, None for a blank, or ``_INVALID`` after logging why."""
        where: dict[str, Any] = {"file": file, "row": line, "child": child,
                                 "field": column.name}
        if not text:
            if column.required:
                _add(self.log, "SCP903-REQUIRED", column=column.name, **where)
                return _INVALID
            return None
        kind = column.type
        if kind == "date":
            iso = _iso_date(text)
            if iso is None:
                _add(self.log, "SCP903-DATE", column=column.name, value=text, **where)
                return _INVALID
            return iso
        if kind == "partial_date":
            if parse_date(text) is None and not _PARTIAL_DATE.match(text):
                _add(self.log, "SCP903-PARTIAL-DATE", column=column.name, value=text, **where)
                return _INVALID
            return text
        if kind == "code":
            code_list = self.spec.code_lists[column.code_list or ""]
            if text not in code_list.codes:
                _add(self.log, "SCP903-CODE", column=column.name, value=text,
                     list=(column.code_list or "").replace("_", " "), period=self.spec.period,
                     **where)
                return _INVALID
            # Kept as the list says (903 SEX M/F from 2024/25 kept as 1/2, as before).
            return code_list.stored.get(text, text)
        if kind == "integer":
            low, high = column.min or 0, column.max if column.max is not None else 10**6
            if not text.isdigit() or not low <= int(text) <= high:
                _add(self.log, "SCP903-INTEGER", column=column.name, value=text, min=low,
                     max=high, **where)
                return _INVALID
            return int(text)
        if kind == "child_id":
            try:
                return identifiers.validate_la_child_id(text)
            except ValidationError:
                _add(self.log, "SCP903-CHILD-ID", value=text, **where)
                return _INVALID
        if kind == "upn":
            if UPN_UNKNOWN.match(text):
                return text
            try:
                return identifiers.validate_upn(text)
            except ValidationError as error:
                _add(self.log, "SCP903-UPN", value=text, reason=error.messages[0], **where)
                return _INVALID
        limit = column.max or TEXT_MAX
        if len(text) > limit:
            _add(self.log, "SCP903-TEXT-LENGTH", column=column.name, length=len(text), max=limit,
                 **where)
            return _INVALID
        return text


_INVALID = object()


def _typed_rows(raw: RawTable, checker: _RowChecker, log: ProblemLog,
                ids: ChildSpool | None = None):
    """Yield (line, child, values) for every row whose cells all passed their checks.

    ``ids``, when given, gathers the CHILD of every row, valid or not.
    """
    positions = {c: raw.columns.index(c) for c in raw.table.columns if c in raw.columns}
    id_at = raw.columns.index("CHILD") if "CHILD" in raw.columns else 0
    for line, cells in raw.rows:
        if ids is not None and id_at < len(cells):
            ids.add_id(cells[id_at].strip())
        child = cells[positions["CHILD"]].strip() if "CHILD" in positions and \
            positions["CHILD"] < len(cells) else ""
        if len(cells) != len(raw.columns):
            _add(log, "SCP903-ROW-LENGTH", file=raw.file, row=line, child=child,
                 cells=len(cells), columns=len(raw.columns))
            continue
        values, ok = {}, True
        for name, column in raw.table.columns.items():
            if name not in positions:
                continue
            value = checker.value(column, cells[positions[name]].strip(), file=raw.file,
                                  line=line, child=child)
            if value is _INVALID:
                ok = False
            values[name] = value
        if ok:
            yield line, child, values


# -- the whole return ------------------------------------------------------------


# Given the return's collection year, the children (CHILD, record) of the LA's
# return for the year before, or None when it has none loaded.
PreviousReturn = Callable[[int], Iterable[tuple[str, Mapping]] | None]
# Given the return's collection year and how many years back, the children of the
# LA's returns of those years that are loaded, by year (a year not loaded is absent).
EarlierReturns = Callable[[int, int], Mapping[int, Iterable[tuple[str, Mapping]]]]


def check_return(files: list[CsvFile], log: ProblemLog, *, year: int | None = None,
                 previous: PreviousReturn | None = None,
                 earlier: EarlierReturns | None = None) -> CheckedReturn | None:
    """Check every table; the children's records when there are no errors, else None.

    ``previous`` gives last year's return, for DfE's rules that compare with it;
    ``earlier`` the LA's earlier returns loaded, for the rules that look further back.
    """
    try:
        return _check_return(files, log, year=year, previous=previous, earlier=earlier)
    except Refused as refused:  # a table that cannot be read to its end
        log.add(refused.rule, message(refused.rule, **refused.params), file=refused.file,
                row=refused.params.get("line"))
        return None
    finally:  # the dates are this return's: none stays held after its check
        parse_date.cache_clear()
        _iso_date.cache_clear()


def _check_return(files: list[CsvFile], log: ProblemLog, *, year: int | None,
                  previous: PreviousReturn | None = None,
                  earlier: EarlierReturns | None = None) -> CheckedReturn | None:
    raw = _read_tables(files, log)
    if "header" not in raw and raw:
        _add(log, "SCP903-HEADER-TABLE-MISSING", file=next(iter(raw.values())).file)
    if log.has_errors or not raw:
        return None
    first_file = raw["header"].file
    if year is None:
        year = infer_year(raw)
        if year is None:
            _add(log, "SCP903-YEAR", file=first_file)
            return None
    if year not in years():
        _add(log, "SCP903-YEAR-UNSUPPORTED", file=first_file, period=period_label(year),
             years=", ".join(period_label(y) for y in years()))
        return None
    year_spec = spec(year)
    for name, table_raw in list(raw.items()):
        if table_raw.table.since and year < table_raw.table.since:
            _add(log, "SCP903-TABLE-NOT-IN-YEAR", file=table_raw.file, row=1, severity="query",
                 table=table_raw.table.title, first=period_label(table_raw.table.since),
                 period=year_spec.period)
            del raw[name]
    spool = ChildSpool()
    try:
        checked = CheckedReturn(spec=year_spec, tables=[t for t in tables() if t in raw],
                                spool=spool)
        checker = _RowChecker(year_spec, log)
        # Every child in the Header table, its row valid or not: gathered in the same pass.
        for line, child, values in _typed_rows(raw["header"], checker, log, ids=spool):
            first = spool.add_header(child, line,
                                     {k: v for k, v in values.items() if k != "CHILD"})
            if first is not None:
                _add(log, "SCP903-DUPLICATE", file=raw["header"].file, row=line, child=child,
                     field="CHILD", table="Header", key="", first=first)
        for name, table_raw in raw.items():
            if name == "header":
                continue
            _check_table(table_raw, checker, checked, log)
        spool.flush()
        children = previous(year_spec.year) if previous is not None else None
        back = dfe_rules.earlier_wanted()
        before = earlier(year_spec.year, back) if earlier is not None and back else {}
        checked.counts["dfe_rules"] = len(run_dfe_rules(raw, year_spec, log, children,
                                                        before))
    except BaseException:
        spool.close()
        raise
    checked.counts["children"] = spool.children
    if log.has_errors:
        spool.close()
        return None
    return checked


def run_dfe_rules(raw: dict[str, RawTable], year_spec: Ssda903Spec, log: ProblemLog,
                  previous: Iterable[tuple[str, Mapping]] | None = None,
                  earlier: Mapping[int, Iterable[tuple[str, Mapping]]] | None = None,
                  ) -> dict[str, int]:
    """DfE's validation rules over the whole return (``ssda903_rules``): rows broken by rule.

    ``previous``: the children of the LA's return for the year before, if loaded;
    ``earlier``: the children of its earlier returns loaded, by collection year.
    """
    usable = {name: table for name, table in raw.items()
              if len(set(table.columns)) == len(table.columns) and "CHILD" in table.columns}
    frames = {name: dfe_rules.frame(name, table.columns, table.rows)
              for name, table in usable.items()}
    last = dfe_rules.last_year_frames(previous) if previous is not None else None
    before = dfe_rules.earlier_frames(earlier) if earlier else None
    not_run: dict[str, set[str]] = {}
    broken = dfe_rules.check_rules(frames, {name: t.file for name, t in usable.items()},
                                   year_spec, log, last, not_run, earlier=before,
                                   earlier_years=earlier or ())
    if "header" in raw:  # which rules were not checked, and why: never a silent pass
        dfe_rules.report_not_checked(log, year_spec, raw["header"].file, not_run)
    return broken


def _check_table(raw: RawTable, checker: _RowChecker, checked: CheckedReturn,
                 log: ProblemLog) -> None:
    table, name = raw.table, raw.table.name
    year_spec = checked.spec
    spool = checked.spool
    for line, child, values in _typed_rows(raw, checker, log):
        where: dict[str, Any] = {"file": raw.file, "row": line, "child": child}
        header = spool.header(child)
        if header is None:
            if not spool.known_id(child):  # else its Header row has errors already
                _add(log, "SCP903-CHILD-NOT-IN-HEADER", field="CHILD", table=table.title,
                     **where)
            continue
        first = spool.first_line((name, child, *(values.get(k) for k in table.key)), line)
        if first is not None:
            shown = "".join(f", {k} {_shown(values.get(k))}" for k in table.key)
            _add(log, "SCP903-DUPLICATE", field=table.key[0] if table.key else "CHILD",
                 table=table.title, key=shown, first=first, **where)
            continue
        for column in ("DOB", "SEX"):
            if column in values and values[column] is not None and \
                    values[column] != header.get(column):
                _add(log, f"SCP903-{column}-MISMATCH", field=column,
                     value=_shown(values[column]), header=_shown(header.get(column)), **where)
        for column in EVENT_DATES.get(name, ()):
            day = values.get(column)
            if day is not None and day > year_spec.year_end.isoformat():
                _add(log, "SCP903-AFTER-YEAR-END", field=column, column=column,
                     value=_shown(day), year=year_spec.year, period=year_spec.period, **where)
        if name == "episodes":
            _check_episode(values, header, year_spec, log, where)
        for start, end in (("MIS_START", "MIS_END"), ("DATE_PLACED", "DATE_PLACED_CEASED")):
            if values.get(start) and values.get(end) and values[end] < values[start]:
                _add(log, "SCP903-END-BEFORE-START", field=end, end_column=end,
                     end=_shown(values[end]), start_column=start, start=_shown(values[start]),
                     **where)
        spool.add_row(child, name,
                      {k: v for k, v in values.items() if k not in ("CHILD", "DOB", "SEX")})
        checked.counts[name] += 1


def _check_episode(values: dict, header: dict, year_spec: Ssda903Spec, log: ProblemLog,
                   where: dict[str, Any]) -> None:
    decom, dec = values.get("DECOM"), values.get("DEC")
    if dec and decom and dec < decom:
        _add(log, "SCP903-DEC-BEFORE-DECOM", field="DEC", dec=_shown(dec), decom=_shown(decom),
             **where)
    if decom and header.get("DOB") and decom < header["DOB"]:
        _add(log, "SCP903-DECOM-BEFORE-DOB", field="DECOM", decom=_shown(decom),
             dob=_shown(header["DOB"]), **where)
    if bool(dec) != bool(values.get("REC")):
        _add(log, "SCP903-DEC-REC", field="REC" if dec else "DEC", **where)
    if dec and dec < year_spec.year_start.isoformat():
        _add(log, "SCP903-ENDED-BEFORE-YEAR", field="DEC", severity="query", dec=_shown(dec),
             period=year_spec.period, start_year=year_spec.year - 1, **where)


def _shown(value: Any) -> str:
    """A value as the file gives it: ISO dates back to dd/mm/yyyy."""
    if isinstance(value, str) and re.fullmatch(r"\d{4}-\d{2}-\d{2}", value):
        return f"{value[8:10]}/{value[5:7]}/{value[:4]}"
    return "" if value is None else str(value)
