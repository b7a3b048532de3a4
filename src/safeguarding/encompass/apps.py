from django.apps import AppConfig


class EncompassConfig(AppConfig):
    name = "safeguarding.encompass"
    label = "encompass"
    verbose_name = "Operation Encompass"

    def ready(self) -> None:
        from safeguarding.core.modules import register
        from safeguarding.encompass.contract import CONTRACT

        register(CONTRACT)  # what the app gives the house (contract.py)
