"""safeguarding template_docs [--check]: write docs/data-templates/ from the template specs.

With --check nothing is written; the exit status is 1 when a page or example
file differs from what the specs give (the test suite runs the same check).
"""

from django.core.management.base import BaseCommand, CommandError

from safeguarding.datasets import template_docs


class Command(BaseCommand):
    help = "Write the agency template pages and example files (docs/data-templates/) from the specs."

    def add_arguments(self, parser):
        parser.add_argument("--check", action="store_true",
                            help="Write nothing; fail if the committed files differ")

    def handle(self, *args, check, **options):
        if check:
            stale = template_docs.differences()
            if stale:
                raise CommandError(f"Out of date in {template_docs.DOCS_DIR}: "
                                   f"{', '.join(stale)}; run safeguarding template_docs",
                                   returncode=1)
            self.stdout.write("docs/data-templates/ matches the specs.")
            return
        changed = template_docs.write()
        self.stdout.write(f"Wrote {len(changed)} file{'s' if len(changed) != 1 else ''} in "
                          f"{template_docs.DOCS_DIR}" + (f": {', '.join(changed)}" if changed
                                                          else " (all up to date)"))
