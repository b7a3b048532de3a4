import time

from django.core.management import call_command
from django.core.management.base import BaseCommand, CommandError
from django.test import override_settings

from safeguarding.core.models import Partnership, User
from safeguarding.demo import builder, people
from safeguarding.measures.cache import results_rebuild


class Command(BaseCommand):
    help = "Build the synthetic demo partnership (fake people, valid-looking identifiers)."

    def add_arguments(self, parser):
        parser.add_argument("--scale", choices=sorted(people.SCALES), default="tiny",
                            help="county (what `make demo` builds): Staffordshire-sized "
                                 "returns; tiny: a few hundred children, for tests")
        parser.add_argument("--seed", type=int, default=2021)
        parser.add_argument("--replace", action="store_true",
                            help="Empty the database first (it must be a demo database)")

    def handle(self, *args, scale, seed, replace, **options):
        if Partnership.objects.exists():
            if not replace:
                raise CommandError("The database already holds partnerships. "
                                   "Use --replace to empty it and build the demo again.")
            not_demo = _not_demo(people)
            if not_demo:
                raise CommandError(f"Refused: this is not a demo database ({not_demo}). "
                                   "--replace only empties a database the demo built.")
            call_command("flush", interactive=False, verbosity=0)
        started, cpu_started = time.monotonic(), time.process_time()
        # The build books training, opens audits and so on through the services, which send
        # e-mails: kept in memory, so none prints to the console during `make demo`.
        with override_settings(EMAIL_BACKEND="django.core.mail.backends.locmem.EmailBackend"):
            result = builder.build(scale=scale, seed=seed, quiet=options["verbosity"] < 1,
                                   log=self.stdout.write)
        took = time.monotonic() - started
        # The imports above queued background recomputes; doing them now means the
        # dashboard is ready without a worker (the queued tasks then find nothing to do).
        for partnership in Partnership.objects.order_by("code"):
            cached_at = time.monotonic()
            # Charts are drawn when a page first shows them (about 3 s a theme), not here.
            written, _ = results_rebuild(actor=None, partnership=partnership, warm_charts=False)
            self.stdout.write(f"Indicator results for {partnership.code}: {written} periods "
                              f"computed in {time.monotonic() - cached_at:.1f} s")
        self.stdout.write(f"Demo data built in {took:.0f} s: scale {scale}, seed {seed}, "
                          f"{result['children']:,} children in the child index.")
        self.stdout.write("\nDemo sign-ins (every password is "
                          f"'{people.DEMO_PASSWORD}'; two-factor is on):")
        width = max(len(u) for u, *_ in result["sign_ins"])
        for username, role, agency, code in result["sign_ins"]:
            self.stdout.write(f"  {username:<{width}}  {role:<21} {code:<7} {agency}")
        self.stdout.write("\nFor the security code, run: safeguarding demo_code USERNAME")
        # The whole build, data and figures, last, so it is the line left on the screen.
        self.stdout.write(self.style.SUCCESS(
            f"\nThe demo took {time.monotonic() - started:.0f} s to build "
            f"({time.process_time() - cpu_started:.0f} s of CPU time): scale {scale}, "
            f"seed {seed}."))


def _not_demo(people) -> str:
    """Why the database is not one the demo built, or "" when it is.

    Every demo sign-in has an @demo.invalid address and every demo partnership
    is one of the demo's codes; anything else is someone's real data.
    """
    codes = {p["code"] for p in people.PARTNERSHIPS}
    others = Partnership.objects.exclude(code__in=codes).values_list("code", flat=True)[:3]
    if others:
        return f"it holds partnership {', '.join(others)}"
    users = User.objects.exclude(email__endswith="@demo.invalid").values_list("username",
                                                                              flat=True)[:3]
    if users:
        return f"it holds sign-in {', '.join(users)}"
    return ""
