"""What the apps' commands share: a partnership named by its code, a date given as an option,
and a CSV import whose refusal prints every problem (file, row, column, rule) and loads
nothing."""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable
from pathlib import Path
from typing import Any

from django.core.management.base import BaseCommand, CommandError
from django.utils import timezone

from safeguarding.core.csv_template import ImportRefused
from safeguarding.core.models import Partnership


def partnership_by_code(code: str) -> Partnership:
    found = Partnership.objects.filter(code=code).first()
    if found is None:
        raise CommandError(f"No partnership with code {code}")
    return found


def date_option(text: str | None) -> dt.date | None:
    """A command's YYYY-MM-DD option, or None when it was not given."""
    if not text:
        return None
    try:
        return dt.date.fromisoformat(text)
    except ValueError:
        raise CommandError(f"'{text}' is not a date: use YYYY-MM-DD") from None


def date_option_or_today(text: str | None) -> dt.date:
    """A command's YYYY-MM-DD option, or today when it was not given (--on: "as if today
    were")."""
    return date_option(text) or timezone.localdate()


def csv_import(command: BaseCommand, load: Callable[[bytes, str], Any], path: Path) -> Any:
    """``load(content, file_name)``'s result; a refused file's problems go to stderr, one a
    line, and the command fails saying nothing was loaded."""
    path = Path(path)
    try:
        return load(path.read_bytes(), path.name)
    except ImportRefused as refused:
        for problem in refused.problems:
            command.stderr.write(str(problem))
        raise CommandError(f"Nothing was loaded: {path.name} has {len(refused.problems)} "
                           "problem(s)") from None
