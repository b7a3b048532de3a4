from django.apps import AppConfig


class CoreConfig(AppConfig):
    name = "safeguarding.core"
    label = "core"
    verbose_name = "Partnerships, people and audit"

    def ready(self) -> None:
        from safeguarding.core import checks  # noqa: F401 - registers the deployment checks
