"""Deterministic linkage: exact identifier matches, before any probabilistic scoring.

Precedence: NHS number, else UPN, else LA and LA child ID. The lookup is the
partnership's child index plus the identifiers of agency records already linked
to a child (so a police record with an NHS number links through a health record
that carried it, even when the index itself lacks it). An identifier that
points at two different children is ambiguous and is not used.

A match is *conflicting* when the record and the matched child both hold
another identifier and the two differ (the NHS numbers agree but the UPNs do
not, say). Conflicting matches are never linked automatically: they go to the
review queue.
"""

from __future__ import annotations

import polars as pl

# (link method, the columns that must all agree)
IDENTIFIERS: list[tuple[str, list[str]]] = [
    ("nhs_number", ["nhs_number"]),
    ("upn", ["upn"]),
    ("la_child_id", ["la", "la_child_id"]),
]
IDENTIFIER_COLUMNS = ["nhs_number", "upn", "la", "la_child_id"]


def _blank_to_null(frame: pl.DataFrame) -> pl.DataFrame:
    return frame.with_columns(
        pl.when(pl.col(c).cast(pl.Utf8).str.strip_chars() == "").then(None)
        .otherwise(pl.col(c).cast(pl.Utf8).str.strip_chars()).alias(c)
        for c in IDENTIFIER_COLUMNS
    )


def identifier_conflicts(frame: pl.DataFrame) -> pl.Expr:
    """A list of the identifiers on which record (no suffix) and child (``_child``) differ."""
    checks = [
        pl.when(pl.col("nhs_number").is_not_null() & pl.col("nhs_number_child").is_not_null()
                & (pl.col("nhs_number") != pl.col("nhs_number_child"))).then(pl.lit("nhs_number")),
        pl.when(pl.col("upn").is_not_null() & pl.col("upn_child").is_not_null()
                & (pl.col("upn") != pl.col("upn_child"))).then(pl.lit("upn")),
        pl.when(pl.col("la_child_id").is_not_null() & pl.col("la_child_id_child").is_not_null()
                & (pl.col("la") == pl.col("la_child"))
                & (pl.col("la_child_id") != pl.col("la_child_id_child")))
        .then(pl.lit("la_child_id")),
    ]
    return pl.concat_list(checks).list.drop_nulls()


def with_conflicts(pairs: pl.DataFrame, records: pl.DataFrame,
                   children: pl.DataFrame) -> pl.DataFrame:
    """Add a ``conflicts`` list column to (record_uid, child_uid) pairs."""
    rec = _blank_to_null(records.select("record_uid", *IDENTIFIER_COLUMNS))
    kid = _blank_to_null(children.select("child_uid", *IDENTIFIER_COLUMNS)).rename(
        {c: f"{c}_child" for c in IDENTIFIER_COLUMNS})
    joined = pairs.join(rec, on="record_uid", how="left").join(kid, on="child_uid", how="left")
    return joined.with_columns(conflicts=identifier_conflicts(joined)).drop(
        *IDENTIFIER_COLUMNS, *[f"{c}_child" for c in IDENTIFIER_COLUMNS])


def match(records: pl.DataFrame, children: pl.DataFrame,
          bridges: pl.DataFrame | None = None) -> pl.DataFrame:
    """Return (record_uid, child_uid, method, conflicts) for each record an identifier matches.

    ``records``: record_uid and the identifier columns. ``children``: child_uid
    and the identifier columns. ``bridges``: the same shape as ``children``, one
    row per agency record already linked to a child.
    """
    records = _blank_to_null(records.select("record_uid", *IDENTIFIER_COLUMNS))
    index = _blank_to_null(children.select("child_uid", *IDENTIFIER_COLUMNS))
    lookup = index
    if bridges is not None and not bridges.is_empty():
        lookup = pl.concat([index, _blank_to_null(
            bridges.select("child_uid", *IDENTIFIER_COLUMNS))], how="vertical_relaxed")
    remaining = records
    found = []
    for method, keys in IDENTIFIERS:
        keymap = (
            lookup.filter(pl.all_horizontal(pl.col(k).is_not_null() for k in keys))
            .select(*keys, "child_uid").unique()
            .group_by(keys).agg(pl.col("child_uid").first(), pl.len().alias("children"))
            .filter(pl.col("children") == 1).drop("children")
        )
        hits = (remaining.filter(pl.all_horizontal(pl.col(k).is_not_null() for k in keys))
                .join(keymap, on=keys, how="inner")
                .select("record_uid", "child_uid", pl.lit(method).alias("method")))
        found.append(hits)
        remaining = remaining.join(hits.select("record_uid"), on="record_uid", how="anti")
    matched = pl.concat(found) if found else pl.DataFrame(
        schema={"record_uid": pl.Utf8, "child_uid": pl.Utf8, "method": pl.Utf8})
    return with_conflicts(matched, records, index)
