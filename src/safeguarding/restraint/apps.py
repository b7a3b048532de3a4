from django.apps import AppConfig


class RestraintConfig(AppConfig):
    name = "safeguarding.restraint"
    label = "restraint"
    verbose_name = "Review of restraint"

    def ready(self) -> None:
        from safeguarding.core.modules import register
        from safeguarding.restraint.contract import CONTRACT

        register(CONTRACT)  # what the app gives the house (contract.py)
