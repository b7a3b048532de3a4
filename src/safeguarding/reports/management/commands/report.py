"""safeguarding report --partnership STAFFS --year 2020-21 --html out.html --pdf out.pdf

Publishing and recording where the published report was sent, as the business unit:

    safeguarding report --partnership STAFFS --year 2020-21 --as business.staffs --publish
    safeguarding report --partnership STAFFS --year 2020-21 --as business.staffs \
        --sent panel=2021-09-30 --sent what_works=2021-10-01
"""

from __future__ import annotations

import datetime as dt
import time
from pathlib import Path

from django.core.exceptions import PermissionDenied, ValidationError
from django.core.management.base import BaseCommand, CommandError

from safeguarding.core.models import Partnership, User
from safeguarding.reports import builder, pdf, selectors, services
from safeguarding.reports.models import ReportSend

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
        parser.add_argument("--as", dest="username",
                            help="The business unit member publishing or recording a send")
        parser.add_argument("--publish", action="store_true",
                            help="Publish the report as it is now (every narrative block "
                                 "written)")
        parser.add_argument("--sent", action="append", default=[], metavar="RECIPIENT=DATE",
                            help="Record sending the published report: panel=YYYY-MM-DD or "
                                 "what_works=YYYY-MM-DD (may be given twice)")

    def handle(self, *args, **options):
        writing = options["publish"] or options["sent"]
        if not options["html"] and not options["pdf"] and not writing:
            raise CommandError("Say where to write the report: --html FILE, --pdf FILE or both "
                               "(or --publish, --sent)", returncode=USAGE)
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
        if writing:
            self._write(partnership, period, options)
            if not options["html"] and not options["pdf"]:
                return
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

    def _write(self, partnership, period, options) -> None:
        """Publish and record sends through the services, as the person named by --as."""
        username = (options["username"] or "").strip()
        actor = User.objects.filter(username=username).first() if username else None
        if actor is None:
            raise CommandError("Say who is publishing: --as USERNAME (a business unit member)"
                               if not username else f"No user '{username}'", returncode=USAGE)
        sends = []
        for given in options["sent"]:
            recipient, _, day = given.partition("=")
            if recipient not in ReportSend.Recipient.values:
                raise CommandError(f"--sent {given}: the recipient must be one of "
                                   f"{', '.join(ReportSend.Recipient.values)}", returncode=USAGE)
            try:
                sends.append((recipient, dt.date.fromisoformat(day)))
            except ValueError:
                raise CommandError(f"--sent {given}: not a date (YYYY-MM-DD)",
                                   returncode=USAGE) from None
        try:
            if options["publish"]:
                published = services.report_publish(actor=actor, partnership=partnership,
                                                     year=period.label)
                self.stdout.write(f"Published {partnership.code} {period.label} as version "
                                  f"{published.number}")
            for recipient, day in sends:
                services.report_send_record(actor=actor, partnership=partnership,
                                            year=period.label, recipient=recipient, sent_on=day)
                self.stdout.write(f"Recorded: sent to {ReportSend.Recipient(recipient).label} "
                                  f"on {day.isoformat()}")
        except PermissionDenied:
            raise CommandError(f"{username} may not publish {partnership.code}'s report") \
                from None
        except ValidationError as error:
            raise CommandError("; ".join(error.messages)) from None
