from django.apps import AppConfig


class GovernanceConfig(AppConfig):
    name = "safeguarding.governance"
    label = "governance"
    verbose_name = "Governance and assurance"

    def ready(self) -> None:
        from safeguarding.core.modules import register
        from safeguarding.governance.contract import CONTRACT

        register(CONTRACT)  # what the app gives the house (contract.py)
