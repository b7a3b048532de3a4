"""The first line each key was seen on, kept in about 24 bytes a key.

A unique-in-file rule must remember every LAchildID in the file. As a dict of
strings that is about 120 bytes a child, 120 MB for a million children, the
only part of a census import that grows with the file. LAchildIDs are 1 to 10
letters or digits, so each one maps, exactly and reversibly, to a number below
2**63 (bijective base 63): those numbers and their lines sit in two flat
arrays, an open-addressing hash table. Any other key (too long, other
characters) goes to an ordinary dict, so the answer is always exact.
"""

from __future__ import annotations

from array import array

_ALPHABET = "0123456789ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz"
_DIGIT = {char: value for value, char in enumerate(_ALPHABET, start=1)}
_MAX_LENGTH = 10  # 63**10 < 2**63
_FIBONACCI = 0x9E3779B97F4A7C15
_MASK64 = (1 << 64) - 1
_EMPTY = 0  # no key encodes to 0: every digit is 1 or more


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

    def __init__(self, capacity_bits: int = 16):
        self._bits = capacity_bits
        self._keys = array("q", bytes(8 << capacity_bits))
        self._lines = array("Q", bytes(8 << capacity_bits))
        self._used = 0
        self._others: dict[str, int] = {}

    def __len__(self) -> int:
        return self._used + len(self._others)

    def first_or_add(self, key: str, line: int) -> int | None:
        """The line ``key`` was first seen on; or None, remembering ``line`` for it."""
        number = _encode(key)
        if number is None:
            earlier = self._others.get(key)
            if earlier is None:
                self._others[key] = line
            return earlier
        slot = self._find(number)
        if self._keys[slot] == number:
            return self._lines[slot]
        self._keys[slot], self._lines[slot] = number, line
        self._used += 1
        if self._used * 4 > len(self._keys) * 3:
            self._grow()
        return None

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
