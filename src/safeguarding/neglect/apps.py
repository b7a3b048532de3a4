from django.apps import AppConfig


class NeglectConfig(AppConfig):
    name = "safeguarding.neglect"
    label = "neglect"
    verbose_name = "Neglect: Graded Care Profile 2"

    def ready(self) -> None:
        from safeguarding.core.capabilities import CAPABILITIES, Capability
        from safeguarding.core.modules import register
        from safeguarding.neglect import rules  # noqa: F401  (the permissions)
        from safeguarding.neglect.contract import CONTRACT

        register(CONTRACT)  # what the app gives the house (contract.py)
        if not any(c.key == "neglect" for c in CAPABILITIES):
            CAPABILITIES.append(Capability(
                "neglect", "Neglect: Graded Care Profile 2",
                "GCP2 champions, practitioners' licences and when they expire, and each "
                "agency's summary of the GCP2 assessments it completed.", "neglect:home",
                "neglect.view"))
