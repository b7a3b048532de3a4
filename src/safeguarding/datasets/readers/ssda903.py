"""Read the CSV tables of an SSDA903 return: given as CSV files, or as one ZIP of them.

A ZIP is read in place, never unpacked to disk nor into memory: each member is
streamed, a piece at a time, into the CSV reader. It is still refused when a
member's path is absolute or climbs out with ``..``, when it holds too many
files, or when it unpacks to more than the limit (checked on what the ZIP
declares and again on the bytes read, so a zip bomb stops at the limit). Only
``.csv`` members are read; others are reported and skipped.

Each table is read once on opening (to find its encoding, count its size and
fingerprint it) and then again each time its rows are wanted, so memory stays
flat however large a table is.
"""

from __future__ import annotations

import codecs
import contextlib
import csv
import functools
import hashlib
import io
import zipfile
import zlib
from collections.abc import Callable, Iterator
from dataclasses import dataclass, field
from pathlib import Path, PurePosixPath
from typing import IO

from django.conf import settings

DEFAULT_MAX_UNZIPPED_BYTES = 1024**3
DEFAULT_MAX_MEMBERS = 50
CHUNK = 1024 * 1024
# A CSV line (a record, or part of a quoted one) longer than this is refused
# rather than read into memory whole.
MAX_LINE_CHARS = 1024 * 1024
ENCODINGS = ("utf-8-sig", "cp1252")
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
    """One CSV table: its name (``return.zip/header.csv`` inside a ZIP), how to open its
    bytes, its encoding, and a fingerprint of its text (the same however it is encoded)."""

    name: str
    opener: Callable[[], contextlib.AbstractContextManager[IO[bytes]]]
    encoding: str = "utf-8-sig"
    sha256: str = ""

    @contextlib.contextmanager
    def open(self) -> Iterator[io.TextIOWrapper]:
        with self.opener() as raw:
            text = io.TextIOWrapper(raw, encoding=self.encoding, newline="")
            try:
                yield text
            finally:
                text.detach()

    @property
    def text(self) -> str:
        """The whole table as text: for small files and tests only."""
        with self.open() as handle:
            return handle.read()


@dataclass
class Skipped:
    name: str
    rule: str
    params: dict = field(default_factory=dict)


def is_zip(path: Path) -> bool:
    return path.suffix.lower() == ".zip" or zipfile.is_zipfile(path)


class _Budget:
    """The bytes a ZIP may still unpack to, spent as its members are read."""

    def __init__(self, display: str, limit: int):
        self.display, self.limit, self.used = display, limit, 0

    def spend(self, member: str, size: int) -> None:
        self.used += size
        if self.used > self.limit:
            raise Refused("SCP903-ZIP-TOO-BIG", file=self.display, member=member,
                          limit=_size(self.limit),
                          detail="its files hold more than they declare")


def _scan(csv_file: CsvFile, spend: Callable[[int], None] | None = None) -> CsvFile:
    """Read the file once, a piece at a time: its encoding, its fingerprint, its size."""
    for encoding in ENCODINGS:
        decoder = codecs.getincrementaldecoder(encoding)()
        digest = hashlib.sha256()
        try:
            with csv_file.opener() as raw:
                while chunk := raw.read(CHUNK):
                    if spend is not None:
                        spend(len(chunk))
                    digest.update(decoder.decode(chunk).encode())
                digest.update(decoder.decode(b"", final=True).encode())
        except UnicodeDecodeError as error:
            if encoding == ENCODINGS[-1]:
                raise Refused("SCP903-FILE-ENCODING", file=csv_file.name,
                              detail=str(error)) from None
            spend = None  # the bytes are counted once
            continue
        csv_file.encoding, csv_file.sha256 = encoding, digest.hexdigest()
        return csv_file
    raise AssertionError("unreachable")


def _unsafe(member: str) -> bool:
    if member.startswith(("/", "\\")) or (len(member) > 1 and member[1] == ":"):
        return True
    return ".." in PurePosixPath(member.replace("\\", "/")).parts


def _member_opener(path: Path, member: zipfile.ZipInfo, display: str):
    @contextlib.contextmanager
    def opener() -> Iterator[IO[bytes]]:
        try:
            with zipfile.ZipFile(path) as archive, archive.open(member) as handle:
                yield handle
        except (zipfile.BadZipFile, zlib.error, RuntimeError, NotImplementedError, OSError,
                EOFError, ValueError) as error:
            # RuntimeError: an encrypted member; NotImplementedError: an unknown compression;
            # zlib.error, EOFError, ValueError: a member cut short or its data damaged.
            raise Refused("SCP903-ZIP-BAD", file=display, detail=str(error) or
                          error.__class__.__name__) from None

    return opener


def _read_zip(path: Path, display: str) -> tuple[list[CsvFile], list[Skipped]]:
    limit = max_unzipped_bytes()
    try:
        archive = zipfile.ZipFile(path)
    except (zipfile.BadZipFile, OSError, EOFError, ValueError) as error:
        raise Refused("SCP903-ZIP-BAD", file=display, detail=str(error)) from None
    with archive:
        members = [m for m in archive.infolist() if not m.is_dir()]
    for member in members:
        if _unsafe(member.filename):
            raise Refused("SCP903-ZIP-UNSAFE", file=display, member=member.filename)
    if len(members) > max_members():
        raise Refused("SCP903-ZIP-MEMBERS", file=display, count=len(members),
                      limit=max_members())
    declared = 0
    for member in members:
        declared += member.file_size
        if declared > limit:
            raise Refused("SCP903-ZIP-TOO-BIG", file=display, member=member.filename,
                          limit=_size(limit), detail=f"it declares {_size(declared)} or more")
    budget = _Budget(display, limit)
    found, skipped = [], []
    for member in members:
        name = member.filename.replace("\\", "/")
        parts = PurePosixPath(name).parts
        if any(part in _IGNORED_PARTS for part in parts) or parts[-1].startswith("._"):
            continue
        shown = f"{display}/{name}"
        if not name.lower().endswith(".csv"):
            skipped.append(Skipped(shown, "SCP903-ZIP-NOT-CSV", {"member": name}))
            continue
        csv_file = CsvFile(shown, _member_opener(path, member, display))
        found.append(_scan(csv_file, functools.partial(budget.spend, name)))
    if not found:
        raise Refused("SCP903-ZIP-EMPTY", file=display)
    return found, skipped


def _size(size: int) -> str:
    from safeguarding.datasets.services import human_size

    return human_size(size)


def _file_opener(path: Path):
    return lambda: open(path, "rb")  # noqa: SIM115 - closed by the caller's with


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
            found.append(_scan(CsvFile(name, _file_opener(path))))
        else:
            skipped.append(Skipped(name, "SCP903-FILE-TYPE", {"name": name}))
    return found, skipped


def _lines(handle: IO[str], name: str) -> Iterator[str]:
    number = 0
    while line := handle.readline(MAX_LINE_CHARS + 1):
        number += 1
        if len(line) > MAX_LINE_CHARS:
            raise Refused("SCP903-FILE-LINE-LONG", file=name, line=number,
                          limit=f"{MAX_LINE_CHARS:,}")
        yield line


def _no_nul(name: str, line: int, cells: list[str]) -> None:
    """A NUL character is in no text file (and PostgreSQL stores none): refuse it."""
    for position, cell in enumerate(cells, start=1):
        if "\x00" in cell:
            raise Refused("SCP903-FILE-NUL", file=name, line=line, position=position)


@dataclass
class Rows:
    """A table's rows, read afresh from its file each time they are gone through."""

    csv_file: CsvFile

    def __iter__(self) -> Iterator[tuple[int, list[str]]]:
        with self.csv_file.open() as handle:
            reader = csv.reader(_lines(handle, self.csv_file.name))
            try:
                next(reader, None)  # the header
                for cells in reader:
                    if not cells or all(not cell.strip() for cell in cells):
                        continue
                    _no_nul(self.csv_file.name, reader.line_num, cells)
                    yield reader.line_num, cells
            except csv.Error as error:
                raise Refused("SCP903-FILE-CSV", file=self.csv_file.name,
                              line=reader.line_num + 1,
                              detail=f"line {reader.line_num + 1}: {error}") from None


def header(csv_file: CsvFile) -> list[str]:
    """The table's header cells."""
    with csv_file.open() as handle:
        reader = csv.reader(_lines(handle, csv_file.name))
        try:
            cells = next(reader, [])
            _no_nul(csv_file.name, 1, cells)
            return [cell.strip() for cell in cells]
        except csv.Error as error:
            raise Refused("SCP903-FILE-CSV", file=csv_file.name, line=1,
                          detail=f"line 1: {error}") from None
