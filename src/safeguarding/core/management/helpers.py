"""What the apps' commands share: a partnership named by its code, and a CSV import whose
refusal prints every problem (file, row, column, rule) and loads nothing."""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path
from typing import Any

from django.core.management.base import BaseCommand, CommandError

from safeguarding.core.csv_template import ImportRefused
from safeguarding.core.models import Partnership


def partnership_by_code(code: str) -> Partnership:
    found = Partnership.objects.filter(code=code).first()
    if found is None:
        raise CommandError(f"No partnership with code {code}")
    return found


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
