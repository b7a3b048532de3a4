from django.core.exceptions import ValidationError
from django.core.management.base import BaseCommand, CommandError

from safeguarding.core import services
from safeguarding.core.models import Partnership


class Command(BaseCommand):
    help = "Add or list partnerships."

    def add_arguments(self, parser):
        sub = parser.add_subparsers(dest="action", required=True)
        add = sub.add_parser("add", help="Add a partnership with its local authority areas")
        add.add_argument("code")
        add.add_argument("--name", required=True)
        add.add_argument("--la", action="append", required=True, metavar="OLD/NEW",
                         help="An LA area as old/new codes, like 860/E10000028; repeatable")
        sub.add_parser("list", help="List partnerships: code and name")

    def handle(self, *args, action, **options):
        if action == "list":
            for p in Partnership.objects.prefetch_related("local_authorities"):
                las = ", ".join(f"{la.old_code}/{la.new_code}" for la in p.local_authorities.all())
                self.stdout.write(f"{p.code}\t{p.name}\t{las}")
            return
        try:
            areas = [(*services.parse_la_pair(v), "") for v in options["la"]]
            partnership = services.partnership_add(actor=None, code=options["code"],
                                                   name=options["name"], local_authorities=areas)
        except ValidationError as error:
            messages = [f"{field}: {'; '.join(errs)}" for field, errs in error.message_dict.items()] \
                if hasattr(error, "error_dict") else error.messages
            raise CommandError("Partnership not added: " + " | ".join(messages)) from None
        self.stdout.write(self.style.SUCCESS(f"Added {partnership.code}: {partnership.name}"))
