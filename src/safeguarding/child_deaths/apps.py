from django.apps import AppConfig


class ChildDeathsConfig(AppConfig):
    name = "safeguarding.child_deaths"
    label = "child_deaths"
    verbose_name = "Child death reviews"

    def ready(self) -> None:
        from safeguarding.child_deaths.contract import CONTRACT
        from safeguarding.core.modules import register

        register(CONTRACT)  # what the app gives the house (contract.py)
