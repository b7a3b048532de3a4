"""`safeguarding encompass ...`: list notifications due, record incidents from the police's
CSV template, acknowledge a notification, send the reminders, print the template."""

from __future__ import annotations

import datetime as dt
from pathlib import Path

from django.core.exceptions import ValidationError
from django.core.management.base import BaseCommand, CommandError
from django.utils import timezone

from safeguarding.core.management.helpers import csv_import, partnership_by_code
from safeguarding.core.models import User
from safeguarding.encompass import importer, reminders, selectors, services
from safeguarding.encompass.models import Notification

_partnership = partnership_by_code


class Command(BaseCommand):
    help = "Operation Encompass: notifications due, CSV import, acknowledgement, reminders."

    def add_arguments(self, parser):
        sub = parser.add_subparsers(dest="action", required=True)
        due = sub.add_parser("due", help="List notifications not yet acknowledged (no child data)")
        due.add_argument("--partnership")
        due.add_argument("--on", help="As if today were this date (YYYY-MM-DD)")
        load = sub.add_parser("import", help="Record incidents from the police's CSV template")
        load.add_argument("file", type=Path)
        load.add_argument("--partnership", required=True)
        ack = sub.add_parser("acknowledge", help="Acknowledge a notification for a Key Adult")
        ack.add_argument("notification", type=int)
        ack.add_argument("--as", dest="username", required=True,
                         help="The Key Adult's username (their permission is checked)")
        remind = sub.add_parser("remind", help="Send today's reminders now")
        remind.add_argument("--on")
        sub.add_parser("template", help="Print the CSV template's header line")

    def handle(self, *args, action, **options):
        getattr(self, f"_{action}")(**options)

    def _due(self, *, partnership=None, on=None, **_):
        day = dt.date.fromisoformat(on) if on else None
        rows = selectors.due_list(partnership=_partnership(partnership) if partnership else None,
                                  today=day)
        self.stdout.write(f"{len(rows)} notification(s) not acknowledged")
        for pk, urn, name, due, sent, overdue in rows:
            sent_text = f"sent {timezone.localtime(sent):%Y-%m-%d %H:%M}" if sent else "NOT SENT"
            due_text = f"{timezone.localtime(due):%Y-%m-%d %H:%M}"
            self.stdout.write(f"  #{pk} {name} (URN {urn}) due {due_text}, {sent_text}"
                              f"{', OVERDUE' if overdue else ''}")

    def _import(self, *, file, partnership, **_):
        found = _partnership(partnership)
        record = csv_import(self, lambda content, name: services.incidents_import(
            actor=None, partnership=found, content=content, file_name=name), file)
        self.stdout.write(f"{record.file_name}: {record.incidents} incident(s), "
                          f"{record.notifications} notification(s)")

    def _acknowledge(self, *, notification, username, **_):
        user = User.objects.filter(username=username).first()
        notice = Notification.objects.filter(pk=notification).first()
        if user is None or notice is None:
            raise CommandError("No such notification or user")
        if not user.has_perm("encompass.acknowledge_notification", notice):
            raise CommandError(f"{username} is not a Key Adult of {notice.school.name}")
        try:
            services.notification_acknowledge(actor=user, notification=notice)
        except ValidationError as error:
            raise CommandError("; ".join(error.messages)) from None
        self.stdout.write(f"Notification #{notification} acknowledged by {username}")

    def _remind(self, *, on=None, **_):
        result = reminders.reminders_send(on=dt.date.fromisoformat(on) if on else None)
        self.stdout.write(f"Reminders for {result['on']}: {result.get('skipped') or result['sent']}")

    def _template(self, **_):
        self.stdout.write(importer.template_csv_header())
