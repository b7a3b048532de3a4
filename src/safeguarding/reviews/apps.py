from django.apps import AppConfig


class ReviewsConfig(AppConfig):
    name = "safeguarding.reviews"
    label = "reviews"
    verbose_name = "Learning reviews"

    def ready(self) -> None:
        from safeguarding.core.modules import register
        from safeguarding.reviews.contract import CONTRACT

        register(CONTRACT)  # what the app gives the house (contract.py)
