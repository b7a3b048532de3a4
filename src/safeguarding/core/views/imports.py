"""The page of a CSV import: the form, and every problem of a refused file at once."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

from django.http import HttpResponse
from django.shortcuts import render

from safeguarding.core.csv_template import ImportRefused, Problem


def csv_import_page(request, form, load: Callable[[bytes, str], Any], *,
                    succeeded: Callable[[Any], HttpResponse], context: dict[str, Any],
                    template: str = "import_page.html") -> HttpResponse:
    """Run an import form: on a valid post, ``load(content, file_name)``; its result goes to
    ``succeeded`` (which says what was loaded and redirects). A refused file is shown again
    with the form's error and its problems, each naming file, row, column and rule."""
    problems: list[Problem] = []
    if request.method == "POST" and form.is_valid():
        upload = form.cleaned_data["file"]
        try:
            result = load(upload.read(), upload.name)
        except ImportRefused as refused:
            problems = refused.problems
            form.add_error("file", f"Nothing was loaded: {len(problems)} "
                                   f"problem{'s' if len(problems) != 1 else ''} found")
        else:
            return succeeded(result)
    return render(request, template, {"form": form, "problems": problems, **context})
