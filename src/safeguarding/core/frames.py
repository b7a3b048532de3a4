"""A query's rows read straight into a Polars frame, for the measure engine's frames.

``values_list`` hands every value of every row through Django's converters one by one (a
date is parsed from text by Python on SQLite); at national scale the engine's frames are
millions of rows, and that was most of a yearly report's publication (ADR 0047). Here the
query is compiled by Django, as ever, but run on the connection's own cursor (so it sees
the caller's open transaction) and read in chunks into Polars: dates are cast to ISO text
in SQL and parsed by Polars a column at a time; JSON arrives as text on both databases and
Polars decodes it. The frame holds the values ``values_list`` would give, in the types the
measures declare (``KINDS``); ``tests/core/test_frames.py`` holds the two equal.
"""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

import polars as pl
from django.core.exceptions import EmptyResultSet
from django.db import connections, models
from django.db.models.functions import Cast

# The column kinds a frame may declare, as Polars types (core/modules.py's FrameSpec).
KINDS: dict[str, Any] = {
    "str": pl.String, "int": pl.Int64, "int32": pl.Int32, "bool": pl.Boolean, "date": pl.Date,
    "datetime": pl.Datetime("us"), "list[str]": pl.List(pl.String)}
CHUNK = 100_000


def _read_as(kind: str, vendor: str) -> Any:
    """The Polars type a column arrives in from the driver, before it is made ``kind``."""
    if kind in ("date", "list[str]"):
        return pl.String
    if kind == "datetime":
        # PostgreSQL gives aware datetimes (UTC, the connection's zone); SQLite naive UTC.
        return pl.Datetime("us", "UTC") if vendor == "postgresql" else pl.Datetime("us")
    if kind == "int32":
        return pl.Int64
    return KINDS[kind]


def _finished(name: str, kind: str, read_as: Any) -> pl.Expr:
    column = pl.col(name)
    if kind == "date":
        return column.str.to_date("%Y-%m-%d")
    if kind == "list[str]":
        return column.str.json_decode(pl.List(pl.String))
    if kind == "datetime" and getattr(read_as, "time_zone", None):
        return column.dt.convert_time_zone("UTC").dt.replace_time_zone(None)
    return column.cast(KINDS[kind])


def values_frame(queryset: models.QuerySet, columns: Mapping[str, tuple[str, str]], *,
                 chunk: int = CHUNK) -> pl.DataFrame:
    """``queryset``'s rows as a frame. ``columns`` maps each column's name, in order, to the
    field path it is read from and its kind (a key of ``KINDS``). A datetime is naive UTC,
    as the measures read it."""
    connection = connections[queryset.db]
    casts = {f"frame_column_{i}": Cast(path, output_field=models.TextField())
             for i, (path, kind) in enumerate(columns.values()) if kind == "date"}
    paths = [f"frame_column_{i}" if kind == "date" else path
             for i, (path, kind) in enumerate(columns.values())]
    read_as = {name: _read_as(kind, connection.vendor) for name, (_, kind) in columns.items()}
    parts = []
    try:
        sql, params = queryset.annotate(**casts).values_list(*paths).query.sql_with_params()
    except EmptyResultSet:  # e.g. a filter on no LAs at all: Django runs no query either
        sql = None
    if sql is not None:
        with connection.cursor() as cursor:
            cursor.execute(sql, params)
            while rows := cursor.fetchmany(chunk):
                parts.append(pl.DataFrame(rows, schema=read_as, orient="row"))
    frame = pl.concat(parts) if parts else pl.DataFrame(schema=read_as)
    return frame.select(_finished(name, kind, read_as[name])
                        for name, (_, kind) in columns.items())
