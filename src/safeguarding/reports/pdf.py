"""The report as a tagged PDF (WeasyPrint, PDF/UA-1) and as a standalone HTML file.

Both wrap the same body HTML that the browser shows (``builder.render_body``)
in ``reports/document.html``; the PDF adds the print stylesheet (A4, running
header, "Page N of M", page breaks), passed to WeasyPrint, never inline.
"""

from __future__ import annotations

import hashlib
from functools import cache
from pathlib import Path

from django.core.cache import caches
from django.template.loader import render_to_string

STATIC = Path(__file__).with_name("static") / "reports"
SCREEN_CSS = STATIC / "report.css"
PRINT_CSS = STATIC / "report-print.css"
PDF_VARIANT = "pdf/ua-1"  # tagged PDF with the document title and language in its metadata


def document(body: str, report_meta: dict, *, stylesheet: str = "") -> str:
    """A whole HTML document around a report body (frozen or freshly built)."""
    return render_to_string("reports/document.html", {"report": report_meta, "body": body,
                                                      "stylesheet": stylesheet})


def standalone_html(body: str, report_meta: dict) -> str:
    """One file that reads on its own: the print stylesheet is carried inside it."""
    return document(body, report_meta, stylesheet=_stylesheet_text())


@cache
def _stylesheet_text() -> str:
    return PRINT_CSS.read_text()


@cache
def _stylesheets():
    from weasyprint import CSS

    return [CSS(filename=str(PRINT_CSS))]


def render_pdf(body: str, report_meta: dict) -> bytes:
    """The PDF of a report body. The same document (its HTML, the print stylesheet and the
    WeasyPrint version) always makes the same PDF, so one made before is served again from
    the "documents" cache: a draft downloaded twice on the same data is drawn once."""
    import weasyprint

    html = document(body, report_meta)
    key = "report-pdf:" + hashlib.sha256("\0".join(
        (weasyprint.__version__, PDF_VARIANT, _stylesheet_text(), html)).encode()).hexdigest()
    store = caches["documents"]
    made = store.get(key)
    if made is None:
        made = weasyprint.HTML(string=html, base_url=str(STATIC)).write_pdf(
            stylesheets=_stylesheets(), pdf_variant=PDF_VARIANT)
        store.set(key, made, timeout=None)
    return made


def meta(report) -> dict:
    """What document.html needs from a built report (or a published one)."""
    return {"title": report.title, "partnership": report.partnership, "period": report.period}
