from django.apps import AppConfig


class CovidFollowupConfig(AppConfig):
    name = "safeguarding.covid_followup"
    label = "covid_followup"
    verbose_name = "Covid-19 vulnerable children follow-up"

    def ready(self) -> None:
        from safeguarding.core.capabilities import CAPABILITIES, Capability
        from safeguarding.core.modules import register
        from safeguarding.covid_followup import rules  # noqa: F401  (the permissions)
        from safeguarding.covid_followup.contract import CONTRACT

        register(CONTRACT)
        if not any(c.key == "covid_followup" for c in CAPABILITIES):
            CAPABILITIES.append(Capability(
                "covid_followup", "Covid-19 vulnerable children follow-up",
                "Children in need, on a plan or looked after who did not attend school in a "
                "lockdown week, and each school's follow-up.", "covid_followup:home",
                "covid_followup.view"))
