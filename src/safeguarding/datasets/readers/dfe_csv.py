"""Stream one of DfE's published CSV tables (or an agency template), a row at a time.

The files are UTF-8 (the children looked after file starts with a byte-order
mark, which is dropped) and quote names with commas in them ("Herefordshire,
County of"). Columns are found by name, so their order does not matter.

A field longer than ``max_field_chars()`` (10,000 characters unless set) is
refused, naming its row and column, as is a line longer than MAX_LINE_CHARS:
no cell of these tables comes near it, and a file that has one is not one of
them (or has lost its quotes). Neither is read into memory whole.
"""

from __future__ import annotations

import csv
from collections.abc import Iterator
from pathlib import Path

from django.conf import settings

DEFAULT_MAX_FIELD_CHARS = 10_000
MAX_LINE_CHARS = 1024 * 1024


def max_field_chars() -> int:
    """DATASETS_MAX_FIELD_CHARS: the longest field read from a CSV, 10,000 characters unless set."""
    return int(getattr(settings, "DATASETS_MAX_FIELD_CHARS", DEFAULT_MAX_FIELD_CHARS))


class CsvRefused(Exception):  # noqa: N818 - a verdict on the file, not a fault in the code
    """The file cannot be read as CSV from ``row`` on: ``reason`` is "field-long",
    "line-long", "nul" (a NUL character, which no text file has) or "csv"; ``column`` is the header's name of the field, when known."""

    def __init__(self, reason: str, *, row: int, column: str = "", limit: int = 0,
                 detail: str = ""):
        super().__init__(reason)
        self.reason, self.row, self.column, self.limit, self.detail = (
            reason, row, column, limit, detail)


def csv_problem(prefix: str, refused: CsvRefused) -> tuple[str, dict]:
    """The rule (``prefix``-FIELD-LONG, -LINE-LONG or -CSV) and message parameters."""
    suffix = {"field-long": "FIELD-LONG", "line-long": "LINE-LONG", "nul": "NUL"}.get(
        refused.reason, "CSV")
    return f"{prefix}-{suffix}", {"column": refused.column, "limit": f"{refused.limit:,}",
                                  "detail": refused.detail, "row": refused.row}


def field_at(text: str, limit: int) -> tuple[int, bool]:
    """The position of the first field of a CSV record longer than ``limit`` characters
    and True; or, when none is, of the field the text ends in and False."""
    position = length = 0
    quoted = False
    for char in text:
        if char == '"':
            quoted = not quoted
            continue
        if char == "," and not quoted:
            position, length = position + 1, 0
            continue
        length += 1
        if length > limit:
            return position, True
    return position, False


class DfeCsv:
    """The header on opening; then ``rows()`` yields (row number, cells), row 1 being the header.

    Raises UnicodeDecodeError for text that is not UTF-8 and CsvRefused for
    anything the CSV reader cannot read safely.
    """

    def __init__(self, path: str | Path):
        self._file = open(path, newline="", encoding="utf-8-sig")  # noqa: SIM115 - closed by close()
        self._limit = max_field_chars()
        self._record: list[str] = []  # the lines of the record being read
        self._lines_read = 0
        self._record_start = 1
        self._reader = csv.reader(self._lines())
        self.columns: list[str] = []
        try:
            self.columns = [cell.strip() for cell in self._next() or []]
        except Exception:
            self._file.close()
            raise

    def _lines(self) -> Iterator[str]:
        while line := self._file.readline(MAX_LINE_CHARS + 1):
            self._lines_read += 1
            self._record.append(line)
            if len(line) > MAX_LINE_CHARS:
                position, too_long = field_at("".join(self._record), self._limit)
                raise CsvRefused("field-long" if too_long else "line-long",
                                 row=self._record_start, column=self._column(position),
                                 limit=self._limit if too_long else MAX_LINE_CHARS)
            yield line

    def _column(self, position: int) -> str:
        if position < len(self.columns) and self.columns[position]:
            return self.columns[position]
        return f"column {position + 1}"

    def _next(self) -> list[str] | None:
        start = self._record_start = self._lines_read + 1
        self._record = []
        try:
            cells = next(self._reader, None)
        except csv.Error as error:
            text = "".join(self._record)
            if "field larger than field limit" in str(error):
                raise CsvRefused("field-long", row=start,
                                 column=self._column(field_at(text, self._limit)[0]),
                                 limit=self._limit) from None
            raise CsvRefused("csv", row=start, detail=str(error)) from None
        if cells is not None:
            for position, cell in enumerate(cells):
                if len(cell) > self._limit:
                    raise CsvRefused("field-long", row=start, column=self._column(position),
                                     limit=self._limit)
                if "\x00" in cell:
                    raise CsvRefused("nul", row=start, column=self._column(position))
        return cells

    def rows(self) -> Iterator[tuple[int, list[str]]]:
        while (cells := self._next()) is not None:
            if not cells or (len(cells) == 1 and not cells[0].strip()):
                continue
            yield self._reader.line_num, cells

    def close(self) -> None:
        self._file.close()

    def __enter__(self) -> DfeCsv:
        return self

    def __exit__(self, *exc) -> None:
        self.close()
