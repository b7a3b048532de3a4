from django.apps import AppConfig


class BriefingsConfig(AppConfig):
    name = "safeguarding.briefings"
    label = "briefings"
    verbose_name = "Learning briefings and campaigns"

    def ready(self) -> None:
        from safeguarding.briefings import rules  # noqa: F401  (the permissions)
        from safeguarding.briefings.contract import CONTRACT
        from safeguarding.core.capabilities import CAPABILITIES, Capability
        from safeguarding.core.modules import register

        register(CONTRACT)  # what the app gives the house (contract.py)
        if not any(c.key == "briefings" for c in CAPABILITIES):
            CAPABILITIES.append(Capability(
                "briefings", "Learning briefings and campaigns",
                "Briefings from reviews and audits, how each agency used them, and the "
                "partnership's campaigns.", "briefings:home", "briefings.view"))
