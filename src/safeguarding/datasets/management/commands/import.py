"""safeguarding import <kind> FILE... --partnership CODE [--la CODE] [--year YYYY] [--check]
[--errors-csv OUT] [--period PERIOD] [--agency NAME]

Exit status: 0 when every file loaded (or was already loaded, or checked clean
with --check); 1 when a file has errors, so nothing of it was loaded; 2 for a
usage error: an unknown kind, a missing file, an unknown partnership or LA.
Each file is its own import, in its own transaction, except for kinds whose
return is several files (MULTI_FILE_KINDS: ssda903), where all the files
given are one return: one import, one transaction.

The agency templates (early-help, police-da-incidents, missing-episodes,
school-exclusions, school-attendance, mace-referrals) need --period, the
period the extract covers; --agency names the agency that sent it when the
partnership has more than one that could have.
"""

from __future__ import annotations

from pathlib import Path

from django.core.management.base import BaseCommand, CommandError

from safeguarding.core.models import Partnership
from safeguarding.datasets import services
from safeguarding.datasets.loader import TEMPLATE_KINDS
from safeguarding.datasets.models import MULTI_FILE_KINDS, ImportKind, ImportStatus
from safeguarding.datasets.validation.problems import CSV_COLUMNS, QUERY_PREFIX, csv_row

PRINT_LIMIT = 100
# Kinds whose files do not say which LA they are for.
LA_KINDS = (ImportKind.SSDA903, ImportKind.ANNEX_A)
OK = {ImportStatus.LOADED, ImportStatus.UNCHANGED, ImportStatus.CHECKED}


class Command(BaseCommand):
    # Django's system checks load every URL module and, through the views, every
    # charting and PDF library: about a second and 100 MB before the first row,
    # none of it used by an import. `safeguarding check` still runs them.
    requires_system_checks: list[str] = []
    help = ("Check and load data files: the Children in Need census XML (cin-census), "
            "DfE's published LA tables as CSV (dfe-benchmarks), the SSDA903 tables of one "
            "return as CSV files or one ZIP (ssda903), the Ofsted Annex A workbook (annex-a) "
            "or an agency extract in one of the CSV templates (docs/data-templates).")

    def add_arguments(self, parser):
        parser.add_argument("kind", help=f"What the files are: {', '.join(ImportKind.values)}")
        parser.add_argument("files", nargs="+", metavar="FILE")
        parser.add_argument("--partnership", required=True, metavar="CODE",
                            help="The partnership the data belongs to, such as STAFFS")
        parser.add_argument("--la", metavar="CODE",
                            help="ssda903 and annex-a: the LA the return is for (old code such "
                                 "as 860, or new code), needed when the partnership covers "
                                 "several")
        parser.add_argument("--year", type=int, metavar="YYYY",
                            help="ssda903: the collection year, as the year it ends on 31 March "
                                 "(2021 for 2020/21); inferred from the data when not given")
        parser.add_argument("--check", action="store_true",
                            help="Check the files and report errors; load nothing")
        parser.add_argument("--errors-csv", metavar="OUT",
                            help="Write every error to this CSV file "
                                 f"({','.join(CSV_COLUMNS)})")
        parser.add_argument("--period", default="", metavar="PERIOD",
                            help="For an agency template: the period the extract covers, a "
                                 "financial year (2020-21), quarter (2020-Q3) or month (2020-06)")
        parser.add_argument("--agency", default="", metavar="NAME",
                            help="For an agency template: the agency that sent it (its name), "
                                 "when the partnership has more than one that could have")

    def handle(self, *args, kind, files, partnership, check, errors_csv, la=None, year=None,
               period="", agency="", **options):
        if kind not in ImportKind.values:
            raise CommandError(f"Unknown kind {kind!r}: choose {' or '.join(ImportKind.values)}",
                               returncode=2)
        target = Partnership.objects.filter(code=partnership.upper()).first()
        if target is None:
            known = ", ".join(Partnership.objects.values_list("code", flat=True)) or "none yet"
            raise CommandError(f"Unknown partnership {partnership!r} (known: {known})",
                               returncode=2)
        sender = None
        if agency:
            sender = target.agencies.filter(name__iexact=agency.strip()).first()
            if sender is None:
                known = ", ".join(target.agencies.values_list("name", flat=True)) or "none yet"
                raise CommandError(f"Unknown agency {agency!r} in {target.code} (known: {known})",
                                   returncode=2)
        if kind in TEMPLATE_KINDS and not period:
            raise CommandError(f"{kind} is an agency template: say which period the extract "
                               "covers with --period (2020-21, 2020-Q3 or 2020-06)", returncode=2)
        if (period or agency) and kind not in TEMPLATE_KINDS:
            raise CommandError("--period and --agency are for the agency templates only",
                               returncode=2)
        extract = {"period": period, "agency": sender} if kind in TEMPLATE_KINDS else {}
        paths = [Path(name) for name in files]
        missing = [str(p) for p in paths if not p.is_file()]
        if missing:
            raise CommandError(f"No such file: {', '.join(missing)}", returncode=2)
        together = kind in MULTI_FILE_KINDS
        if year and not together:
            raise CommandError(f"--year is for {' and '.join(MULTI_FILE_KINDS)} only",
                               returncode=2)
        if la and kind not in LA_KINDS:
            raise CommandError(f"--la is for {' and '.join(LA_KINDS)} only", returncode=2)
        if together:
            options_903 = {"local_authority": self._la(target, la), "year": year}
        else:
            options_903 = {"local_authority": self._la(target, la)} if la else {}
        if together and year is not None:
            from safeguarding.datasets.validation import ssda903_spec

            if year not in ssda903_spec.years():
                raise CommandError(
                    f"--year {year} is not a collection year this service reads "
                    f"({', '.join(str(y) for y in ssda903_spec.years())})", returncode=2)
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
        groups = [paths] if together else [[path] for path in paths]
        try:
            for group in groups:
                failed += not self._one(target, kind, group, check, writer,
                                        {**options_903, **extract})
        finally:
            if out is not None:
                out.close()
        if failed:
            where = f"; every error is in {errors_csv}" if errors_csv else ""
            if together:
                raise CommandError(f"The return had errors, so nothing from it was loaded{where}",
                                   returncode=1)
            raise CommandError(
                f"{failed} of {len(paths)} file{'s' if len(paths) != 1 else ''} had errors, "
                f"so nothing from {'them' if failed > 1 else 'it'} was loaded{where}",
                returncode=1)

    @staticmethod
    def _la(partnership, code):
        """The LA asked for; with none, the partnership's only LA, else a usage error."""
        las = list(partnership.local_authorities.order_by("old_code"))
        covered = ", ".join(la.old_code for la in las) or "none"
        if code is None:
            if len(las) == 1:
                return las[0]
            raise CommandError(f"Partnership {partnership.code} covers LAs {covered}: say which "
                               "LA the return is for with --la CODE", returncode=2)
        found = [la for la in las if code.upper() in (la.old_code, la.new_code.upper())]
        if not found:
            raise CommandError(f"Partnership {partnership.code} does not cover LA {code} "
                               f"(it covers {covered})", returncode=2)
        return found[0]

    def _one(self, partnership, kind, paths: list[Path], check: bool, writer,
             options: dict) -> bool:
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

        record = services.import_files(actor=None, partnership=partnership, kind=kind,
                                       paths=paths, check_only=check, sink=sink, **options)
        shown_name = ", ".join(path.name for path in paths)
        if shown["n"] > PRINT_LIMIT:
            self.stderr.write(f"{shown_name}: … and {shown['n'] - PRINT_LIMIT:,} more")
        seconds = (record.duration_ms or 0) / 1000
        line = f"{shown_name}: import {record.pk}, {record.get_status_display().lower()}. " \
               f"{record.summary} ({seconds:,.1f} s)"
        if record.status in OK:
            self.stdout.write(self.style.SUCCESS(line))
            return True
        self.stderr.write(self.style.ERROR(line))
        return False
