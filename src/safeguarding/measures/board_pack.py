"""The board pack: every theme's overview as one PDF for a meeting (issue 18).

The same tiles as the overview page (templates/measures/_tile.html, the same sparkline
SVG), on landscape A4, each theme from a new page, drawn by WeasyPrint with a print
stylesheet of its own (static/measures/board-pack.css). The same document always makes
the same PDF, so a pack made before on the same figures is served from the "documents"
cache, as the yearly report's PDF is (reports/pdf.py).
"""

from __future__ import annotations

import hashlib
from functools import cache
from pathlib import Path

from django.core.cache import caches
from django.template.loader import render_to_string

STATIC = Path(__file__).with_name("static") / "measures"
PRINT_CSS = STATIC / "board-pack.css"
PDF_VARIANT = "pdf/ua-1"


@cache
def _stylesheet_text() -> str:
    return PRINT_CSS.read_text()


def document(context: dict) -> str:
    return render_to_string("measures/board_pack.html", context)


def render_pdf(context: dict) -> bytes:
    import weasyprint

    html = document(context)
    key = "board-pack-pdf:" + hashlib.sha256("\0".join(
        (weasyprint.__version__, PDF_VARIANT, _stylesheet_text(), html)).encode()).hexdigest()
    store = caches["documents"]
    made = store.get(key)
    if made is None:
        made = weasyprint.HTML(string=html, base_url=str(STATIC)).write_pdf(
            stylesheets=[weasyprint.CSS(string=_stylesheet_text())], pdf_variant=PDF_VARIANT)
        store.set(key, made, timeout=None)
    return made
