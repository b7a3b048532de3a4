from django.core.exceptions import ValidationError
from django.core.management.base import BaseCommand, CommandError

from safeguarding.core.models import Partnership
from safeguarding.measures import services
from safeguarding.measures.selectors import neighbour_lists


class Command(BaseCommand):
    help = ("Set, clear or list the statistical neighbours of a partnership's LAs, as DfE's "
            "children's services statistical neighbour benchmarking tool lists them. The "
            "neighbours' mean is computed from DfE's tables; an LA with no list has its "
            "comparisons say the list is not available. Example: safeguarding neighbours "
            "--partnership STAFFS --la 860 --set 855,861 --source 'DfE CS statistical "
            "neighbour benchmarking tool, 2024 release'")

    def add_arguments(self, parser):
        parser.add_argument("--partnership", required=True)
        parser.add_argument("--la", help="The partnership's LA (old code) the list is for; "
                                         "needed when it covers more than one")
        parser.add_argument("--set", dest="codes",
                            help="Neighbours' old LA codes, closest first, separated by commas")
        parser.add_argument("--source", default="",
                            help="Where the list comes from (the tool and its release)")
        parser.add_argument("--clear", action="store_true", help="Remove the LA's list")

    def handle(self, *args, partnership, la, codes, source, clear, **options):
        found = Partnership.objects.filter(code=partnership.upper()).first()
        if found is None:
            raise CommandError(f"No partnership '{partnership}'. See: safeguarding partnership list")
        if codes is not None or clear:
            if codes is not None and clear:
                raise CommandError("Give --set or --clear, not both")
            wanted = [] if clear else [c.strip() for c in codes.split(",") if c.strip()]
            if not clear and not wanted:
                raise CommandError("--set needs at least one LA code; use --clear to remove a list")
            try:
                services.neighbours_set(actor=None, partnership=found, la=la,
                                        neighbours=[(c, "") for c in wanted], source=source)
            except ValidationError as error:
                raise CommandError("; ".join(error.messages)) from None
        for own, rows in neighbour_lists(found).items():
            if not rows:
                self.stdout.write(f"{own}\tnot available: no statistical neighbour list is set")
                continue
            self.stdout.write(f"{own}\t{','.join(r.old_la_code for r in rows)}\t{rows[0].source}")
