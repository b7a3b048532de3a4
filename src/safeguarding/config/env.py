"""Environment-driven configuration shared by every settings module."""

from pathlib import Path

import environ

PACKAGE_DIR = Path(__file__).resolve().parent.parent
BASE_DIR = PACKAGE_DIR.parent.parent

env = environ.Env()
# A .env beside the project is read when present so that a developer's local
# choices (DATABASE_URL and the like) survive shell sessions.
environ.Env.read_env(BASE_DIR / ".env", overwrite=False)
