from django.apps import AppConfig


class DatasetsConfig(AppConfig):
    name = "safeguarding.datasets"
    label = "datasets"
    verbose_name = "Data imports"
