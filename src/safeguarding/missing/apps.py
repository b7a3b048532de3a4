from django.apps import AppConfig


class MissingConfig(AppConfig):
    name = "safeguarding.missing"
    label = "missing"
    verbose_name = "Missing children"

    def ready(self) -> None:
        from safeguarding.core.modules import register
        from safeguarding.missing import rules  # noqa: F401  (registers the permissions)
        from safeguarding.missing.contract import CONTRACT

        register(CONTRACT)  # what the app gives the house (contract.py)
