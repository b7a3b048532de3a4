"""Stream an Annex A workbook, a sheet at a time and a row at a time (openpyxl, read-only).

Cells come as the workbook holds them: a date cell as a datetime, a number as
int or float (an Excel serial date in a cell not formatted as a date is a
number), text as str. Empty rows are skipped; row numbers are the sheet's own.
"""

from __future__ import annotations

import zipfile
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from openpyxl import load_workbook
from openpyxl.utils.exceptions import InvalidFileException


class XlsxRefused(Exception):
    """The file is not a workbook openpyxl can read."""

    def __init__(self, detail: str):
        super().__init__(detail)
        self.detail = detail


@dataclass
class Sheet:
    name: str
    rows: Iterator[tuple[int, tuple[Any, ...]]]


def _blank(value: Any) -> bool:
    return value is None or (isinstance(value, str) and not value.strip())


def _rows(worksheet) -> Iterator[tuple[int, tuple[Any, ...]]]:
    for number, cells in enumerate(worksheet.iter_rows(values_only=True), start=1):
        if cells and not all(_blank(value) for value in cells):
            yield number, tuple(cells)


class AnnexAWorkbook:
    """Open on creation (raising XlsxRefused); ``sheets()`` yields each sheet in order."""

    def __init__(self, path: str | Path):
        try:
            self._book = load_workbook(path, read_only=True, data_only=True)
        except (InvalidFileException, zipfile.BadZipFile, KeyError, OSError) as error:
            raise XlsxRefused(str(error) or error.__class__.__name__) from None
        except Exception as error:  # a damaged workbook fails in many ways inside openpyxl
            raise XlsxRefused(f"the workbook is damaged ({error.__class__.__name__})") from None

    def sheets(self) -> Iterator[Sheet]:
        for worksheet in self._book.worksheets:
            yield Sheet(worksheet.title, _rows(worksheet))

    def close(self) -> None:
        self._book.close()

    def __enter__(self) -> AnnexAWorkbook:
        return self

    def __exit__(self, *exc) -> None:
        self.close()
