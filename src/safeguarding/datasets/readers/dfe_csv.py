"""Stream one of DfE's published CSV tables, a row at a time.

The files are UTF-8 (the children looked after file starts with a byte-order
mark, which is dropped) and quote names with commas in them ("Herefordshire,
County of"). Columns are found by name, so their order does not matter.
"""

from __future__ import annotations

import csv
from collections.abc import Iterator
from pathlib import Path


class DfeCsv:
    """The header on opening; then ``rows()`` yields (row number, cells), row 1 being the header."""

    def __init__(self, path: str | Path):
        self._file = open(path, newline="", encoding="utf-8-sig")  # noqa: SIM115 - closed by close()
        self._reader = csv.reader(self._file)
        try:
            self.columns = [cell.strip() for cell in next(self._reader, [])]
        except Exception:
            self._file.close()
            raise

    def rows(self) -> Iterator[tuple[int, list[str]]]:
        for cells in self._reader:
            if not cells or (len(cells) == 1 and not cells[0].strip()):
                continue
            yield self._reader.line_num, cells

    def close(self) -> None:
        self._file.close()

    def __enter__(self) -> DfeCsv:
        return self

    def __exit__(self, *exc) -> None:
        self.close()
