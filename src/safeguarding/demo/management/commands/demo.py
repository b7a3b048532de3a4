import time

from django.core.management import call_command
from django.core.management.base import BaseCommand, CommandError

from safeguarding.core.models import Partnership
from safeguarding.demo import builder, people


class Command(BaseCommand):
    help = "Build the synthetic demo partnership (fake people, valid-looking identifiers)."

    def add_arguments(self, parser):
        parser.add_argument("--scale", choices=sorted(people.SCALES), default="small")
        parser.add_argument("--seed", type=int, default=2021)
        parser.add_argument("--replace", action="store_true",
                            help="Empty the database first (it must be a demo database)")

    def handle(self, *args, scale, seed, replace, **options):
        if Partnership.objects.exists():
            if not replace:
                raise CommandError("The database already holds partnerships. "
                                   "Use --replace to empty it and build the demo again.")
            call_command("flush", interactive=False, verbosity=0)
        started = time.monotonic()
        result = builder.build(scale=scale, seed=seed, quiet=options["verbosity"] < 1,
                               log=self.stdout.write)
        took = time.monotonic() - started
        # The imports above queued background recomputes; doing them now means the
        # dashboard is ready without a worker (the queued tasks then find nothing to do).
        from safeguarding.measures.cache import results_rebuild

        for partnership in Partnership.objects.order_by("code"):
            cached_at = time.monotonic()
            written, _ = results_rebuild(actor=None, partnership=partnership)
            self.stdout.write(f"Indicator results for {partnership.code}: {written} periods "
                              f"computed in {time.monotonic() - cached_at:.1f} s")
        self.stdout.write(self.style.SUCCESS(
            f"Demo built in {took:.0f} s: scale {scale}, seed {seed}, "
            f"{result['children']:,} children."))
        self.stdout.write("\nDemo sign-ins (every password is "
                          f"'{people.DEMO_PASSWORD}'; two-factor is on):")
        width = max(len(u) for u, *_ in result["sign_ins"])
        for username, role, agency, code in result["sign_ins"]:
            self.stdout.write(f"  {username:<{width}}  {role:<21} {code:<7} {agency}")
        self.stdout.write("\nFor the security code, run: safeguarding demo_code USERNAME")
