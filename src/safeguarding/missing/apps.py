from django.apps import AppConfig


class MissingConfig(AppConfig):
    name = "safeguarding.missing"
    label = "missing"
    verbose_name = "Missing children"

    def ready(self) -> None:
        from safeguarding.core.capabilities import CAPABILITIES, Capability
        from safeguarding.core.modules import register
        from safeguarding.missing import rules  # noqa: F401  (registers the permissions)
        from safeguarding.missing.contract import CONTRACT

        register(CONTRACT)  # what the app gives the house (contract.py)
        if not any(c.key == "missing" for c in CAPABILITIES):
            CAPABILITIES.append(Capability(
                "missing", "Missing children",
                "Episodes reported by the police, return home interviews within 72 hours, "
                "repeat-missing children and the Strategic Missing Group.",
                "missing:home", "missing.view_figures"))
