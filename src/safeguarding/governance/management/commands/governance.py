"""`safeguarding governance ...`: list bodies, the action log's overdue view, a register's
risks with their score history, the priorities and commitments of the business plan, and
send the overdue-action reminders now."""

from __future__ import annotations

import datetime as dt

from django.core.management.base import BaseCommand, CommandError
from django.utils import timezone

from safeguarding.core.management.helpers import partnership_by_code
from safeguarding.governance import config, reminders, selectors

_partnership = partnership_by_code


def _day(text: str | None) -> dt.date:
    if not text:
        return timezone.localdate()
    try:
        return dt.date.fromisoformat(text)
    except ValueError:
        raise CommandError(f"Not a date (YYYY-MM-DD): {text}") from None


class Command(BaseCommand):
    help = "Governance: bodies, overdue actions, risk registers, reminders."

    def add_arguments(self, parser):
        sub = parser.add_subparsers(dest="action", required=True)
        bodies = sub.add_parser("bodies", help="List a partnership's bodies and their terms")
        bodies.add_argument("partnership", help="Partnership code, for example STAFFS")
        overdue = sub.add_parser("overdue", help="Open actions past their due date")
        overdue.add_argument("partnership")
        overdue.add_argument("--on", help="As if today were this date (YYYY-MM-DD)")
        risks = sub.add_parser("risks", help="A partnership's risk registers and score history")
        risks.add_argument("partnership")
        prio = sub.add_parser("priorities", help="A partnership's priorities and objectives")
        prio.add_argument("partnership")
        prio.add_argument("year", help="For example 2020-21")
        made = sub.add_parser("commitments",
                              help="The commitments a year's report made, with their outcome")
        made.add_argument("partnership")
        made.add_argument("year", help="The year they were made, for example 2020-21")
        remind = sub.add_parser("remind", help="Send the overdue-action reminders now")
        remind.add_argument("--on")

    def handle(self, *args, action, **options):
        getattr(self, f"_{action}")(**options)

    def _bodies(self, *, partnership, **_):
        found = _partnership(partnership)
        for body in selectors.partnership_bodies(found):
            terms = selectors.terms_current(body)
            joint = ", ".join(p.code for p in body.joint_with.all())
            line = f"{body.name} ({body.get_kind_display().lower()}"
            line += f", joint with {joint})" if joint else ")"
            if terms:
                line += (f": terms v{terms.version}, chair {terms.chair}, quorum {terms.quorum}, "
                         f"{terms.frequency}, review {terms.review_on}")
            line += f"; {body.meetings.filter(held=True).count()} meetings held"
            self.stdout.write(line)

    def _overdue(self, *, partnership, on=None, **_):
        found = _partnership(partnership)
        day = _day(on)
        rows = selectors.partnership_overdue(found, day)
        for a in rows:
            self.stdout.write(f"{a.reference}\t{a.due_on}\t{a.body.name}\t{a.owner}, "
                              f"{a.agency.name}\tcarried {a.carried_forward}\t{a.title}")
        self.stdout.write(f"{len(rows)} overdue on {day}")

    def _risks(self, *, partnership, **_):
        found = _partnership(partnership)
        for register in selectors.partnership_registers(found):
            state = f"closed {register.closed_on}" if register.closed_on else "open"
            self.stdout.write(f"{register.name} ({register.kind}, {state})")
            for risk in register.risks.prefetch_related("reviews"):
                history = " -> ".join(f"{r.residual_score} {r.rag}" for r in risk.reviews.all())
                self.stdout.write(f"  {risk.reference} {risk.title}: {history} "
                                  f"(now {config.rag(risk.residual_score)})")

    def _priorities(self, *, partnership, year, **_):
        found = _partnership(partnership)
        rows = selectors.partnership_priorities(found, year)
        for priority in rows:
            self.stdout.write(f"{priority.title}")
            for objective in priority.objectives.all():
                self.stdout.write(f"  - {objective.text}")
        self.stdout.write(f"{len(rows)} priorities for {year}")

    def _commitments(self, *, partnership, year, **_):
        found = _partnership(partnership)
        rows = selectors.partnership_commitments(found, year)
        for c in rows:
            owner = (c.owner.get_full_name() or c.owner.username) if c.owner else "no owner"
            self.stdout.write(f"{c.get_status_display()}\t{c.due_on or 'no due date'}\t"
                              f"{owner}\t{c.section_title or '-'}\t{c.text}")
        kept = sum(1 for c in rows if c.outcome == "kept")
        self.stdout.write(f"{len(rows)} commitments made in {year}, {kept} kept")

    def _remind(self, *, on=None, **_):
        result = reminders.overdue_reminders_send(on=_day(on))
        self.stdout.write(f"{result['sent']} reminder(s) sent for {result['on']}"
                          + (f" ({result['skipped']})" if "skipped" in result else ""))
