"""Time the yearly report: HTML build and PDF render, separately, median of 3 runs.

    .venv/bin/python bench/report_pdf.py                 # a fresh small demo in a temp SQLite DB
    .venv/bin/python bench/report_pdf.py --current-db    # whatever DATABASE_URL points at
    .venv/bin/python bench/report_pdf.py --year 2020-21 --children 3000 --runs 5

The fresh world is the small demo (``safeguarding demo``, with the child death and
practice review modules' synthetic records), and synthetic CIN census returns for
Staffordshire (LA 860) for 2020/21 and 2021/22 loaded through the importer, so the report has figures,
comparisons and charts, not only "not recorded". Target: the PDF in 10 s or less.
Wall time is printed beside CPU time, because on a shared machine the two differ.
"""

from __future__ import annotations

import argparse
import inspect
import os
import shutil
import statistics
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT / "src"))


def _arguments():
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--current-db", action="store_true",
                        help="Use the database DATABASE_URL points at; build nothing")
    parser.add_argument("--partnership", default="STAFFS")
    parser.add_argument("--year", default="2021-22")
    parser.add_argument("--children", type=int, default=3000,
                        help="Children in each synthetic CIN census return (fresh world only)")
    parser.add_argument("--runs", type=int, default=3)
    parser.add_argument("--keep", metavar="PDF", help="Write the last PDF here, to look at")
    return parser.parse_args()


def _fresh_world(folder: Path, children: int) -> None:
    from django.core.management import call_command

    from safeguarding.child_deaths import demo as child_deaths_demo
    from safeguarding.core.models import Partnership
    from safeguarding.datasets.synthetic import write_cin_census
    from safeguarding.demo import builder

    call_command("migrate", verbosity=0)
    if "with_modules" in inspect.signature(builder.build).parameters:
        # The demo adds the child death and review modules' synthetic records itself.
        builder.build(scale="small", seed=2021, quiet=True, log=lambda *_: None,
                      with_modules=True)
    else:
        builder.build(scale="small", seed=2021, quiet=True, log=lambda *_: None)
        child_deaths_demo.build(seed=2021,
                                partnerships={p.code: p for p in Partnership.objects.all()})
    files = []
    for collection_year in (2021, 2022):
        path = folder / f"cin-860-{collection_year}.xml"
        write_cin_census(path, la_code="860", year=collection_year, children=children)
        files.append(str(path))
    call_command("import", "cin-census", *files, partnership="STAFFS", verbosity=0)


def _timed(call):
    wall, cpu = time.perf_counter(), time.process_time()
    result = call()
    return result, time.perf_counter() - wall, time.process_time() - cpu


def _pages(data: bytes) -> str:
    import subprocess

    if not shutil.which("pdfinfo"):
        return "?"
    info = subprocess.run(["pdfinfo", "-"], input=data, capture_output=True).stdout.decode()
    return next((line.split()[-1] for line in info.splitlines() if line.startswith("Pages:")),
                "?")


def main() -> None:
    args = _arguments()
    folder = Path(tempfile.mkdtemp(prefix="report-bench-"))
    if not args.current_db:
        os.environ["DATABASE_URL"] = f"sqlite:///{folder / 'bench.sqlite3'}"
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "safeguarding.config.settings.local")
    import django

    django.setup()
    if not args.current_db:
        started = time.perf_counter()
        _fresh_world(folder, args.children)
        print(f"World built in {time.perf_counter() - started:.1f} s ({folder})")

    from safeguarding.core.models import Partnership
    from safeguarding.reports import builder, pdf

    partnership = Partnership.objects.get(code=args.partnership)
    html_wall, html_cpu, pdf_wall, pdf_cpu = [], [], [], []
    data = b""
    for run in range(1, args.runs + 1):
        (report, body), wall, cpu = _timed(lambda: (
            (r := builder.build(partnership, args.year)), builder.render_body(r)))
        html_wall.append(wall)
        html_cpu.append(cpu)
        data, wall, cpu = _timed(lambda: pdf.render_pdf(body, pdf.meta(report)))  # noqa: B023
        pdf_wall.append(wall)
        pdf_cpu.append(cpu)
        print(f"run {run}: HTML {html_wall[-1]:.2f} s (cpu {html_cpu[-1]:.2f}), "
              f"PDF {pdf_wall[-1]:.2f} s (cpu {pdf_cpu[-1]:.2f})")
    print(f"{partnership.name}, {args.year}: {len(report.figures)} figures "
          f"({len(report.not_recorded)} not recorded), {len(data) / 1024:.0f} KiB PDF, "
          f"{_pages(data)} pages")
    print(f"median HTML build: {statistics.median(html_wall):.2f} s wall, "
          f"{statistics.median(html_cpu):.2f} s cpu")
    print(f"median PDF render: {statistics.median(pdf_wall):.2f} s wall, "
          f"{statistics.median(pdf_cpu):.2f} s cpu")
    total = statistics.median([h + p for h, p in zip(html_wall, pdf_wall, strict=True)])
    print(f"median HTML + PDF: {total:.2f} s wall (target 10 s)")
    if args.keep:
        Path(args.keep).write_bytes(data)
        print(f"Wrote {args.keep}")
    if not args.current_db:
        from django.db import connections

        connections.close_all()
        shutil.rmtree(folder, ignore_errors=True)


if __name__ == "__main__":
    main()
