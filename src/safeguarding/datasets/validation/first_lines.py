"""The first line each key was seen on, in memory that does not grow with the file.

A unique-in-file rule must remember every LAchildID in the file. As a dict of
strings that is about 120 bytes a child, 120 MB for a million children.
LAchildIDs are 1 to 10 letters or digits, so each one maps, exactly and
reversibly, to a number below 2**63 (bijective base 63). The first keys sit in
two flat arrays, an open-addressing hash table of fixed size (about 1 MB);
past that, every key goes to a temporary on-disk SQLite table with a small page
cache, so a million children cost the same memory as fifty thousand. Any other
key (too long, other characters) is kept as text, so the answer is always exact.
"""

from __future__ import annotations

import sqlite3
from array import array

_ALPHABET = "0123456789ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz"
_DIGIT = {char: value for value, char in enumerate(_ALPHABET, start=1)}
_MAX_LENGTH = 10  # 63**10 < 2**63
_FIBONACCI = 0x9E3779B97F4A7C15
_MASK64 = (1 << 64) - 1
_EMPTY = 0  # no key encodes to 0: every digit is 1 or more
MEMORY_BITS = 16  # 65,536 slots of 16 bytes: 49,152 keys before the table moves to disk


def _encode(key: str) -> int | None:
    if not 0 < len(key) <= _MAX_LENGTH:
        return None
    number = 0
    for char in key:
        digit = _DIGIT.get(char)
        if digit is None:
            return None
        number = number * 63 + digit
    return number


class FirstLines:
    """Maps each key to the line it was first seen on."""

    def __init__(self, capacity_bits: int = 10, memory_bits: int | None = None):
        self._bits = capacity_bits
        self._memory_bits = max(MEMORY_BITS if memory_bits is None else memory_bits,
                                capacity_bits)
        self._keys = array("q", bytes(8 << capacity_bits))
        self._lines = array("Q", bytes(8 << capacity_bits))
        self._used = 0
        self._others: dict[str, int] = {}
        self._disk: sqlite3.Connection | None = None

    def __len__(self) -> int:
        if self._disk is not None:
            return sum(self._disk.execute(sql).fetchone()[0] for sql in
                       ("SELECT count(*) FROM numbers", "SELECT count(*) FROM others"))
        return self._used + len(self._others)

    def first_or_add(self, key: str, line: int) -> int | None:
        """The line ``key`` was first seen on; or None, remembering ``line`` for it."""
        number = _encode(key)
        if self._disk is not None:
            return self._on_disk(number, key, line)
        if number is None:
            earlier = self._others.get(key)
            if earlier is None:
                self._others[key] = line
                # Keys kept as text (a UPN, for DfE rule 1520) move to disk too
                # once there are as many as the number table holds.
                if len(self._others) * 4 > (8 << self._memory_bits) * 3 // 8:
                    self._move_to_disk()
            return earlier
        slot = self._find(number)
        if self._keys[slot] == number:
            return self._lines[slot]
        self._keys[slot], self._lines[slot] = number, line
        self._used += 1
        if self._used * 4 > len(self._keys) * 3:
            if self._bits < self._memory_bits:
                self._grow()
            else:
                self._move_to_disk()
        return None

    def close(self) -> None:
        if self._disk is not None:
            self._disk.close()
            self._disk = None

    def _on_disk(self, number: int | None, key: str, line: int) -> int | None:
        disk = self._disk
        assert disk is not None
        table, value = ("numbers", number) if number is not None else ("others", key)
        # Table names are the two constants above; key and line are parameters.
        if disk.execute(f"INSERT OR IGNORE INTO {table} VALUES (?, ?)",  # noqa: S608
                        (value, line)).rowcount:
            return None
        return disk.execute(f"SELECT line FROM {table} WHERE key = ?",  # noqa: S608
                            (value,)).fetchone()[0]

    def _move_to_disk(self) -> None:
        # "" is SQLite's private temporary database: a file of its own, removed on close.
        disk = sqlite3.connect("", isolation_level=None)
        disk.executescript("""
            PRAGMA cache_size = -1024; PRAGMA journal_mode = OFF; PRAGMA synchronous = OFF;
            CREATE TABLE numbers (key INTEGER PRIMARY KEY, line INTEGER NOT NULL);
            CREATE TABLE others (key TEXT PRIMARY KEY, line INTEGER NOT NULL) WITHOUT ROWID;
            BEGIN;
        """)
        disk.executemany("INSERT INTO numbers VALUES (?, ?)", sorted(
            (number, line) for number, line in zip(self._keys, self._lines, strict=True)
            if number != _EMPTY))
        disk.executemany("INSERT INTO others VALUES (?, ?)", self._others.items())
        self._disk = disk
        self._keys = self._lines = array("q")
        self._others = {}

    def _find(self, number: int) -> int:
        """The slot holding ``number``, or the empty slot where it would go."""
        mask = len(self._keys) - 1
        slot = ((number * _FIBONACCI) & _MASK64) >> (64 - self._bits)
        keys = self._keys
        while keys[slot] != _EMPTY and keys[slot] != number:
            slot = (slot + 1) & mask
        return slot

    def _grow(self) -> None:
        old_keys, old_lines = self._keys, self._lines
        self._bits += 1
        self._keys = array("q", bytes(8 << self._bits))
        self._lines = array("Q", bytes(8 << self._bits))
        for number, line in zip(old_keys, old_lines, strict=True):
            if number != _EMPTY:
                slot = self._find(number)
                self._keys[slot], self._lines[slot] = number, line
