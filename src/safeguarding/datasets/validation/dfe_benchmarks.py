"""Check DfE's published tables and turn each row into tidy values.

The header decides each column's part by name (specs/dfe_benchmarks): time,
geography, filter (a breakdown such as ``category``) or, for every other
column, an indicator. An indicator cell must be a number or one of DfE's
suppression markers; a marker becomes a missing value with the marker kept,
never a zero.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from decimal import Decimal
from pathlib import Path

from safeguarding.datasets.validation.problems import ProblemLog
from safeguarding.datasets.validation.specs import benchmark_spec

_NUMBER = re.compile(r"^-?\d+(\.\d+)?$")
_SHAPES = {
    "old_la_code": (re.compile(r"^\d{3}$"), "3 digits, like 860"),
    "new_la_code": (re.compile(r"^[EWSN]\d{8}$"), "a letter and 8 digits, like E10000028"),
    "region_code": (re.compile(r"^[EWSN]\d{8}$"), "a letter and 8 digits, like E12000005"),
    "country_code": (re.compile(r"^[EWSNK]\d{8}$"), "a letter and 8 digits, like E92000001"),
}
_YEAR_RANGE = re.compile(r"_(\d{4})(?:_to_|_)(\d{2,4})$")


def message(rule: str, **params) -> str:
    return benchmark_spec()["rules"][rule].format(**params)


def table_id_for(file_name: str) -> str:
    """The table a file holds, from its name without the span of years it covers.

    c1_children_in_need_referrals_and_rereferrals_2013_to_2025.csv and the next
    release's ..._2013_to_2026.csv are the same table.
    """
    stem = Path(file_name).stem.strip().lower()
    stem = re.sub(r"[^a-z0-9_]+", "_", stem).strip("_")
    return _YEAR_RANGE.sub("", stem) or "table"


def period_for(time_period: str, time_identifier: str) -> tuple[str, int | None]:
    """('2020/21', 2021) for 202021, or for 2021 in a table whose years end in March."""
    identifiers = benchmark_spec()["time_identifiers"]
    ends_march = (identifiers.get(time_identifier) or {}).get("ends_march", False)
    if len(time_period) == 6:
        start, end = int(time_period[:4]), int(time_period[4:])
        if end == (start + 1) % 100:
            return f"{start}/{end:02d}", start + 1
        return time_period, None
    year = int(time_period)
    if ends_march:
        return f"{year - 1}/{year % 100:02d}", year
    return time_period, None


@dataclass(frozen=True)
class Layout:
    columns: list[str]
    index: dict[str, int]
    indicators: list[str]
    filters: list[str]


@dataclass
class TidyRow:
    line: int
    time_period: str
    time_identifier: str
    period: str
    year_ending: int | None
    geographic_level: str
    geography_code: str
    places: dict[str, str]
    breakdown: str
    values: list[tuple[str, Decimal | None, str]]

    @property
    def key(self) -> tuple:
        return (self.time_period, self.time_identifier, self.geographic_level,
                self.geography_code, self.breakdown)


def layout_for(columns: list[str], log: ProblemLog) -> Layout | None:
    spec = benchmark_spec()
    seen: set[str] = set()
    for column in columns:
        if column in seen:
            log.add("SCP-BENCH-DUPLICATE-COLUMN",
                    message("SCP-BENCH-DUPLICATE-COLUMN", column=column), row=1, field=column)
        seen.add(column)
    for column in spec["required_columns"]:
        if column not in seen:
            log.add("SCP-BENCH-COLUMNS", message("SCP-BENCH-COLUMNS", column=column),
                    row=1, field=column)
    known = set(spec["time_columns"]) | set(spec["geography_columns"])
    filters = [c for c in columns if c in spec["filter_columns"]]
    indicators = [c for c in columns if c not in known and c not in filters and c]
    if not indicators:
        log.add("SCP-BENCH-NO-INDICATORS", message("SCP-BENCH-NO-INDICATORS"), row=1)
    if log.has_errors:
        return None
    return Layout(columns=columns, index={c: i for i, c in enumerate(columns)},
                  indicators=indicators, filters=filters)


class RowChecker:
    def __init__(self, layout: Layout, log: ProblemLog):
        spec = benchmark_spec()
        self.layout = layout
        self.log = log
        self.markers = {str(m) for m in spec["suppression_markers"]}
        self.marker_list = ", ".join(repr(m) for m in sorted(self.markers) if m)
        self.places = [c for c in spec["geography_columns"] if c in layout.index]
        self.level_codes = {level: body["code_column"]
                            for level, body in spec["geographic_levels"].items()}
        self.first_row: dict[tuple, int] = {}

    def check(self, line: int, cells: list[str]) -> TidyRow | None:
        layout, log = self.layout, self.log
        errors_before = log.errors
        if len(cells) != len(layout.columns):
            log.add("SCP-BENCH-CELLS", message("SCP-BENCH-CELLS", found=len(cells),
                                                expected=len(layout.columns)), row=line)
            return None

        def cell(name: str) -> str:
            position = layout.index.get(name)
            return cells[position].strip() if position is not None else ""

        time_period, time_identifier = cell("time_period"), cell("time_identifier")
        period, year_ending = time_period, None
        if re.fullmatch(r"\d{4}|\d{6}", time_period):
            period, year_ending = period_for(time_period, time_identifier)
        else:
            log.add("SCP-BENCH-PERIOD", message("SCP-BENCH-PERIOD", value=time_period),
                    row=line, field="time_period")
        level = cell("geographic_level")
        if not level:
            log.add("SCP-BENCH-LEVEL", message("SCP-BENCH-LEVEL"), row=line,
                    field="geographic_level")
        places = {name: cell(name) for name in self.places}
        for name, (shape, described) in _SHAPES.items():
            value = places.get(name, "")
            if value and not shape.match(value):
                log.add("SCP-BENCH-CODE", message("SCP-BENCH-CODE", column=name, value=value,
                                                   shape=described), row=line, field=name)
        code_column = self.level_codes.get(level)
        geography = places.get(code_column, "") if code_column else ""
        if not geography:
            geography = next((places.get(c, "") for c in ("new_la_code", "old_la_code",
                                                            "region_code", "country_code")
                              if places.get(c)), "")
        breakdown = "; ".join(f"{name}={cell(name)}" for name in layout.filters)
        values: list[tuple[str, Decimal | None, str]] = []
        for name in layout.indicators:
            raw = cell(name)
            if raw in self.markers:
                values.append((name, None, raw))
            elif _NUMBER.match(raw):
                values.append((name, Decimal(raw), ""))
            else:
                log.add("SCP-BENCH-NUMBER", message("SCP-BENCH-NUMBER", column=name, value=raw,
                                                     markers=self.marker_list),
                        row=line, field=name)
        if log.errors > errors_before:
            return None
        row = TidyRow(line=line, time_period=time_period, time_identifier=time_identifier,
                      period=period, year_ending=year_ending, geographic_level=level,
                      geography_code=geography, places=places, breakdown=breakdown,
                      values=values)
        first = self.first_row.get(row.key)
        if first is not None:
            log.add("SCP-BENCH-DUPLICATE-ROW", message("SCP-BENCH-DUPLICATE-ROW", first_row=first),
                    row=line)
            return None
        self.first_row[row.key] = line
        return row
