"""Writes for data imports: record the attempt, check the file, load it in one transaction.

``import_file`` runs an import now (the command line); ``import_queue`` saves
an uploaded file and queues ``tasks.run_import``, which calls ``import_run``.
Either way the import record is written first, on its own, so every attempt is
recorded whatever happens; the load itself is one transaction, all or nothing,
and a file whose SHA-256 matches what is already loaded changes nothing.
"""

from __future__ import annotations

import datetime as dt
import hashlib
import logging
import os
import time
import uuid
from collections.abc import Callable, Sequence
from pathlib import Path

from django.conf import settings
from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.utils import timezone
from django.utils.text import get_valid_filename

from safeguarding.core.audit import audit_append
from safeguarding.core.models import Agency, AuditEvent, LocalAuthority, Partnership, User
from safeguarding.datasets.loader import TEMPLATE_KINDS, LoadContext, Outcome, Stop, loader_for
from safeguarding.datasets.models import (
    DatasetImport,
    DatasetProblem,
    ImportKind,
    ImportStatus,
    ProblemSeverity,
)
from safeguarding.datasets.models.imports import MULTI_FILE_KINDS
from safeguarding.datasets.validation.problems import Problem, ProblemLog
from safeguarding.datasets.validation.specs import period_label

logger = logging.getLogger(__name__)
# An import still "running" after this long was left by a process that died.
STUCK_AFTER = dt.timedelta(hours=2)
INTERRUPTED = ("The import was interrupted: the service stopped while it ran, and nothing "
               "from the file was loaded. Load the file again.")
COMMAND_LINE = "command line"
DEFAULT_MAX_FILE_BYTES = 2 * 1024**3
DEFAULT_MAX_ERRORS = 10_000


def max_file_bytes() -> int:
    """DATASETS_MAX_FILE_BYTES: the largest file accepted, 2 GiB unless set."""
    return int(getattr(settings, "DATASETS_MAX_FILE_BYTES", DEFAULT_MAX_FILE_BYTES))


def max_errors() -> int:
    """DATASETS_MAX_ERRORS: checking stops after this many errors, 10,000 unless set."""
    return int(getattr(settings, "DATASETS_MAX_ERRORS", DEFAULT_MAX_ERRORS))


def upload_dir() -> Path:
    """DATASETS_UPLOAD_DIR: where uploaded files wait for their import; removed after."""
    default = Path(settings.BASE_DIR) / "var" / "imports"
    return Path(getattr(settings, "DATASETS_UPLOAD_DIR", default))


def human_size(size: int) -> str:
    value = float(size)
    for unit in ("bytes", "KB", "MB", "GB"):
        if value < 1024 or unit == "GB":
            return f"{int(value):,} {unit}" if unit == "bytes" else f"{value:,.1f} {unit}"
        value /= 1024
    return f"{size} bytes"


def _require(actor: User | None, partnership: Partnership) -> None:
    # actor=None is the command line, run by whoever holds the server.
    if actor is not None and not actor.has_perm("datasets.import_into", partnership):
        raise PermissionDenied


def _sha256(path: Path) -> str:
    digest = hashlib.sha256()
    with open(path, "rb") as handle:
        for chunk in iter(lambda: handle.read(1024 * 1024), b""):
            digest.update(chunk)
    return digest.hexdigest()


def _sha256_all(paths: list[Path]) -> str:
    return hashlib.sha256("\n".join(sorted(_sha256(p) for p in paths)).encode()).hexdigest()


def _new_record(*, actor, partnership, kind, file_name, check_only, status, **extra):
    if kind not in ImportKind.values:
        raise ValidationError({"kind": [f"Unknown kind {kind!r}"]})
    return DatasetImport.objects.create(
        kind=kind, partnership=partnership, file_name=file_name[:255], check_only=check_only,
        status=status, actor=actor, actor_label=actor.get_username() if actor else COMMAND_LINE,
        **extra)


def _check_la(partnership: Partnership, local_authority: LocalAuthority | None) -> None:
    if local_authority is not None and local_authority.partnership_id != partnership.pk:
        raise ValidationError({"local_authority": [
            f"LA {local_authority.old_code} is not one partnership {partnership.code} covers"]})


def _extract_fields(kind: str, period: str, agency: Agency | None) -> dict:
    """An agency template extract states its period and may name the agency that sent it."""
    if kind not in TEMPLATE_KINDS:
        return {}
    return {"period": (period or "").strip()[:20], "agency": agency}


def import_file(*, actor: User | None, partnership: Partnership, kind: str, path: str | Path,
                check_only: bool = False, file_name: str | None = None,
                local_authority: LocalAuthority | None = None,
                sink: Callable[[Problem], None] | None = None, period: str = "",
                agency: Agency | None = None) -> DatasetImport:
    """Check and (unless ``check_only``) load one file now; return its import record.

    ``local_authority`` says which of the partnership's LAs the file is for,
    for kinds whose files do not say (Annex A, SSDA903). ``period`` (2020-21,
    2020-Q3 or 2020-06) and ``agency`` are for the agency templates: the period
    the extract covers and the agency that sent it.
    """
    return import_files(actor=actor, partnership=partnership, kind=kind, paths=[path],
                        check_only=check_only, file_names=[file_name] if file_name else None,
                        local_authority=local_authority, sink=sink, period=period,
                        agency=agency)


def import_files(*, actor: User | None, partnership: Partnership, kind: str,
                 paths: Sequence[str | Path], check_only: bool = False,
                 file_names: list[str] | None = None, local_authority: LocalAuthority | None = None,
                 year: int | None = None, sink: Callable[[Problem], None] | None = None,
                 period: str = "", agency: Agency | None = None) -> DatasetImport:
    """Check and load the files of one return now, as one import and one transaction.

    Several files only for a kind in MULTI_FILE_KINDS. ``local_authority`` and
    ``year`` say which LA and collection year a return is for when its files
    do not (SSDA903); the loader checks them.
    """
    _require(actor, partnership)
    _check_la(partnership, local_authority)
    resolved = [Path(p) for p in paths]
    if len(resolved) != 1 and kind not in MULTI_FILE_KINDS:
        raise ValidationError({"files": [f"{kind} takes one file per import"]})
    names = file_names or [p.name for p in resolved]
    record = _new_record(actor=actor, partnership=partnership, kind=kind,
                         file_name=", ".join(names), check_only=check_only,
                         status=ImportStatus.RUNNING, local_authority=local_authority,
                         **({"period": period_label(year)} if year else {}),
                         **_extract_fields(kind, period, agency))
    return import_run(dataset_import=record, path=resolved, file_names=names, sink=sink)


def import_queue(*, actor: User, partnership: Partnership, kind: str, upload,
                 check_only: bool = False, local_authority: LocalAuthority | None = None,
                 period: str = "", agency: Agency | None = None) -> DatasetImport:
    """Save an uploaded file and queue its import; return the queued import record."""
    from safeguarding.datasets.tasks import run_import

    _require(actor, partnership)
    _check_la(partnership, local_authority)
    if upload.size > max_file_bytes():
        raise ValidationError({"file": [
            f"The file is {human_size(upload.size)}; the largest accepted is "
            f"{human_size(max_file_bytes())}"]})
    folder = upload_dir()
    folder.mkdir(parents=True, exist_ok=True)
    stored = folder / f"{uuid.uuid4().hex}-{get_valid_filename(Path(upload.name).name)[:100]}"
    with open(stored, "wb") as handle:
        for chunk in upload.chunks():
            handle.write(chunk)
    record = _new_record(actor=actor, partnership=partnership, kind=kind,
                         file_name=Path(upload.name).name, check_only=check_only,
                         status=ImportStatus.QUEUED, upload_path=str(stored),
                         size_bytes=upload.size, local_authority=local_authority,
                         **_extract_fields(kind, period, agency))
    transaction.on_commit(lambda: run_import.enqueue(record.pk))
    return record


def import_run_queued(*, dataset_import_id: int) -> DatasetImport | None:
    """Run a queued import (the background task); the uploaded file is removed after."""
    record = DatasetImport.objects.filter(pk=dataset_import_id).first()
    if record is None or record.status != ImportStatus.QUEUED:
        return record
    path = Path(record.upload_path)
    try:
        return import_run(dataset_import=record, path=path)
    finally:
        if record.upload_path:
            path.unlink(missing_ok=True)
            DatasetImport.objects.filter(pk=record.pk).update(upload_path="")


def imports_interrupted_mark(*, now: dt.datetime | None = None) -> int:
    """Mark imports left "running" for longer than STUCK_AFTER as stopped by a fault.

    A process killed mid-import (power cut, out of memory, ``kill -9``) never writes
    its record's ending; its load transaction was never committed, so nothing of the
    file is in the database. Returns how many records were marked. An import that
    was in fact still running overwrites the mark with its own ending when it ends.
    """
    now = now or timezone.now()
    return DatasetImport.objects.filter(
        status=ImportStatus.RUNNING, started_at__lt=now - STUCK_AFTER).update(
        status=ImportStatus.CRASHED, finished_at=now, summary=INTERRUPTED)


def import_run(*, dataset_import: DatasetImport, path: Path | list[Path],
               file_names: list[str] | None = None,
               sink: Callable[[Problem], None] | None = None) -> DatasetImport:
    """Check and load the file(s) of a recorded import; every ending is written on the record."""
    paths = path if isinstance(path, list) else [path]
    names = file_names or ([dataset_import.file_name] if len(paths) == 1 else
                           [p.name for p in paths])
    imports_interrupted_mark()
    record = dataset_import
    record.status, record.started_at = ImportStatus.RUNNING, timezone.now()
    record.save(update_fields=["status", "started_at"])
    started = time.perf_counter()
    log = ProblemLog(record.file_name, max_errors=max_errors(), sink=sink)
    try:
        outcome = _load(record, paths, names, log)
    except Exception:
        logger.exception("Import %s stopped by a fault", record.pk)
        outcome = Outcome(status=ImportStatus.CRASHED,
                          summary="The import stopped because of a fault in the service, and "
                                  "nothing was loaded. The fault has been logged for the "
                                  "administrators.")
    record.status = outcome.status
    record.summary = _text(outcome.summary)[:500]
    record.counts = outcome.counts
    record.local_authority = outcome.local_authority or record.local_authority
    record.period = outcome.period or record.period
    record.table_id = outcome.table_id or record.table_id
    record.replaced = outcome.replaced
    record.error_count, record.query_count = log.errors, log.queries
    record.finished_at = timezone.now()
    record.duration_ms = int((time.perf_counter() - started) * 1000)
    with transaction.atomic():
        record.save()
        DatasetProblem.objects.filter(dataset_import=record).delete()
        DatasetProblem.objects.bulk_create([
            DatasetProblem(dataset_import=record, position=n, file_name=_text(p.file)[:255],
                           row=p.row, child=_text(p.child)[:100], field=_text(p.field)[:100],
                           rule=p.rule[:40], message=_text(p.message),
                           severity=ProblemSeverity.ERROR if p.is_error else ProblemSeverity.QUERY)
            for n, p in enumerate(log.kept, start=1)
        ], batch_size=1000)
    if record.status == ImportStatus.LOADED:
        _announce_loaded(record)
    return record


def _text(value: str) -> str:
    """A problem quotes what it found: a NUL character in it shows as \\x00
    (PostgreSQL stores no NUL)."""
    return value.replace("\x00", "\\x00")


def partnerships_fed_by(record: DatasetImport) -> list[Partnership]:
    """The partnerships whose figures an import can change: its own and those covering its
    LA; DfE's tables feed every partnership's benchmarks."""
    if record.kind == ImportKind.DFE_BENCHMARKS:
        return list(Partnership.objects.order_by("pk"))
    found = Partnership.objects.filter(pk=record.partnership_id)
    if record.local_authority_id:
        found = found | Partnership.objects.filter(local_authorities=record.local_authority_id)
    return list(found.distinct().order_by("pk"))


def _announce_loaded(record: DatasetImport) -> None:
    # The load is committed: a listener's fault must not turn it into a failure.
    from safeguarding.core.signals import data_loaded

    for receiver, outcome in data_loaded.send_robust(
            sender=DatasetImport, partnerships=partnerships_fed_by(record),
            reason=f"Import {record.pk} loaded ({record.file_name})",
            dataset_import_id=record.pk):
        if isinstance(outcome, Exception):
            logger.error("Import %s: %r failed after the load: %r", record.pk, receiver, outcome)


def _load(record: DatasetImport, paths: list[Path], names: list[str],
          log: ProblemLog) -> Outcome:
    from safeguarding.datasets.validation.cin_census import common_message

    for path, name in zip(paths, names, strict=True):
        if not path.is_file():
            log.add("SCP-FILE-MISSING", common_message("SCP-FILE-MISSING", name=name), file=name)
            return Outcome(status=ImportStatus.FAILED, summary="The file could not be found. "
                                                               "Nothing was loaded.")
    size = sum(os.path.getsize(path) for path in paths)
    record.size_bytes = size
    if size > max_file_bytes():
        log.add("SCP-FILE-SIZE", common_message("SCP-FILE-SIZE", size=human_size(size),
                                                limit=human_size(max_file_bytes())))
        return Outcome(status=ImportStatus.REFUSED,
                       summary=f"Refused: the file is larger than {human_size(max_file_bytes())}."
                               " Nothing was loaded.")
    loader = loader_for(record.kind)
    # A loader may say what makes a return the same (903: its tables, however packed).
    content_digest = getattr(loader, "digest", None)
    record.sha256 = (content_digest(record, paths, names) if content_digest else None) or (
        _sha256(paths[0]) if len(paths) == 1 else _sha256_all(paths))
    record.save(update_fields=["size_bytes", "sha256"])
    previous = loader.already_loaded(record.partnership, record.sha256)
    if previous is not None and not record.check_only:
        return Outcome(status=ImportStatus.UNCHANGED, counts=dict(previous.counts),
                       local_authority=previous.local_authority, period=previous.period,
                       table_id=previous.table_id,
                       summary=f"This file is already loaded (import {previous.pk}, "
                               f"{timezone.localtime(previous.created_at):%d %B %Y %H:%M}). "
                               "Nothing changed.")
    context = LoadContext(dataset_import=record, partnership=record.partnership, path=paths[0],
                          file_name=names[0], check_only=record.check_only, log=log,
                          actor=record.actor, paths=paths, file_names=names)
    try:
        with transaction.atomic():
            outcome = loader.run(context)
            if record.check_only:
                transaction.set_rollback(True)
            elif outcome.status == ImportStatus.LOADED:
                # Committed with the data: a process killed after the commit and before
                # the record's final save below leaves a record that says "loaded".
                DatasetImport.objects.filter(pk=record.pk).update(
                    status=ImportStatus.LOADED, summary=outcome.summary[:500],
                    counts=outcome.counts)
                audit_append(actor=record.actor, action=AuditEvent.Action.CREATE,
                             object_type="datasets.datasetimport", object_id=str(record.pk),
                             purpose=f"load {record.get_kind_display()}",
                             detail={"file": record.file_name, "sha256": record.sha256,
                                     "index": outcome.counts.get("index", {})})
    except Stop as stop:
        return stop.outcome
    if previous is not None:
        outcome.summary += f" The same file is already loaded (import {previous.pk})."
    return outcome
