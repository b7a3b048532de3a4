"""safeguarding report: HTML and a tagged PDF from the command line."""

from __future__ import annotations

import shutil
import subprocess

import pytest
from django.core.management import call_command
from django.core.management.base import CommandError

from safeguarding.reports.management.commands.report import Command

from .helpers import parse, report_root

HEADINGS = [
    "Foreword", "The local authority", "The police", "Health", "Introduction",
    "Changes to the arrangements", "Our response to emerging risks", "Our priorities", "Neglect",
    "Child exploitation", "Effective multi-agency safeguarding practice",
    "The work of our sub-groups", "Scrutiny and assurance",
    "Child safeguarding practice reviews", "Review of child deaths", "Learning in practice",
    "Review of restraint in a secure setting", "Training", "What we said we would do", "Our focus for 2021-22",
    "Notes on the figures", "Definitions and sources", "Figures not recorded",
]


def _in_order(text: str, headings: list[str]) -> list[str]:
    """The headings not found in order in ``text`` (an empty list when all are)."""
    missing, at = [], 0
    for heading in headings:
        found = text.find(heading, at)
        if found < 0:
            missing.append(heading)
        else:
            at = found + len(heading)
    return missing


@pytest.mark.skipif(shutil.which("pdftotext") is None, reason="needs poppler-utils")
def test_cli_writes_html_and_a_pdf_with_every_section_in_order(staffs, tmp_path):
    html_out, pdf_out = tmp_path / "report.html", tmp_path / "report.pdf"
    call_command("report", partnership="STAFFS", year="2020-21", html=html_out, pdf=pdf_out)

    data = pdf_out.read_bytes()
    assert data.startswith(b"%PDF")
    text = subprocess.run(["pdftotext", "-layout", str(pdf_out), "-"],  # noqa: S603, S607
                          capture_output=True, text=True, check=True).stdout
    pages = text.split("\f")
    assert "Staffordshire Safeguarding Children Board" in pages[0]
    assert "Yearly report 2020-21" in pages[0]
    assert "Contents" in pages[1]
    body = "\f".join(pages[2:])  # after the cover and the contents page
    assert _in_order(body, HEADINGS) == []
    assert "Page 3 of" in body
    info = subprocess.run(["pdfinfo", str(pdf_out)],  # noqa: S603, S607
                          capture_output=True, text=True).stdout
    assert "Tagged:          yes" in info
    assert "Yearly report 2020-21" in info  # the document title, for PDF/UA

    page = html_out.read_text()
    article = report_root(parse(page))
    headings = [h.text_content().strip() for h in article.iter("h2", "h3")]
    assert _in_order("\n".join(headings), HEADINGS) == []
    assert page.count("<h1") == 1


def _exit_code(*argv) -> int:
    with pytest.raises(SystemExit) as stopped:
        Command().run_from_argv(["safeguarding", "report", *argv])
    return stopped.value.code


@pytest.mark.parametrize(("argv", "message"), [
    (["--partnership", "NOPE", "--year", "2020-21", "--html", "x.html"], "No partnership 'NOPE'"),
    (["--partnership", "STAFFS", "--year", "2020", "--html", "x.html"], "is not a reporting year"),
    (["--partnership", "STAFFS", "--year", "2020-22", "--html", "x.html"],
     "is not a reporting year"),
    (["--partnership", "STAFFS", "--year", "2020-Q3", "--html", "x.html"], "is a quarter"),
    (["--partnership", "STAFFS", "--year", "2020-21"], "Say where to write the report"),
    (["--partnership", "STAFFS", "--year", "2020-21", "--pdf", "/no/such/folder/x.pdf"],
     "does not exist"),
])
def test_usage_errors_exit_2_with_a_clear_message(staffs, argv, message, capsys):
    assert _exit_code(*argv) == 2
    assert message in capsys.readouterr().err


def test_usage_error_is_a_command_error_with_return_code_2(staffs):
    with pytest.raises(CommandError) as error:
        call_command("report", partnership="NOPE", year="2020-21", html="x.html")
    assert error.value.returncode == 2


def test_missing_arguments_exit_2(staffs):
    assert _exit_code("--year", "2020-21") == 2


def test_a_year_written_with_a_slash_is_read(staffs, tmp_path):
    out = tmp_path / "report.html"
    call_command("report", partnership="staffs", year="2020/21", html=out)
    assert "Yearly report <span class=\"app-report-cover__year\">2020-21</span>" in out.read_text()


def test_cli_publishes_and_records_sends_as_the_business_unit(staffs, business):
    from io import StringIO

    from django.utils import timezone

    from safeguarding.reports import annex, selectors

    from .helpers import YEAR, write_all

    def run(*args):
        out = StringIO()
        call_command("report", "--partnership", "STAFFS", "--year", YEAR, *args, stdout=out)
        return out.getvalue()

    with pytest.raises(CommandError, match="--as USERNAME"):
        run("--publish")
    with pytest.raises(CommandError, match="Write every narrative block"):
        run("--as", "business.staffs", "--publish")
    write_all(staffs, business)
    with pytest.raises(CommandError, match="board.police may not publish STAFFS"):
        run("--as", "board.police", "--publish")
    assert "as version 1" in run("--as", "business.staffs", "--publish")
    today = timezone.localdate().isoformat()
    with pytest.raises(CommandError, match="recipient must be one of panel, what_works"):
        run("--as", "business.staffs", "--sent", f"ofsted={today}")
    with pytest.raises(CommandError, match="not a date"):
        run("--as", "business.staffs", "--sent", "panel=30/09/2021")
    out = run("--as", "business.staffs", "--sent", f"panel={today}", "--sent",
              f"what_works={today}")
    assert out.count("Recorded: sent to") == 2
    item = {r.key: r for r in annex.rows(staffs, selectors.report_year(YEAR))}["publication"]
    assert item.present
