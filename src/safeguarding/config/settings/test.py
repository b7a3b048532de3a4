"""Test suite: fast hashing, immediate tasks, in-memory e-mail."""

from safeguarding.config.settings.base import *  # noqa: F403
from safeguarding.config.settings.base import BASE_DIR, STORAGES

PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]
TASKS = {"default": {"BACKEND": "django_tasks.backends.immediate.ImmediateBackend"}}
EMAIL_BACKEND = "django.core.mail.backends.locmem.EmailBackend"
STORAGES = {
    **STORAGES,
    "staticfiles": {"BACKEND": "django.contrib.staticfiles.storage.StaticFilesStorage"},
}
AXES_ENABLED = True
# Recomputes run at once here (immediate tasks); drawing every chart after each would
# only slow the tests down. The dashboard draws what it shows.
MEASURES_WARM_CHARTS = False
CACHES = {"default": {"BACKEND": "django.core.cache.backends.locmem.LocMemCache"},
          # Files, as in production: a chart is a pure function of its key (its figures,
          # matplotlib's version and the drawing code), so every test process draws it once.
          "charts": {"BACKEND": "django.core.cache.backends.filebased.FileBasedCache",
                     "LOCATION": str(BASE_DIR / "var" / "test-cache" / "charts"),
                     "OPTIONS": {"MAX_ENTRIES": 20_000}},
          # Files, as in production: a PDF is a pure function of its key (the document's
          # HTML, the print stylesheet and the WeasyPrint version), so the test processes
          # (both xdist workers, the SQLite and PostgreSQL runs) draw each one once.
          "documents": {"BACKEND": "django.core.cache.backends.filebased.FileBasedCache",
                        "LOCATION": str(BASE_DIR / "var" / "test-cache" / "documents"),
                        "OPTIONS": {"MAX_ENTRIES": 2000}}}
