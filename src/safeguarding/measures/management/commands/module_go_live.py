import datetime as dt

from django.core.exceptions import ValidationError
from django.core.management.base import BaseCommand, CommandError

from safeguarding.core.models import Partnership
from safeguarding.measures import services
from safeguarding.measures.models import ModuleGoLive


class Command(BaseCommand):
    help = ("Set or list the day a partnership went live with a module (learning_reviews, "
            "child_deaths): its measures are 'not recorded' for periods starting before it. "
            "Without a date set, a module is live from 1 April of the year of its first case.")

    def add_arguments(self, parser):
        parser.add_argument("--partnership", required=True)
        parser.add_argument("--module", choices=ModuleGoLive.Module.values)
        parser.add_argument("--from", dest="live_from", help="The go-live date, YYYY-MM-DD")
        parser.add_argument("--note", default="")

    def handle(self, *args, partnership, module, live_from, note, **options):
        found = Partnership.objects.filter(code=partnership.upper()).first()
        if found is None:
            raise CommandError(f"No partnership '{partnership}'. See: safeguarding partnership list")
        if module and live_from:
            try:
                day = dt.date.fromisoformat(live_from)
            except ValueError:
                raise CommandError("--from must be a date like 2019-04-01") from None
            try:
                services.module_go_live_set(actor=None, partnership=found, module=module,
                                            live_from=day, note=note)
            except ValidationError as error:
                raise CommandError("; ".join(error.messages)) from None
        elif module or live_from:
            raise CommandError("Give both --module and --from to set a date, or neither to list")
        for row in ModuleGoLive.objects.filter(partnership=found):
            self.stdout.write(f"{row.module}\t{row.live_from.isoformat()}\t{row.note}")
