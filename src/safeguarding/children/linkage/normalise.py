"""Cleaning and derived columns for linkage: names, nicknames, soundex, dates, postcodes.

Everything here is pure (no Django, no database) so the benchmark and the
services prepare records the same way.
"""

from __future__ import annotations

import datetime as dt
import re
import unicodedata
from functools import cache
from pathlib import Path

import polars as pl

from safeguarding.core.yaml_data import load_yaml

DATA = Path(__file__).parent / "data"
_NOT_LETTERS = re.compile(r"[^A-Z]")
_POSTCODE_CHARS = re.compile(r"[^A-Z0-9]")
# Sex codes that say nothing about the child (DfE: 0 not recorded, 9 indeterminate).
UNKNOWN_SEX = {"", "0", "9"}


def clean_name(value: str | None) -> str | None:
    """Upper case, accents folded, letters only: "O'Brien-Smith" -> "OBRIENSMITH"."""
    if not value:
        return None
    folded = unicodedata.normalize("NFKD", value).encode("ascii", "ignore").decode()
    cleaned = _NOT_LETTERS.sub("", folded.upper())
    return cleaned or None


_SOUNDEX_CODES = {
    **dict.fromkeys("BFPV", "1"), **dict.fromkeys("CGJKQSXZ", "2"), **dict.fromkeys("DT", "3"),
    "L": "4", **dict.fromkeys("MN", "5"), "R": "6",
}


def soundex(name: str | None) -> str | None:
    """American Soundex (the US National Archives rules): first letter and three digits.

    H and W do not separate letters with the same code; vowels do.
    """
    name = clean_name(name)
    if not name:
        return None
    digits = []
    previous = _SOUNDEX_CODES.get(name[0], "")
    for char in name[1:]:
        code = _SOUNDEX_CODES.get(char, "")
        if code and code != previous:
            digits.append(code)
        if char not in "HW":
            previous = code
    return (name[0] + "".join(digits) + "000")[:4]


@cache
def nickname_table() -> dict[str, list[tuple[str, str | None]]]:
    """Map each name (formal or diminutive) to the groups it belongs to: (formal, sex)."""
    data = load_yaml((DATA / "nicknames.yaml").read_text())
    table: dict[str, list[tuple[str, str | None]]] = {}
    for group in data["groups"]:
        formal = clean_name(group["name"]) or ""
        sex = group.get("sex")
        for name in [group["name"], *group["nicknames"]]:
            table.setdefault(clean_name(name) or "", []).append((formal, sex))
    return table


def name_groups(first_name: str | None, sex: str | None = None) -> list[str]:
    """The name itself and every formal name it may be short for, given the child's sex.

    Two first names agree at the nickname level when their groups share a name:
    BILL -> [BILL, WILLIAM] and WILLIAM -> [WILLIAM] share WILLIAM.
    """
    name = clean_name(first_name)
    if not name:
        return []
    groups = nickname_table().get(name, [])
    known_sex = sex if sex not in UNKNOWN_SEX else None
    formal = sorted({f for f, s in groups if known_sex is None or s is None or s == known_sex})
    return [name, *[f for f in formal if f != name]]


def canonical_first_name(first_name: str | None, sex: str | None = None) -> str | None:
    """One formal name to block on: the first formal name a diminutive stands for."""
    groups = name_groups(first_name, sex)
    if not groups:
        return None
    return groups[1] if len(groups) > 1 else groups[0]


def clean_postcode(value: str | None) -> str | None:
    """Upper case with one space before the inward code: "st52ab" -> "ST5 2AB"."""
    if not value:
        return None
    compact = _POSTCODE_CHARS.sub("", value.upper())
    if len(compact) < 5:
        return compact or None
    return f"{compact[:-3]} {compact[-3:]}"


def postcode_district(value: str | None) -> str | None:
    """The outward code: "ST5 2AB" -> "ST5"."""
    postcode = clean_postcode(value)
    if not postcode:
        return None
    return postcode.split(" ")[0] if " " in postcode else None


def postcode_sector(value: str | None) -> str | None:
    """The outward code and the first inward digit: "ST5 2AB" -> "ST5 2"."""
    postcode = clean_postcode(value)
    if not postcode or " " not in postcode:
        return None
    return postcode[:-2]


def postcode_area(value: str | None) -> str | None:
    """The leading letters: "ST5 2AB" -> "ST"."""
    district = postcode_district(value)
    if not district:
        return None
    match = re.match(r"[A-Z]+", district)
    return match.group(0) if match else None


def first_of_month(value: dt.date | None) -> dt.date | None:
    return value.replace(day=1) if value else None


# --- the prepared frame used by the probabilistic model ---------------------------------------

PREPARED_COLUMNS = [
    "unique_id", "first_name", "first_name_groups", "first_name_canonical", "first_initial",
    "last_name", "last_name_soundex", "dob", "birth_year", "dob_low", "dob_high", "dob_day",
    "dob_month", "sex", "postcode", "postcode_sector", "postcode_district", "postcode_area",
]


def _map_unique(column: pl.Series, function, dtype) -> pl.Series:
    """Apply a Python function once per distinct value (names repeat a lot)."""
    distinct = column.unique()
    mapping = pl.DataFrame({"key": distinct,
                            "value": pl.Series([function(v) for v in distinct], dtype=dtype)})
    return (pl.DataFrame({"key": column}).join(mapping, on="key", how="left",
                                                maintain_order="left")["value"])


def prepare(frame: pl.DataFrame) -> pl.DataFrame:
    """Add the derived columns to a frame of people.

    Input columns: ``unique_id`` (string), ``first_name``, ``last_name``,
    ``date_of_birth`` (date), ``sex`` (DfE code), ``postcode``.
    """
    sex = frame.select(
        pl.when(pl.col("sex").cast(pl.Utf8).is_in(sorted(UNKNOWN_SEX)))
        .then(None).otherwise(pl.col("sex").cast(pl.Utf8)).alias("sex"))["sex"]
    first = _map_unique(frame["first_name"].cast(pl.Utf8), clean_name, pl.Utf8)
    last = _map_unique(frame["last_name"].cast(pl.Utf8), clean_name, pl.Utf8)
    name_sex = pl.DataFrame({"first": first, "sex": sex})
    keyed = name_sex.select(pl.concat_str([pl.col("first").fill_null(""), pl.lit("|"),
                                           pl.col("sex").fill_null("")]).alias("key"))["key"]

    def groups(key: str) -> list[str]:
        name, _, code = key.partition("|")
        return name_groups(name or None, code or None)

    groups_series = _map_unique(keyed, groups, pl.List(pl.Utf8))
    postcode = _map_unique(frame["postcode"].cast(pl.Utf8), clean_postcode, pl.Utf8)
    dob = frame["date_of_birth"].cast(pl.Date)
    out = pl.DataFrame({
        "unique_id": frame["unique_id"].cast(pl.Utf8),
        "first_name": first,
        "first_name_groups": groups_series,
        "last_name": last,
        "dob": dob,
        "sex": sex,
        "postcode": postcode,
    })
    return out.with_columns(
        first_name_canonical=pl.when(pl.col("first_name_groups").list.len() > 1)
        .then(pl.col("first_name_groups").list.get(1, null_on_oob=True))
        .otherwise(pl.col("first_name")),
        last_name_soundex=_map_unique(last, soundex, pl.Utf8),
        birth_year=pl.col("dob").dt.year(),
        dob_day=pl.col("dob").dt.day(),
        dob_month=pl.col("dob").dt.month(),
        postcode_sector=pl.col("postcode").str.slice(0, pl.col("postcode").str.len_chars() - 2),
        postcode_district=pl.col("postcode").str.split(" ").list.first(),
        postcode_area=pl.col("postcode").str.extract(r"^([A-Z]+)", 1),
    ).with_columns(
        first_initial=pl.col("first_name_canonical").str.slice(0, 1),
        dob_low=pl.min_horizontal("dob_day", "dob_month"),
        dob_high=pl.max_horizontal("dob_day", "dob_month"),
        postcode_sector=pl.when(pl.col("postcode").str.contains(" "))
        .then(pl.col("postcode_sector")),
        postcode_district=pl.when(pl.col("postcode").str.contains(" "))
        .then(pl.col("postcode_district")),
    ).select(PREPARED_COLUMNS)
