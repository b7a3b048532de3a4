"""`safeguarding governance ...`: list bodies, the action log's overdue view, a register's
risks with their score history, the priorities and commitments of the business plan, and
send the overdue-action reminders now. As the command line (no person), plan a meeting
(its agenda built from the action log), close an action and score a risk again."""

from __future__ import annotations

from django.core.exceptions import ValidationError
from django.core.management.base import BaseCommand, CommandError

from safeguarding.core.management.helpers import date_option_or_today, partnership_by_code
from safeguarding.governance import config, reminders, selectors, services
from safeguarding.governance.models import Action, Body, Risk

_partnership = partnership_by_code


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
        meeting = sub.add_parser("meeting", help="Plan a body's meeting and print its agenda "
                                                 "(built from the action log)")
        meeting.add_argument("partnership")
        meeting.add_argument("body", help="The body's name, for example 'Scrutiny and Assurance'")
        meeting.add_argument("held_on", help="The meeting's date (YYYY-MM-DD)")
        close = sub.add_parser("action-close", help="Close an action of the log")
        close.add_argument("partnership")
        close.add_argument("reference", help="The action's reference, for example A03")
        close.add_argument("--status", default="complete",
                           help="complete or cancelled (default complete)")
        close.add_argument("--evidence", required=True)
        close.add_argument("--on")
        review = sub.add_parser("risk-review", help="Score a risk again (likelihood x impact, "
                                                    "before and after controls)")
        review.add_argument("partnership")
        review.add_argument("register", help="The register's name")
        review.add_argument("reference", help="The risk's reference, for example R01")
        for name in ("likelihood", "impact", "residual_likelihood", "residual_impact"):
            review.add_argument(f"--{name.replace('_', '-')}", dest=name, type=int,
                                required=True)
        review.add_argument("--next", dest="review_on", required=True,
                            help="The next review's date (YYYY-MM-DD)")
        review.add_argument("--on")
        review.add_argument("--note", default="")

    def handle(self, *args, action, **options):
        try:
            getattr(self, f"_{action.replace('-', '_')}")(**options)
        except ValidationError as error:
            raise CommandError("; ".join(error.messages)) from None

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
        day = date_option_or_today(on)
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
        result = reminders.overdue_reminders_send(on=date_option_or_today(on))
        self.stdout.write(f"{result['sent']} reminder(s) sent for {result['on']}"
                          + (f" ({result['skipped']})" if "skipped" in result else ""))

    def _meeting(self, *, partnership, body, held_on, **_):
        found = Body.objects.filter(partnership=_partnership(partnership), name=body).first()
        if found is None:
            raise CommandError(f"No body '{body}' in {partnership}")
        meeting = services.meeting_schedule(actor=None, body=found, held_on=date_option_or_today(held_on))
        self.stdout.write(f"{found.name} meets on {meeting.held_on}; papers due by "
                          f"{meeting.papers_due}")
        for n, item in enumerate(meeting.agenda.all(), start=1):
            self.stdout.write(f"  {n}. {item.title}")

    def _action_close(self, *, partnership, reference, status, evidence, on=None, **_):
        found = Action.objects.filter(partnership=_partnership(partnership),
                                      reference=reference).first()
        if found is None:
            raise CommandError(f"No action {reference} in {partnership}")
        services.action_close(actor=None, action=found, status=status, evidence=evidence,
                              on=date_option_or_today(on))
        self.stdout.write(f"{found.reference} {found.status} on {found.closed_on}")

    def _risk_review(self, *, partnership, register, reference, review_on, on=None, note="",
                     **scores):
        found = Risk.objects.filter(register__partnership=_partnership(partnership),
                                    register__name=register, reference=reference).first()
        if found is None:
            raise CommandError(f"No risk {reference} on '{register}' in {partnership}")
        review = services.risk_review(
            actor=None, risk=found, on=date_option_or_today(on), review_on=date_option_or_today(review_on), note=note,
            **{k: scores[k] for k in ("likelihood", "impact", "residual_likelihood",
                                      "residual_impact")})
        self.stdout.write(f"{found.reference} {found.title}: now {found.residual_score} "
                          f"{review.rag}, next review {found.review_on}")
