"""Asking for the cached figures to be recomputed after an import.

Kept apart from ``measures.cache`` on purpose: the import listener runs at the
end of every import, and the cache brings Polars and matplotlib (over a second
to import). Queuing a request needs only the models; the task that runs it
imports the cache.
"""

from __future__ import annotations

from contextlib import contextmanager
from contextvars import ContextVar

from django.conf import settings
from django.db import transaction
from django.utils import timezone

from safeguarding.core.models import Partnership
from safeguarding.measures.models import IndicatorRecompute, RecomputeStatus


def recompute_request(*, partnership: Partnership, reason: str,
                      dataset_import_id: int | None = None) -> IndicatorRecompute:
    """Queue a background recompute of the standard periods; join one already waiting."""
    from safeguarding.measures.tasks import recompute_indicator_results

    with transaction.atomic():
        waiting = (IndicatorRecompute.objects.select_for_update()
                   .filter(partnership=partnership, status=RecomputeStatus.QUEUED).first())
        if waiting is not None:
            waiting.reason = reason[:300]
            waiting.dataset_import_id = dataset_import_id or waiting.dataset_import_id
            waiting.save(update_fields=["reason", "dataset_import_id"])
            return waiting
        record = IndicatorRecompute.objects.create(
            partnership=partnership, reason=reason[:300], dataset_import_id=dataset_import_id,
            requested_at=timezone.now())
        transaction.on_commit(lambda: recompute_indicator_results.enqueue(record.pk))
    return record



_batch: ContextVar[dict[int, tuple[Partnership, int | None, str]] | None] = ContextVar(
    "measures_recompute_batch", default=None)


@contextmanager
def one_recompute_per_partnership():
    """Imports inside the block ask for their recomputes once, at its end.

    For a run of imports in one process (the demo loads twenty files): with the
    task worker a queued recompute is joined anyway, but a backend that runs
    tasks at once would recompute after every file.
    """
    wanted: dict[int, tuple[Partnership, int | None, str]] = {}
    token = _batch.set(wanted)
    try:
        yield
    finally:
        _batch.reset(token)
    for partnership, import_id, reason in wanted.values():
        recompute_request(partnership=partnership, dataset_import_id=import_id, reason=reason)


def on_data_loaded(sender, *, partnerships, reason: str, dataset_import_id: int | None = None,
                   **kwargs) -> None:
    """Heard on ``core.signals.data_loaded``: queue a recompute for each partnership fed."""
    # MEASURES_RECOMPUTE_AFTER_IMPORT = False leaves the figures to be computed when read.
    if not getattr(settings, "MEASURES_RECOMPUTE_AFTER_IMPORT", True):
        return
    wanted = _batch.get()
    for partnership in partnerships:
        if wanted is not None:
            wanted[partnership.pk] = (partnership, dataset_import_id, reason)
        else:
            recompute_request(partnership=partnership, dataset_import_id=dataset_import_id,
                              reason=reason)
