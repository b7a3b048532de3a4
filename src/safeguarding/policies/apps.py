from django.apps import AppConfig


class PoliciesConfig(AppConfig):
    name = "safeguarding.policies"
    label = "policies"
    verbose_name = "Policies and procedures"

    def ready(self) -> None:
        from safeguarding.core.modules import register
        from safeguarding.policies import rules  # noqa: F401 - registers the permissions
        from safeguarding.policies.contract import CONTRACT

        register(CONTRACT)  # what the app gives the house (contract.py)
        from safeguarding.core.capabilities import CAPABILITIES, Capability

        if not any(c.key == "policies" for c in CAPABILITIES):
            CAPABILITIES.append(Capability(
                "policies", "Policies and procedures", "Read and search the partnership's "
                "joint multi-agency policies and procedures; owners revise and review them.",
                "policies:library", "policies.open"))
