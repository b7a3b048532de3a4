"""The `safeguarding` command: Django's management commands and the platform's own."""

import os
import sys


def main() -> None:
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "safeguarding.config.settings.local")
    from django.core.management import execute_from_command_line

    argv = list(sys.argv)
    argv[0] = "safeguarding"
    # `safeguarding worker` is the friendly name for django-tasks' database worker.
    if len(argv) > 1 and argv[1] == "worker":
        argv[1] = "db_worker"
    execute_from_command_line(argv)


if __name__ == "__main__":
    main()
