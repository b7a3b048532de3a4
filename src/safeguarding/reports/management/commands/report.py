"""safeguarding report --partnership STAFFS --year 2020-21 --html out.html --pdf out.pdf"""

from __future__ import annotations

import time
from pathlib import Path

from django.core.management.base import BaseCommand, CommandError

from safeguarding.core.models import Partnership
from safeguarding.reports import builder, pdf, selectors

USAGE = 2  # exit status for a usage error, as argparse uses


class Command(BaseCommand):
    help = ("Build a partnership's yearly report from the current narrative and the data held "
            "on the platform, as HTML and/or a tagged PDF.")

    def add_arguments(self, parser):
        parser.add_argument("--partnership", required=True, help="The partnership's code, "
                                                                 "such as STAFFS")
        parser.add_argument("--year", required=True, help="The financial year, such as 2020-21")
        parser.add_argument("--html", type=Path, help="Write the report as one HTML file here")
        parser.add_argument("--pdf", type=Path, help="Write the report as a PDF here")

    def handle(self, *args, **options):
        if not options["html"] and not options["pdf"]:
            raise CommandError("Say where to write the report: --html FILE, --pdf FILE or both",
                               returncode=USAGE)
        code = options["partnership"].strip()
        partnership = (Partnership.objects.filter(code=code).first()
                       or Partnership.objects.filter(code=code.upper()).first())
        if partnership is None:
            known = ", ".join(Partnership.objects.order_by("code").values_list("code", flat=True))
            raise CommandError(f"No partnership '{code}'. Known partnerships: {known or 'none'}",
                               returncode=USAGE)
        try:
            period = selectors.report_year(options["year"])
        except selectors.ReportYearError as error:
            raise CommandError(str(error), returncode=USAGE) from None
        for target in (options["html"], options["pdf"]):
            if target is not None and not target.resolve().parent.is_dir():
                raise CommandError(f"The folder for {target} does not exist", returncode=USAGE)

        started = time.monotonic()
        report = builder.build(partnership, period)
        body = builder.render_body(report)
        built = time.monotonic() - started
        if options["html"]:
            options["html"].write_text(pdf.standalone_html(body, pdf.meta(report)),
                                       encoding="utf-8")
            self.stdout.write(f"Wrote {options['html']}")
        if options["pdf"]:
            started = time.monotonic()
            options["pdf"].write_bytes(pdf.render_pdf(body, pdf.meta(report)))
            self.stdout.write(f"Wrote {options['pdf']} in {time.monotonic() - started:.1f} s")
        drafts = report.draft_blocks
        self.stdout.write(
            f"{partnership.name}, {period.label}: {len(report.figures)} figures, "
            f"{len(report.not_recorded)} not recorded, {len(report.suppressed)} withheld; "
            f"built in {built:.1f} s.")
        if drafts:
            self.stdout.write(self.style.WARNING(
                "Draft text in: " + ", ".join(v.block for v in drafts)))
