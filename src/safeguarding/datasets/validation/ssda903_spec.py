"""The SSDA903 tables and, by collection year, their code lists: read from specs/ssda903/.

``_tables.yaml`` holds the tables, their columns and the rule messages, the
same every year; ``<year>.yaml`` the code lists, a year naming the one it
``extends`` and listing only codes to ``add`` or ``remove`` (read by
``specs.read_year``, as the CIN census's years are). A list may say the value
kept for a code (``stored``): SEX from 2024/25 is M/F/U, kept as 1/2.
"""

from __future__ import annotations

from dataclasses import dataclass
from functools import cache

from safeguarding.core.yaml_data import load_yaml
from safeguarding.datasets.validation.specs import (
    SPEC_DIR,
    CodeList,
    CollectionYear,
    SpecError,
    period_label,
    read_year,
    spec_years,
)

SSDA903_DIR = SPEC_DIR / "ssda903"
COLUMN_TYPES = frozenset({"child_id", "date", "partial_date", "code", "integer", "text", "upn"})


@dataclass(frozen=True)
class Column:
    name: str
    type: str
    required: bool = False
    code_list: str | None = None
    min: int | None = None
    max: int | None = None
    optional: bool = False  # the column may be left out of the file


@dataclass(frozen=True)
class Table:
    name: str
    title: str
    signature: frozenset[str]
    key: tuple[str, ...]
    columns: dict[str, Column]
    loaded: bool = True
    since: int | None = None  # the first collection year whose return has the table


@dataclass(frozen=True)
class Ssda903Spec(CollectionYear):
    """The 903 spec of a year: its code lists (the tables are the same every year)."""


@cache
def _tables_file() -> dict:
    return load_yaml((SSDA903_DIR / "_tables.yaml").read_text())


@cache
def tables() -> dict[str, Table]:
    """Every 903 table this service recognises, by its short name (header, episodes, ...)."""
    found = {}
    for name, body in _tables_file()["tables"].items():
        columns = {}
        for column, spec in body["columns"].items():
            if spec["type"] not in COLUMN_TYPES:
                raise SpecError(f"903 {name}.{column} has unknown type {spec['type']}")
            columns[column] = Column(column, spec["type"], bool(spec.get("required")),
                                     spec.get("list"), spec.get("min"), spec.get("max"),
                                     bool(spec.get("optional")))
        found[name] = Table(name, body["title"], frozenset(body["signature"]),
                            tuple(body.get("key") or ()), columns, bool(body.get("loaded", True)),
                            body.get("since"))
    return found


def date_formats() -> list[str]:
    return list(_tables_file()["date_formats"])


def message(rule: str, **params) -> str:
    return " ".join(str(_tables_file()["rules"][rule]).split()).format(**params)


def years() -> list[int]:
    """Collection years with a spec: 2021 is the 2020/21 return."""
    return spec_years(SSDA903_DIR)


@cache
def spec(year: int) -> Ssda903Spec:
    """The spec for a collection year; KeyError when the year has none."""
    data = read_year(SSDA903_DIR, year)
    lists = {name: CodeList(name, str(body["source"]).strip(),
                            {str(code): str(label) for code, label in body["codes"].items()},
                            {str(code): str(kept) for code, kept in
                             (body.get("stored") or {}).items()})
             for name, body in data["code_lists"].items()}
    for table in tables().values():
        for column in table.columns.values():
            if column.type == "code" and column.code_list not in lists:
                raise SpecError(f"903 {year}: {table.name}.{column.name} names unknown list "
                                f"{column.code_list}")
    if str(data["period"]) != period_label(year):
        raise SpecError(f"903 {year}: period {data['period']} does not match the year")
    return Ssda903Spec(year=year, period=str(data["period"]), source=str(data["source"]).strip(),
                       code_lists=lists)
