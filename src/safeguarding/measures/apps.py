from django.apps import AppConfig


class MeasuresConfig(AppConfig):
    name = "safeguarding.measures"
    label = "measures"
    verbose_name = "Performance and quality assurance"
