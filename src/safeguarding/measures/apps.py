from django.apps import AppConfig


class MeasuresConfig(AppConfig):
    name = "safeguarding.measures"
    label = "measures"
    verbose_name = "Performance and quality assurance"

    def ready(self) -> None:
        # Data loaded in bulk by any app (an import) queues a recompute of the cached
        # figures it feeds; the app sends core's signal and knows nothing of measures.
        from safeguarding.core.signals import data_loaded

        data_loaded.connect(_on_data_loaded, dispatch_uid="measures-recompute")
        # A record the figures are computed from changed one at a time (cache.record_changed).
        from django.db.models.signals import post_delete, post_save

        post_save.connect(_on_record_changed, dispatch_uid="measures-record-saved")
        post_delete.connect(_on_record_changed, dispatch_uid="measures-record-deleted")
        from safeguarding.core.modules import register
        from safeguarding.measures.home import CONTRACT

        register(CONTRACT)  # the figures' freshness on the business unit's home page


def _on_data_loaded(sender, **kwargs) -> None:
    # Imported here, not at start-up: models cannot be imported while apps load.
    from safeguarding.measures.recompute import on_data_loaded

    on_data_loaded(sender, **kwargs)


def _on_record_changed(sender, **kwargs) -> None:
    from safeguarding.measures.cache import record_changed

    record_changed(sender, **kwargs)
