"""The errors real agency extracts carry, for synthetic data: typos, nicknames, swapped dates.

The same kinds of error the linkage benchmark (bench/linkage.py) plants, for
a ``random.Random``: one edit in a name (never its first letter), a
diminutive for a formal first name (from data/nicknames.yaml), and the day
and month of a date of birth swapped where that still gives a date.
"""

from __future__ import annotations

import datetime as dt
import random
from functools import cache

LETTERS = "abcdefghijklmnopqrstuvwxyz"


def typo(rng: random.Random, word: str) -> str:
    """One substitution, deletion, insertion or transposition, keeping the first letter."""
    if len(word) < 3:
        return word
    i = rng.randint(1, len(word) - 1)
    kind = rng.randrange(4)
    if kind == 0:
        return word[:i] + rng.choice(LETTERS) + word[i + 1:]
    if kind == 1:
        return word[:i] + word[i + 1:]
    if kind == 2:
        return word[:i] + rng.choice(LETTERS) + word[i:]
    if i < len(word) - 1:
        return word[:i] + word[i + 1] + word[i] + word[i + 2:]
    return word[:i] + rng.choice(LETTERS)


@cache
def _diminutives() -> dict[tuple[str, str], tuple[str, ...]]:
    from safeguarding.children.linkage.normalise import nickname_table

    out: dict[tuple[str, str], list[str]] = {}
    for name, groups in nickname_table().items():
        for formal, sex in groups:
            if name != formal:
                out.setdefault((formal, sex or ""), []).append(name)
    return {key: tuple(sorted(names)) for key, names in out.items()}


def nickname(rng: random.Random, first_name: str, sex: str = "") -> str | None:
    """A diminutive of a formal first name (Bill for William), or None when it has none."""
    table = _diminutives()
    options = table.get((first_name.upper(), sex)) or table.get((first_name.upper(), ""))
    return rng.choice(options).title() if options else None


def swap_day_month(day: dt.date) -> dt.date:
    """The date with day and month swapped, or the same date where that is not a date."""
    if day.day > 12 or day.day == day.month:
        return day
    return day.replace(day=day.month, month=day.day)
