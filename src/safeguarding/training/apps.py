from django.apps import AppConfig


class TrainingConfig(AppConfig):
    name = "safeguarding.training"
    label = "training"
    verbose_name = "Learning and development"

    def ready(self) -> None:
        from safeguarding.core.modules import register
        from safeguarding.training import rules  # noqa: F401 - registers the permissions
        from safeguarding.training.contract import CONTRACT

        register(CONTRACT)  # what the app gives the house (contract.py)
        from safeguarding.core.capabilities import CAPABILITIES, Capability

        if not any(c.key == "training" for c in CAPABILITIES):
            CAPABILITIES.append(Capability(
                "training", "Training", "Book multi-agency training, see your bookings and "
                "evaluate the courses; the business unit runs the programme.",
                "training:home", "training.open"))
