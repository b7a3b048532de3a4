"""Stream an Annex A workbook, a sheet at a time and a row at a time (openpyxl, read-only).

Cells come as the workbook holds them: a date cell as a datetime, a number as
int or float (an Excel serial date in a cell not formatted as a date is a
number), text as str. Empty rows are skipped; row numbers are the sheet's own.

Before openpyxl reads it, each XML part of the workbook is checked up to its
first element: a part that declares a DOCTYPE is refused by name (Excel never
writes one; it is how entity attacks are carried). A workbook that declares it
unpacks to more than the ZIP limit is refused too.
"""

from __future__ import annotations

import zipfile
import zlib
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path
from typing import Any
from xml.parsers import expat

from openpyxl import load_workbook
from openpyxl.utils.exceptions import InvalidFileException


class XlsxRefused(Exception):
    """The file is not a workbook that can be read safely: ``rule`` says why, ``detail``
    what was found; ``sheet`` and ``row`` where, when it was found inside a sheet."""

    def __init__(self, detail: str, *, rule: str = "AA-FILE-XLSX", sheet: str = "",
                 row: int | None = None):
        super().__init__(detail)
        self.detail, self.rule, self.sheet, self.row = detail, rule, sheet, row


class _Doctype(Exception):
    """The prolog declares a DOCTYPE."""


class _Prolog(Exception):
    """The first element was reached: the prolog had no DOCTYPE."""


def _declares_doctype(handle) -> bool:
    """Whether an XML stream declares a DOCTYPE before its first element."""
    parser = expat.ParserCreate()

    def doctype(*_args) -> None:
        raise _Doctype

    def element(*_args) -> None:
        raise _Prolog

    parser.StartDoctypeDeclHandler = doctype
    parser.StartElementHandler = element
    try:
        while chunk := handle.read(16384):
            parser.Parse(chunk, False)
        parser.Parse(b"", True)
    except _Doctype:
        return True
    except (_Prolog, expat.ExpatError):
        return False  # not well-formed: openpyxl says so when it reads the part
    return False


def _check_parts(path: str | Path) -> None:
    from safeguarding.datasets.readers.ssda903 import max_unzipped_bytes
    from safeguarding.datasets.services import human_size as _size

    try:
        with zipfile.ZipFile(path) as archive:
            members = archive.infolist()
            declared = sum(m.file_size for m in members)
            if declared > max_unzipped_bytes():
                raise XlsxRefused(f"it unpacks to {_size(declared)}, more than the "
                                  f"{_size(max_unzipped_bytes())} this service reads",
                                  rule="AA-FILE-TOO-BIG")
            for member in members:
                if not member.filename.lower().endswith((".xml", ".rels", ".vml")):
                    continue
                with archive.open(member) as handle:
                    if _declares_doctype(handle):
                        raise XlsxRefused(member.filename, rule="AA-FILE-DOCTYPE")
    except (zipfile.BadZipFile, zlib.error, OSError, EOFError, RuntimeError,
            NotImplementedError, ValueError) as error:
        raise XlsxRefused(str(error) or error.__class__.__name__) from None


@dataclass
class Sheet:
    name: str
    rows: Iterator[tuple[int, tuple[Any, ...]]]


def _blank(value: Any) -> bool:
    return value is None or (isinstance(value, str) and not value.strip())


def _rows(worksheet) -> Iterator[tuple[int, tuple[Any, ...]]]:
    number = 0
    try:
        for number, cells in enumerate(worksheet.iter_rows(values_only=True), start=1):
            if cells and not all(_blank(value) for value in cells):
                yield number, tuple(cells)
    except Exception as error:  # a damaged sheet fails in many ways inside openpyxl
        raise XlsxRefused(f"sheet {worksheet.title} is damaged after row {number} "
                          f"({error.__class__.__name__})", sheet=worksheet.title,
                          row=number + 1) from None


class AnnexAWorkbook:
    """Open on creation (raising XlsxRefused); ``sheets()`` yields each sheet in order."""

    def __init__(self, path: str | Path):
        _check_parts(path)
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
