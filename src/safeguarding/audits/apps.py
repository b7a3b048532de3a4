from django.apps import AppConfig


class AuditsConfig(AppConfig):
    name = "safeguarding.audits"
    label = "audits"
    verbose_name = "Multi-agency case audits"

    def ready(self) -> None:
        from safeguarding.audits import rules  # noqa: F401 - registers the permissions
        from safeguarding.audits.contract import CONTRACT
        from safeguarding.core.capabilities import CAPABILITIES, Capability
        from safeguarding.core.modules import register

        register(CONTRACT)  # what the app gives the house (contract.py)
        if not any(c.key == "audits" for c in CAPABILITIES):
            CAPABILITIES.append(Capability(
                "audits", "Multi-agency case audits",
                "The audit programme: samples, agencies' returns, moderation, findings and "
                "actions.", "audits:home", "audits.use"))
