from django.apps import AppConfig


class ChildrenConfig(AppConfig):
    name = "safeguarding.children"
    label = "children"
    verbose_name = "Child index"

    def ready(self) -> None:
        from safeguarding.children.contract import CONTRACT
        from safeguarding.core.modules import register

        register(CONTRACT)  # what the app gives the house (contract.py)
