import logging

from django.apps import AppConfig

log = logging.getLogger(__name__)


def _mark_interrupted_imports(**_kwargs) -> None:
    """Imports left "running" by a process that died are marked stopped by a fault."""
    from safeguarding.datasets.services import imports_interrupted_mark

    if marked := imports_interrupted_mark():
        log.warning("Marked %s interrupted import(s) as stopped by a fault", marked)


class DatasetsConfig(AppConfig):
    name = "safeguarding.datasets"
    label = "datasets"
    verbose_name = "Data imports"

    def ready(self) -> None:
        from safeguarding.core.modules import register
        from safeguarding.datasets.contract import CONTRACT

        register(CONTRACT)  # what the app gives the house (contract.py)
        from safeguarding.core.signals import worker_tick

        worker_tick.connect(_mark_interrupted_imports, dispatch_uid="datasets-interrupted")
