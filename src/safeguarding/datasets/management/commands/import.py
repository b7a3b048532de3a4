"""safeguarding import <kind> FILE... --partnership CODE [--check] [--errors-csv OUT]

Exit status: 0 when every file loaded (or was already loaded, or checked clean
with --check); 1 when a file has errors, so nothing of it was loaded; 2 for a
usage error: an unknown kind, a missing file or an unknown partnership. Each
file is its own import, in its own transaction.
"""

from __future__ import annotations

from pathlib import Path

from django.core.management.base import BaseCommand, CommandError

from safeguarding.core.models import Partnership
from safeguarding.datasets import services
from safeguarding.datasets.models import ImportKind, ImportStatus
from safeguarding.datasets.validation.problems import CSV_COLUMNS, QUERY_PREFIX, csv_row

PRINT_LIMIT = 100
OK = {ImportStatus.LOADED, ImportStatus.UNCHANGED, ImportStatus.CHECKED}


class Command(BaseCommand):
    # Django's system checks load every URL module and, through the views, every
    # charting and PDF library: about a second and 100 MB before the first row,
    # none of it used by an import. `safeguarding check` still runs them.
    requires_system_checks: list[str] = []
    help = ("Check and load data files: the Children in Need census XML (cin-census) or "
            "DfE's published LA tables as CSV (dfe-benchmarks).")

    def add_arguments(self, parser):
        parser.add_argument("kind", help=f"What the files are: {', '.join(ImportKind.values)}")
        parser.add_argument("files", nargs="+", metavar="FILE")
        parser.add_argument("--partnership", required=True, metavar="CODE",
                            help="The partnership the data belongs to, such as STAFFS")
        parser.add_argument("--check", action="store_true",
                            help="Check the files and report errors; load nothing")
        parser.add_argument("--errors-csv", metavar="OUT",
                            help="Write every error to this CSV file "
                                 f"({','.join(CSV_COLUMNS)})")

    def handle(self, *args, kind, files, partnership, check, errors_csv, **options):
        if kind not in ImportKind.values:
            raise CommandError(f"Unknown kind {kind!r}: choose {' or '.join(ImportKind.values)}",
                               returncode=2)
        target = Partnership.objects.filter(code=partnership.upper()).first()
        if target is None:
            known = ", ".join(Partnership.objects.values_list("code", flat=True)) or "none yet"
            raise CommandError(f"Unknown partnership {partnership!r} (known: {known})",
                               returncode=2)
        paths = [Path(name) for name in files]
        missing = [str(p) for p in paths if not p.is_file()]
        if missing:
            raise CommandError(f"No such file: {', '.join(missing)}", returncode=2)
        writer = None
        out = None
        if errors_csv:
            try:
                out = open(errors_csv, "w", newline="", encoding="utf-8")  # noqa: SIM115
            except OSError as error:
                raise CommandError(f"Cannot write {errors_csv}: {error.strerror}",
                                   returncode=2) from None
            import csv

            writer = csv.writer(out)
            writer.writerow(CSV_COLUMNS)
        failed = 0
        try:
            for path in paths:
                failed += not self._one(target, kind, path, check, writer)
        finally:
            if out is not None:
                out.close()
        if failed:
            where = f"; every error is in {errors_csv}" if errors_csv else ""
            raise CommandError(
                f"{failed} of {len(paths)} file{'s' if len(paths) != 1 else ''} had errors, "
                f"so nothing from {'them' if failed > 1 else 'it'} was loaded{where}",
                returncode=1)

    def _one(self, partnership, kind, path: Path, check: bool, writer) -> bool:
        shown = {"n": 0}

        def sink(problem):
            if writer is not None:
                writer.writerow(csv_row(problem))
            shown["n"] += 1
            if shown["n"] <= PRINT_LIMIT:
                where = ", ".join(part for part in (
                    f"row {problem.row}" if problem.row else "",
                    f"child {problem.child}" if problem.child else "",
                    problem.field) if part)
                prefix = "" if problem.is_error else QUERY_PREFIX
                self.stderr.write(f"{problem.file}: {where + ': ' if where else ''}"
                                  f"[{problem.rule}] {prefix}{problem.message}")

        record = services.import_file(actor=None, partnership=partnership, kind=kind, path=path,
                                      check_only=check, sink=sink)
        if shown["n"] > PRINT_LIMIT:
            self.stderr.write(f"{path.name}: … and {shown['n'] - PRINT_LIMIT:,} more")
        seconds = (record.duration_ms or 0) / 1000
        line = f"{path.name}: import {record.pk}, {record.get_status_display().lower()}. " \
               f"{record.summary} ({seconds:,.1f} s)"
        if record.status in OK:
            self.stdout.write(self.style.SUCCESS(line))
            return True
        self.stderr.write(self.style.ERROR(line))
        return False
