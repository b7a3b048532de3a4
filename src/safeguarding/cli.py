"""The `safeguarding` command: Django's management commands and the platform's own."""

import os
import sys


def main() -> None:
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "safeguarding.config.settings.local")
    from django.core.management import execute_from_command_line

    argv = list(sys.argv)
    argv[0] = "safeguarding"
    # `safeguarding worker` is core's worker command: django-tasks' database worker that
    # also enqueues the scheduled jobs (core/scheduler.py).
    execute_from_command_line(argv)


if __name__ == "__main__":
    main()
