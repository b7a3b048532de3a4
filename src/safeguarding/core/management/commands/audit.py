from django.core.management.base import BaseCommand, CommandError

from safeguarding.core.audit import audit_verify


class Command(BaseCommand):
    help = "Check the audit log's hash chain and name the first broken row."

    def add_arguments(self, parser):
        sub = parser.add_subparsers(dest="action", required=True)
        sub.add_parser("verify", help="Walk the chain from the first row")

    def handle(self, *args, action, **options):
        checked, broken = audit_verify()
        if broken is not None:
            raise CommandError(
                f"Audit chain broken at row {broken.sequence}: {broken.reason} "
                f"({checked} rows before it are intact)"
            )
        self.stdout.write(self.style.SUCCESS(f"Audit chain intact: {checked} rows verified"))
