"""Background work: run a queued import (an uploaded file) in the task worker."""

from django_tasks import task


@task()
def run_import(dataset_import_id: int) -> str:
    from safeguarding.datasets.services import import_run_queued

    record = import_run_queued(dataset_import_id=dataset_import_id)
    return record.status if record is not None else "missing"
