"""Developer machine: debug on, SQLite by default."""

from safeguarding.config.settings.base import *  # noqa: F403
from safeguarding.config.settings.base import env

DEBUG = env.bool("DEBUG", default=True)
