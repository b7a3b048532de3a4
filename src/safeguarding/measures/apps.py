from django.apps import AppConfig, apps


class MeasuresConfig(AppConfig):
    name = "safeguarding.measures"
    label = "measures"
    verbose_name = "Performance and quality assurance"

    def ready(self) -> None:
        # Every loaded import queues a recompute of the cached figures it feeds.
        if apps.is_installed("safeguarding.datasets"):
            from safeguarding.datasets.signals import import_loaded
            from safeguarding.measures.cache import on_import_loaded

            import_loaded.connect(on_import_loaded, dispatch_uid="measures-recompute")
