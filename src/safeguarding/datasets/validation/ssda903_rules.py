"""DfE's SSDA903 validation rules: the rule table, the checks, and one vectorised checker.

``specs/ssda903/rules.yaml`` lists every DfE 903 rule by collection year with
its DfE wording and whether it is an error or a query; ``checks.yaml`` says how
each implemented rule is checked, as a SQL condition over the return's tables.
A rule in the table with no check is a gap, counted and listed
(``gaps()``), never passed over silently.

The checker reads each table of the return once into a Polars frame (every
column the file has, text; the columns the 903 spec types as dates or integers
converted, a value that does not convert becoming null; ``_line`` is the file
line), adds to the Episodes frame each episode's neighbours in the child's
own order (``_prev_DEC``, ``_next_DECOM`` ... , ``_first``, ``_last``), and
runs each check as one Polars SQL query:

    SELECT t._line, t.CHILD FROM <table> t LEFT JOIN header h ON h.CHILD = t.CHILD
    <join> WHERE <where>

Every row the query returns breaks the rule: it is logged with the DfE rule
number and wording, file, line, child and field. ``{start}`` and ``{end}`` in a
condition are the collection year's first and last days, ``{list:NAME}`` the
year's code list NAME as an SQL list, ``{la_codes}`` DfE's LA numbers known by
the year (``specs.dfe_la_codes``). A check whose tables or columns the
return does not have is not run (DfE's rules apply to the tables returned).

Some rules compare the return with the LA's return for the year before. Its
tables are given as frames named ``<table>_last`` (``header_last``,
``episodes_last`` ...), made the same way from the children of that return
as loaded (``last_year_frames``); their ``_line`` is 0. When there is no such
return, those rules are not run, as for a table the return does not have.

A few rules look further back (1002: a care leaver's care in any earlier
return; 392b: the child's UASC status in the two years before). Their checks
say how many returns before this one they read (``earlier``) and use frames
``<table>_earlier``: the LA's loaded returns of those years, one after the
other, each row with its collection year in ``_year`` (``earlier_frames``).
When any of those returns is not loaded the rule is not run, and the import
names the returns to load: never a silent pass.
"""

from __future__ import annotations

import re
from collections.abc import Iterable, Mapping
from dataclasses import dataclass
from functools import cache

import polars as pl

from safeguarding.core.yaml_data import load_yaml
from safeguarding.datasets.validation.problems import ProblemLog
from safeguarding.datasets.validation.specs import SpecError, dfe_la_codes
from safeguarding.datasets.validation.ssda903_spec import SSDA903_DIR, Ssda903Spec, tables

# The names the rule table (DfE's and D2I's) gives the tables, to this service's.
TABLE_NAMES = {"Header": "header", "Episodes": "episodes", "Reviews": "reviews",
               "UASC": "uasc", "OC2": "oc2", "OC2s": "oc2", "OC3": "oc3", "AD1": "ad1",
               "PlacedAdoption": "placed_adoption", "PrevPerm": "prev_perm",
               "Missing": "missing", "SWEpisodes": "social_worker"}
CHUNK = 50_000
_PLACEHOLDER = re.compile(r"\{(start|end|year|la_codes|list:[a-z_]+)\}")
LAST = "_last"  # the suffix of last year's frames: episodes_last ...
EARLIER = "_earlier"  # the suffix of the earlier returns' frames: episodes_earlier ...
_LAST_FRAME = re.compile(r"\b(" + "|".join(sorted(set(TABLE_NAMES.values()))) + r")_last\b")
_EARLIER_FRAME = re.compile(r"\b(" + "|".join(sorted(set(TABLE_NAMES.values())))
                            + r")_earlier\b")
# Episode columns whose previous/next values a condition may use.
NEIGHBOUR_COLUMNS = ("DECOM", "DEC", "RNE", "LS", "CIN", "PLACE", "PLACE_PROVIDER", "REC",
                     "PL_POST", "URN", "REASON_PLACE_CHANGE", "HOME_POST",
                     "MIS_START", "MIS_END", "DATE_PLACED", "DATE_PLACED_CEASED",
                     "SW_ID", "SW_DECOM", "SW_DEC", "SW_REASON")
# Tables whose rows a child has in a sequence, and the order.
SEQUENCES = {"episodes": ("DECOM",), "missing": ("MIS_START",),
             "placed_adoption": ("DATE_PLACED",), "social_worker": ("SW_DECOM",)}
_NO_COLUMN = re.compile(r"no column named '(\w+)'")
_NO_TABLE = re.compile(r"relation '(\w+)' was not found")


@dataclass(frozen=True)
class Rule:
    code: str
    years: tuple[int, ...]
    severity: str
    tables: tuple[str, ...]
    fields: tuple[str, ...]
    wording: dict[int, str]
    dfe: bool = True

    def message(self, year: int) -> str:
        said = [y for y in self.wording if y <= year]
        return self.wording[max(said) if said else min(self.wording)]


@dataclass(frozen=True)
class Check:
    code: str
    table: str
    where: dict[int, str]  # from the year given, until the next year given
    join: str = ""
    field: str = ""
    earlier: int = 0  # how many of the LA's returns before this one it reads (_earlier)

    def condition(self, year: int) -> str | None:
        said = [y for y in self.where if y <= year]
        return self.where[max(said)] if said else None

    @property
    def needs_last_year(self) -> bool:
        """Whether the check reads the LA's return for the year before."""
        return bool(_LAST_FRAME.search(" ".join([self.join, *self.where.values()])))


@cache
def _rules_file() -> dict:
    return load_yaml((SSDA903_DIR / "rules.yaml").read_text())


@cache
def rule_table() -> dict[str, Rule]:
    """Every rule in the table, DfE's and D2I's internal ones, by code."""
    found = {}
    for code, body in _rules_file()["rules"].items():
        found[str(code)] = Rule(
            str(code), tuple(int(y) for y in body["years"]), str(body["severity"]),
            tuple(body.get("tables") or ()), tuple(body.get("fields") or ()),
            {int(y): str(w) for y, w in body["wording"].items()},
            dfe=body.get("source") != "d2i")
    return found


def earliest_list() -> int:
    return int(_rules_file()["earliest_list"])


def rule_year(year: int) -> int:
    """The year whose rule list checks a return of ``year`` (2022/23's for earlier ones)."""
    return max(year, earliest_list())


def rules_for(year: int) -> dict[str, Rule]:
    """DfE's rules for a collection year."""
    listed = rule_year(year)
    return {code: rule for code, rule in rule_table().items()
            if rule.dfe and listed in rule.years}


@cache
def _checks_file() -> dict:
    return load_yaml((SSDA903_DIR / "checks.yaml").read_text())


@cache
def checks() -> dict[str, tuple[Check, ...]]:
    """How each implemented rule is checked, by code: one query, or one per table it flags."""
    found = {}
    known = set(tables())
    for code, bodies in _checks_file()["checks"].items():
        code = str(code)
        if code not in rule_table():
            raise SpecError(f"903 check {code} is not in the rule table")
        made = []
        for body in bodies if isinstance(bodies, list) else [bodies]:
            where = body["where"]
            where = {int(y): str(w) for y, w in where.items()} if isinstance(where, dict) \
                else {earliest_list(): str(where)}
            if body["table"] not in known:
                raise SpecError(f"903 check {code} names unknown table {body['table']}")
            made.append(Check(code, body["table"], where, str(body.get("join") or ""),
                              str(body.get("field") or ""), int(body.get("earlier") or 0)))
            reads = _with_derived(" ".join([made[-1].join, *where.values()]))
            if bool(made[-1].earlier) != bool(_EARLIER_FRAME.search(reads)):
                raise SpecError(f"903 check {code}: `earlier` goes with the *_earlier frames")
        found[code] = tuple(made)
    return found


def derived() -> dict[str, str]:
    """Frames made from the return's tables before the checks run (e.g. ``cla12``)."""
    return {str(k): str(v) for k, v in (_checks_file().get("derived") or {}).items()}


def _with_derived(text: str) -> str:
    """A check's text with that of the derived frames it reads (and those they read)."""
    made = derived()
    seen: set[str] = set()
    while True:
        found = {name for name in made if name not in seen and re.search(rf"\b{name}\b", text)}
        if not found:
            return text
        seen |= found
        text = " ".join([text, *(made[name] for name in sorted(found))])


def gaps(year: int) -> list[str]:
    """DfE rules of the year that this service does not check."""
    done = checks()
    return sorted((code for code in rules_for(year) if code not in done
                   or done[code][0].condition(rule_year(year)) is None), key=_order)


def unchecked_reasons() -> dict[str, tuple[str, tuple[str, ...]]]:
    """Why the rules of the gap are not checked: key -> (reason, rule codes) (checks.yaml)."""
    return {str(key): (" ".join(str(body["reason"]).split()),
                       tuple(str(code) for code in body["rules"]))
            for key, body in (_checks_file().get("unchecked") or {}).items()}


def gap_reasons(year: int) -> dict[str, list[str]]:
    """The year's gap, by the reason each rule is not checked."""
    found: dict[str, list[str]] = {}
    known = {code: reason for reason, codes in unchecked_reasons().values() for code in codes}
    for code in gaps(year):
        found.setdefault(known.get(code, "not yet implemented by this service"), []).append(code)
    return found


def _order(code: str) -> tuple:
    match = re.match(r"(\D*)(\d+)(.*)", code)
    return (match.group(1), int(match.group(2)), match.group(3)) if match else (code, 0, "")


def needs_last_year(code: str) -> bool:
    """Whether a rule's check reads the LA's return for the year before."""
    return any(check.needs_last_year for check in checks().get(code, ()))


def needs_earlier(code: str) -> int:
    """How many of the LA's returns before this one a rule's check reads (0: none)."""
    return max((check.earlier for check in checks().get(code, ())), default=0)


def earlier_wanted() -> int:
    """The most returns before this one that any check reads."""
    return max((check.earlier for found in checks().values() for check in found), default=0)


# -- frames ------------------------------------------------------------------------


def _dates(column: str) -> pl.Expr:
    text = pl.col(column)
    return pl.coalesce(text.str.to_date("%d/%m/%Y", strict=False),
                       text.str.to_date("%Y-%m-%d", strict=False)).alias(column)


def frame(name: str, columns: list[str], rows: Iterable[tuple[int, list[str]]]) -> pl.DataFrame:
    """A table as a frame: its columns as text (blank as null), typed where the spec says."""
    width = len(columns)
    names = ["_line", *columns]
    schema = {c: pl.String for c in columns} | {"_line": pl.Int64}
    parts: list[pl.DataFrame] = []
    lines: list[int] = []
    cells: list[list[str | None]] = [[] for _ in columns]
    for line, row in rows:
        if len(row) != width:
            continue  # reported by the row checks
        lines.append(line)
        for index, value in enumerate(row):
            value = value.strip()
            cells[index].append(value or None)
        if len(lines) >= CHUNK:
            parts.append(pl.DataFrame(dict(zip(names, [lines, *cells], strict=True)),
                                      schema=schema))
            lines, cells = [], [[] for _ in columns]
    parts.append(pl.DataFrame(dict(zip(names, [lines, *cells], strict=True)), schema=schema))
    data = pl.concat(parts)
    spec = tables()[name].columns
    typed = [c for c in columns if c in spec and spec[c].type in ("date", "integer")]
    if typed:
        data = data.with_columns(
            *[pl.col(c).alias(f"_raw_{c}") for c in typed],
            *[_dates(c) if spec[c].type == "date" else pl.col(c).cast(pl.Int64, strict=False)
              for c in typed])
    partial = [c for c in columns if c in spec and spec[c].type == "partial_date"]
    if partial:  # a day or month not known (zz) read as the first: the earliest it can be
        data = data.with_columns(*[
            pl.coalesce(_dates(c), pl.col(c).str.to_uppercase().str.replace_all("ZZ", "01")
                        .str.to_date("%d/%m/%Y", strict=False)).alias(f"_date_{c}")
            for c in partial])
    order = SEQUENCES.get(name)
    if order and {"CHILD", order[0]} <= set(columns):
        data = _with_neighbours(data, order)
    if name == "episodes" and {"CHILD", "DECOM", "DEC", "LS"} <= set(columns):
        data = _with_legal_status_spells(data)
    return data


def _with_neighbours(episodes: pl.DataFrame, order: tuple[str, ...]) -> pl.DataFrame:
    """Each row with the one before and after it in the child's order (of DECOM, ...)."""
    present = [c for c in NEIGHBOUR_COLUMNS if c in episodes.columns]
    ordered = episodes.sort(["CHILD", *order, "_line"], nulls_last=True)
    return ordered.with_columns(
        *[pl.col(c).shift(1).over("CHILD").alias(f"_prev_{c}") for c in present],
        *[pl.col(c).shift(-1).over("CHILD").alias(f"_next_{c}") for c in present],
        (pl.int_range(pl.len()).over("CHILD") == 0).alias("_first"),
        (pl.int_range(pl.len()).over("CHILD") == pl.len().over("CHILD") - 1).alias("_last"),
    )


def _with_legal_status_spells(episodes: pl.DataFrame) -> pl.DataFrame:
    """Each episode with the start and end of its spell under one legal status.

    A spell is a run of the child's episodes with the same LS, each starting the
    day the one before ended: ``_ls_from`` is the first one's DECOM, ``_ls_to``
    the last one's DEC (null while the last is open).
    """
    starts = (pl.col("_first") | (pl.col("LS") != pl.col("_prev_LS")).fill_null(True)
              | (pl.col("DECOM") != pl.col("_prev_DEC")).fill_null(True))
    spell = starts.cast(pl.Int32).cum_sum().over("CHILD")
    return episodes.with_columns(spell.alias("_ls_spell")).with_columns(
        pl.col("DECOM").first().over(["CHILD", "_ls_spell"]).alias("_ls_from"),
        pl.col("DEC").last().over(["CHILD", "_ls_spell"]).alias("_ls_to"),
    )


def last_year_frames(children: Iterable[tuple[str, Mapping]]) -> dict[str, pl.DataFrame]:
    """The LA's return for the year before as frames ``<table>_last``, from its children.

    A child is (CHILD, record): the record as the return was loaded (its
    snapshot), each table's row or rows of typed values by table name. One pass.
    """
    names = [name for name, table in tables().items() if table.loaded]
    rows: dict[str, list[tuple[int, list[str]]]] = {name: [] for name in names}
    columns = {name: list(tables()[name].columns) for name in names}
    for child, record in children:
        for name in names:
            value = record.get(name)
            for row in [value] if isinstance(value, Mapping) else value or ():
                row = {**row, "CHILD": child}
                rows[name].append((0, ["" if row.get(c) is None else str(row[c])
                                       for c in columns[name]]))
    return {f"{name}{LAST}": frame(name, columns[name], found) for name, found in rows.items()}


def earlier_frames(returns: Mapping[int, Iterable[tuple[str, Mapping]]]) -> dict[str, pl.DataFrame]:
    """The LA's earlier returns as frames ``<table>_earlier``, their rows with ``_year``.

    ``returns``: each loaded return's children (CHILD, record), by collection year.
    Each year's frames are made as last year's are (``last_year_frames``, with
    ``_UASC`` on the Header), then put one after the other.
    """
    parts: dict[str, list[pl.DataFrame]] = {}
    for year, children in sorted(returns.items()):
        made = last_year_frames(children)
        _with_uasc(made, LAST)
        for name, data in made.items():
            parts.setdefault(name.removesuffix(LAST), []).append(
                data.with_columns(pl.lit(year, pl.Int64).alias("_year")))
    return {f"{name}{EARLIER}": pl.concat(found, how="diagonal_relaxed")
            for name, found in parts.items()}


def with_uasc_status(header: pl.DataFrame, uasc: pl.DataFrame | None) -> pl.DataFrame:
    """The Header with ``_UASC``: the child's UASC status, '1' or '0'.

    The Header's own UASC field where the return gives it (0 or 1); else, as
    the D2I validator reads CSV returns, '1' for a child with a row in the
    UASC table.
    """
    listed = pl.col("CHILD").is_in(uasc["CHILD"].implode()) if uasc is not None \
        and "CHILD" in uasc.columns else pl.lit(False)
    derived = pl.when(listed).then(pl.lit("1")).otherwise(pl.lit("0"))
    given = pl.when(pl.col("UASC").is_in(["0", "1"])).then(pl.col("UASC")) \
        if "UASC" in header.columns else pl.lit(None, pl.String)
    return header.with_columns(pl.coalesce(given, derived).alias("_UASC"))


def _with_uasc(frames: dict[str, pl.DataFrame], suffix: str = "") -> None:
    header = frames.get(f"header{suffix}")
    if header is not None and "CHILD" in header.columns:
        frames[f"header{suffix}"] = with_uasc_status(header, frames.get(f"uasc{suffix}"))


# -- checking ----------------------------------------------------------------------


def _sql_list(codes: Iterable[str]) -> str:
    return "(" + ", ".join("'" + c.replace("'", "''") + "'" for c in codes) + ")"


def _fill(text: str, year_spec: Ssda903Spec) -> str:
    def value(match: re.Match) -> str:
        name = match.group(1)
        if name == "start":
            return f"'{year_spec.year_start.isoformat()}'::date"
        if name == "end":
            return f"'{year_spec.year_end.isoformat()}'::date"
        if name == "year":
            return str(year_spec.year)
        if name == "la_codes":  # DfE's LA numbers of the year and the years before it
            return _sql_list(sorted(code for code, first in dfe_la_codes().items()
                                    if first <= year_spec.year))
        return _sql_list(year_spec.code_lists[name.removeprefix("list:")].codes)
    return _PLACEHOLDER.sub(value, text)


def _query(check: Check, condition: str, year_spec: Ssda903Spec) -> str:
    header = "" if check.table == "header" else \
        " LEFT JOIN header h ON h.CHILD = t.CHILD"
    # The condition is the spec's (checks.yaml), never the file's; it runs on frames in memory.
    query = f"SELECT t._line AS _line, t.CHILD AS CHILD FROM {check.table} t{header} "  # noqa: S608
    return _fill(f"{query}{check.join} WHERE {condition}", year_spec)


def check_rules(frames: dict[str, pl.DataFrame], files: dict[str, str], year_spec: Ssda903Spec,
                log: ProblemLog, last: dict[str, pl.DataFrame] | None = None,
                not_run: dict[str, set[str]] | None = None,
                earlier: dict[str, pl.DataFrame] | None = None,
                earlier_years: Iterable[int] = ()) -> dict[str, int]:
    """Run every implemented rule of the year; how many rows broke each (rules run only).

    ``last``: last year's return's frames (``last_year_frames``), when the LA has one.
    ``earlier``: the frames of the LA's earlier returns loaded (``earlier_frames``),
    of the collection years ``earlier_years``.
    ``not_run``, when given, gathers the rules implemented but not run, by what the
    return lacked: a table's name, a column's, "" for last year's return, or
    "earlier:<years>" for the earlier returns not loaded.
    """
    loaded_years = set(earlier_years)
    not_run = {} if not_run is None else not_run
    listed = rule_year(year_spec.year)
    frames, last = dict(frames), dict(last) if last is not None else None
    _with_uasc(frames)
    if last is not None:
        _with_uasc(last, LAST)
    context = pl.SQLContext(frames={**frames, **(last or {}), **(earlier or {})})
    for name, query in derived().items():
        try:
            context.register(name, context.execute(_fill(query, year_spec), eager=True))
        except (pl.exceptions.ColumnNotFoundError, pl.exceptions.SQLInterfaceError) as missing:
            if not _absent(missing):
                raise
    broken: dict[str, int] = {}
    for code, rule in rules_for(year_spec.year).items():
        for check in checks().get(code, ()):
            condition = check.condition(listed)
            if condition is None:
                continue
            if check.table not in frames:
                _not_run(not_run, code, check.table)
                continue
            if last is None and check.needs_last_year:
                _not_run(not_run, code, "")
                continue
            if check.earlier:
                unloaded = [y for y in range(year_spec.year - check.earlier, year_spec.year)
                            if y not in loaded_years]
                if unloaded:
                    _not_run(not_run, code, "earlier:" + " ".join(map(str, unloaded)))
                    continue
            try:
                hits = context.execute(_query(check, condition, year_spec), eager=True)
            except (pl.exceptions.ColumnNotFoundError,
                    pl.exceptions.SQLInterfaceError) as missing:
                if _absent(missing):
                    _not_run(not_run, code, _what_is_absent(missing))
                    continue
                raise
            broken[code] = broken.get(code, 0) + hits.height
            if not hits.height:
                continue
            wording = rule.message(listed)
            field = check.field or (rule.fields[0] if rule.fields else "")
            for line, child in hits.unique(maintain_order=True).sort("_line").iter_rows():
                log.add(code, wording, file=files[check.table], row=line, child=child or "",
                        field=field, severity=rule.severity)
    return broken


def _not_run(not_run: dict[str, set[str]], code: str, what: str) -> None:
    not_run.setdefault(what, set()).add(code)


def _what_is_absent(error: Exception) -> str:
    """The table (``_last`` for last year's return) or column a query lacked."""
    text = str(error)
    table = _NO_TABLE.search(text)
    if table:
        return "" if table.group(1).endswith(LAST) else table.group(1)
    column = _NO_COLUMN.search(text)
    return f"column {column.group(1)}" if column else "a table or column"


def report_not_checked(log: ProblemLog, year_spec: Ssda903Spec, file: str,
                       not_run: dict[str, set[str]]) -> None:
    """Say which of the year's DfE rules were not checked on this return, and why.

    One query for each reason: the rules this service does not check (by what
    they need), and those implemented that the return gave nothing to run on.
    Never a silent pass.
    """
    from safeguarding.datasets.validation.specs import period_label
    from safeguarding.datasets.validation.ssda903_spec import message

    titles = {name: table.title for name, table in tables().items()}
    said: list[tuple[str, list[str]]] = list(gap_reasons(year_spec.year).items())
    for what, codes in sorted(not_run.items()):
        if what == "":
            reason = (f"they compare with the LA's return for the year before: load the "
                      f"{period_label(year_spec.year - 1)} return")
        elif what.startswith("earlier:"):
            wanted = [period_label(int(y)) for y in what.removeprefix("earlier:").split()]
            shown = wanted[0] if len(wanted) == 1 else \
                f"{', '.join(wanted[:-1])} and {wanted[-1]}"
            reason = (f"they compare with the LA's earlier returns, not checked: load the "
                      f"returns for {shown}")
        elif what in titles:
            reason = f"the return has no {titles[what]} table"
        else:
            reason = f"the return does not give the {what.replace('column ', '')} column"
        said.append((reason, sorted(codes, key=_order)))
    for reason, listed in said:
        log.add("SCP903-RULES-NOT-CHECKED",
                message("SCP903-RULES-NOT-CHECKED", count=len(listed),
                        codes=", ".join(listed), reason=reason),
                file=file, row=None, severity="query")


def _absent(error: Exception) -> bool:
    """Whether a query failed only because the return lacks a table or column it names."""
    return isinstance(error, pl.exceptions.ColumnNotFoundError) or "not found" in str(error) \
        or bool(_NO_COLUMN.search(str(error)))

