from django.apps import AppConfig, apps


class MeasuresConfig(AppConfig):
    name = "safeguarding.measures"
    label = "measures"
    verbose_name = "Performance and quality assurance"

    def ready(self) -> None:
        # Every loaded import queues a recompute of the cached figures it feeds.
        if apps.is_installed("safeguarding.datasets"):
            from safeguarding.datasets.signals import import_loaded

            import_loaded.connect(_on_import_loaded, dispatch_uid="measures-recompute")


def _on_import_loaded(sender, **kwargs) -> None:
    # Imported here, not at start-up: models cannot be imported while apps load.
    from safeguarding.measures.recompute import on_import_loaded

    on_import_loaded(sender, **kwargs)
