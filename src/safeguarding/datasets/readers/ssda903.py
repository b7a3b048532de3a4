"""Read the CSV tables of an SSDA903 return: given as CSV files, or as one ZIP of them.

A ZIP is read in memory, never unpacked to disk, and still refused when a
member's path is absolute or climbs out with ``..``, when it holds too many
files, or when it unpacks to more than the limit (checked on the bytes read,
not only on what the ZIP declares, so a zip bomb stops at the limit). Only
``.csv`` members are read; others are reported and skipped.
"""

from __future__ import annotations

import csv
import io
import zipfile
from collections.abc import Iterator
from dataclasses import dataclass, field
from pathlib import Path, PurePosixPath

from django.conf import settings

DEFAULT_MAX_UNZIPPED_BYTES = 1024**3
DEFAULT_MAX_MEMBERS = 50
CHUNK = 1024 * 1024
# macOS adds these to ZIPs it makes; they are never tables.
_IGNORED_PARTS = ("__MACOSX",)


def max_unzipped_bytes() -> int:
    """DATASETS_MAX_UNZIPPED_BYTES: the most a ZIP may unpack to, 1 GiB unless set."""
    return int(getattr(settings, "DATASETS_MAX_UNZIPPED_BYTES", DEFAULT_MAX_UNZIPPED_BYTES))


def max_members() -> int:
    return int(getattr(settings, "DATASETS_MAX_ZIP_MEMBERS", DEFAULT_MAX_MEMBERS))


class Refused(Exception):  # noqa: N818 - a verdict on the file, not a fault in the code
    """The input cannot be read safely or at all: ``rule`` and its message parameters."""

    def __init__(self, rule: str, *, file: str = "", **params):
        super().__init__(rule)
        self.rule, self.file, self.params = rule, file, params


@dataclass
class CsvFile:
    """One CSV table as read: its name (``return.zip/header.csv`` inside a ZIP) and text."""

    name: str
    text: str


@dataclass
class Skipped:
    name: str
    rule: str
    params: dict = field(default_factory=dict)


def is_zip(path: Path) -> bool:
    return path.suffix.lower() == ".zip" or zipfile.is_zipfile(path)


def _decode(name: str, data: bytes) -> CsvFile:
    try:
        return CsvFile(name, data.decode("utf-8-sig"))
    except UnicodeDecodeError:
        pass
    try:
        return CsvFile(name, data.decode("cp1252"))
    except UnicodeDecodeError as error:
        raise Refused("SCP903-FILE-ENCODING", file=name, detail=str(error)) from None


def _unsafe(member: str) -> bool:
    if member.startswith(("/", "\\")) or (len(member) > 1 and member[1] == ":"):
        return True
    return ".." in PurePosixPath(member.replace("\\", "/")).parts


def _read_zip(path: Path, display: str) -> tuple[list[CsvFile], list[Skipped]]:
    limit = max_unzipped_bytes()
    try:
        archive = zipfile.ZipFile(path)
    except (zipfile.BadZipFile, OSError) as error:
        raise Refused("SCP903-ZIP-BAD", file=display, detail=str(error)) from None
    with archive:
        members = [m for m in archive.infolist() if not m.is_dir()]
        for member in members:
            if _unsafe(member.filename):
                raise Refused("SCP903-ZIP-UNSAFE", file=display, member=member.filename)
        if len(members) > max_members():
            raise Refused("SCP903-ZIP-MEMBERS", file=display, count=len(members),
                          limit=max_members())
        declared = sum(m.file_size for m in members)
        if declared > limit:
            raise Refused("SCP903-ZIP-TOO-BIG", file=display, limit=_size(limit),
                          detail=f"it declares {_size(declared)}")
        found, skipped, total = [], [], 0
        for member in members:
            name = member.filename.replace("\\", "/")
            parts = PurePosixPath(name).parts
            if any(part in _IGNORED_PARTS for part in parts) or parts[-1].startswith("._"):
                continue
            shown = f"{display}/{name}"
            if not name.lower().endswith(".csv"):
                skipped.append(Skipped(shown, "SCP903-ZIP-NOT-CSV", {"member": name}))
                continue
            chunks = []
            try:
                with archive.open(member) as handle:
                    while chunk := handle.read(CHUNK):
                        total += len(chunk)
                        if total > limit:
                            raise Refused("SCP903-ZIP-TOO-BIG", file=display, limit=_size(limit),
                                          detail="its files hold more than they declare")
                        chunks.append(chunk)
            except (zipfile.BadZipFile, RuntimeError, NotImplementedError, OSError) as error:
                # RuntimeError: an encrypted member; NotImplementedError: an unknown compression.
                raise Refused("SCP903-ZIP-BAD", file=display, detail=str(error)) from None
            found.append(_decode(shown, b"".join(chunks)))
    if not found:
        raise Refused("SCP903-ZIP-EMPTY", file=display)
    return found, skipped


def _size(size: int) -> str:
    from safeguarding.datasets.services import human_size

    return human_size(size)


def read_inputs(paths: list[Path], names: list[str]) -> tuple[list[CsvFile], list[Skipped]]:
    """The CSV tables in these files (each a CSV, or a ZIP of CSVs), and what was skipped."""
    found: list[CsvFile] = []
    skipped: list[Skipped] = []
    for path, name in zip(paths, names, strict=True):
        if is_zip(path):
            tables, passed = _read_zip(path, name)
            found += tables
            skipped += passed
        elif path.suffix.lower() in (".csv", ".txt", ""):
            found.append(_decode(name, path.read_bytes()))
        else:
            skipped.append(Skipped(name, "SCP903-FILE-TYPE", {"name": name}))
    return found, skipped


def rows(text: str) -> tuple[list[str], Iterator[tuple[int, list[str]]]]:
    """The header cells, then (line number, cells) for each non-blank row; line 1 is the header."""
    reader = csv.reader(io.StringIO(text, newline=""))
    try:
        header = [cell.strip() for cell in next(reader, [])]
    except csv.Error as error:
        raise Refused("SCP903-FILE-CSV", detail=str(error)) from None

    def body() -> Iterator[tuple[int, list[str]]]:
        try:
            for cells in reader:
                if not cells or all(not cell.strip() for cell in cells):
                    continue
                yield reader.line_num, cells
        except csv.Error as error:
            raise Refused("SCP903-FILE-CSV", detail=f"line {reader.line_num}: {error}") from None

    return header, body()
