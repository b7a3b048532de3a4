from django.apps import AppConfig


class GovernanceConfig(AppConfig):
    name = "safeguarding.governance"
    label = "governance"
    verbose_name = "Governance and assurance"

    def ready(self) -> None:
        from safeguarding.core.capabilities import CAPABILITIES, Capability
        from safeguarding.core.modules import register
        from safeguarding.governance.contract import CONTRACT

        register(CONTRACT)  # what the app gives the house (contract.py)
        from safeguarding.core.signals import report_published
        from safeguarding.governance.assurance import on_report_published

        report_published.connect(on_report_published, dispatch_uid="governance-commitments")
        if not any(c.key == "governance" for c in CAPABILITIES):
            CAPABILITIES.append(Capability(
                "governance", "Governance and assurance",
                "The board and sub-groups: terms of reference, meetings, the action log and "
                "risk registers.", "governance:home", "governance.view"))
