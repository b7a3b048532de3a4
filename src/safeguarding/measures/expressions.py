"""Polars expressions the measure engines share: a date within a period, open on a day."""

from __future__ import annotations

import datetime as dt
from typing import Protocol

import polars as pl


class _Span(Protocol):
    @property
    def start(self) -> dt.date: ...

    @property
    def end(self) -> dt.date: ...


def in_period(col: str, period: _Span) -> pl.Expr:
    """The date column falls in the period, both ends included."""
    return pl.col(col).is_between(period.start, period.end, closed="both")


def day_in_period(col: str, period: _Span) -> pl.Expr:
    """A date-time column's day falls in the period."""
    return pl.col(col).dt.date().is_between(period.start, period.end, closed="both")


def open_at(start: str, end: str, day: dt.date) -> pl.Expr:
    """Started on or before the day and not ended by it."""
    return (pl.col(start) <= day) & (pl.col(end).is_null() | (pl.col(end) > day))
