"""`safeguarding audits ...`: list a partnership's audits, check a draw by drawing again
with its kept seed, list the returns outstanding, print the report's audit sentences, and
send the return reminders now. Cases are named by reference, never by child."""

from __future__ import annotations

from django.core.management.base import BaseCommand, CommandError

from safeguarding.audits import config, reminders, selectors, services
from safeguarding.core.management.helpers import date_option_or_today, partnership_by_code
from safeguarding.measures.periods import financial_year_of
from safeguarding.measures.selectors import published_figures

_partnership = partnership_by_code


class Command(BaseCommand):
    help = "Multi-agency case audits: list, check a draw, outstanding returns, reminders."

    def add_arguments(self, parser):
        sub = parser.add_subparsers(dest="action", required=True)
        listing = sub.add_parser("list", help="A partnership's audits with status and grades")
        listing.add_argument("partnership", help="Partnership code, for example STAFFS")
        check = sub.add_parser("check", help="Draw an audit's sample again with its kept seed")
        check.add_argument("partnership")
        check.add_argument("reference", help="The audit's reference, for example MAA-2020-21-02")
        owed = sub.add_parser("returns", help="Returns not yet submitted, by agency")
        owed.add_argument("partnership")
        owed.add_argument("--on", help="As if today were this date (YYYY-MM-DD)")
        report = sub.add_parser("report", help="The yearly report's audit sentences")
        report.add_argument("partnership")
        report.add_argument("year", type=int, help="The year starting in April, e.g. 2020")
        remind = sub.add_parser("remind", help="Send the return reminders now")
        remind.add_argument("--on")

    def handle(self, *args, action, **options):
        getattr(self, f"_{action}")(**options)

    def _list(self, *, partnership, **_):
        for audit in selectors.partnership_audits(_partnership(partnership)):
            grades = selectors.grade_distribution([audit])
            self.stdout.write(
                f"{audit.reference} {audit.title} ({config.theme_title(audit.theme)}): "
                f"{audit.get_status_display().lower()}, {audit.cases.count()} cases, "
                f"grades {grades['good']} good or better / {grades['requires_improvement']} "
                f"requiring improvement / {grades['inadequate']} inadequate"
                + (f", re-audit {audit.re_audit_on}" if audit.re_audit_on else ""))

    def _check(self, *, partnership, reference, **_):
        audit = selectors.partnership_audits(_partnership(partnership)).filter(
            reference=reference).first()
        if audit is None:
            raise CommandError(f"No audit {reference}")
        if audit.seed is None:
            raise CommandError(f"{reference}: the sample is not drawn yet")
        found = services.sample_check(audit)
        self.stdout.write(
            f"{reference}: seed {found['seed']}; population "
            f"{'unchanged' if found['population_same'] else 'changed'} "
            f"({found['population_size']} children); drawn again: "
            f"{'the same' if found['same_cases'] else 'different'} {found['cases']} cases")

    def _returns(self, *, partnership, on=None, **_):
        day = date_option_or_today(on)
        for audit in selectors.partnership_audits(_partnership(partnership)).filter(
                status="returns_open"):
            for case in selectors.cases_of(audit):
                for r in case.returns.all():
                    if r.submitted_on is None:
                        late = " (overdue)" if r.due_on and r.due_on < day else ""
                        self.stdout.write(f"{case.reference} {r.agency.name}: due "
                                          f"{r.due_on}{late}")

    def _report(self, *, partnership, year, **_):
        found = _partnership(partnership)
        period = financial_year_of(selectors.year_span(year)[0])
        figure = published_figures(found, period)  # the engine's counts, as the report's
        for line in selectors.report_sentences(found, period, figure):
            self.stdout.write(line)

    def _remind(self, *, on=None, **_):
        found = reminders.reminders_send(on=date_option_or_today(on))
        self.stdout.write(f"{found['sent']} reminder(s) sent for {found['on']}")
