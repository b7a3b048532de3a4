"""The append-only, hash-chained audit log: the only code that writes AuditEvent."""

from __future__ import annotations

import hashlib
import json
from collections.abc import Iterable
from dataclasses import dataclass

from django.db import connection, transaction
from django.utils import timezone

from safeguarding.core.bulk import insert_rows, statement, update_rows
from safeguarding.core.models import AuditChainHead, AuditEvent, User
from safeguarding.core.request_context import current_request_id

GENESIS_HASH = "0" * 64


def _row_hash(event: AuditEvent) -> str:
    fields = [
        str(event.sequence),
        event.occurred_at.isoformat(),
        str(event.actor_id or ""),
        event.actor_label,
        event.action,
        event.object_type,
        event.object_id,
        event.purpose,
        event.request_id,
        event.detail,
        event.previous_hash,
    ]
    return hashlib.sha256("\x1f".join(fields).encode()).hexdigest()


@dataclass(frozen=True)
class AuditEntry:
    action: str
    object_type: str
    object_id: str
    purpose: str
    detail: dict | None = None


# The columns an event is written with, in the order of the rows built below.
_COLUMNS = ("sequence", "occurred_at", "actor", "actor_label", "action", "object_type",
            "object_id", "purpose", "request_id", "detail", "previous_hash", "row_hash")


def audit_append_many(*, actor: User | None, entries: Iterable[AuditEntry]) -> int:
    """Append entries in order, chaining each to the last; one lock for the batch.

    Returns how many were written. An import's linkage writes thousands at once, so the
    rows are inserted as values (``core.bulk.insert_rows``), not built as model instances.
    """
    entries = list(entries)
    if not entries:
        return 0
    with transaction.atomic():
        last_sequence, last_hash = _head_locked()
        now = timezone.now()
        occurred = connection.ops.adapt_datetimefield_value(now)
        request_id = current_request_id.get()
        label = actor.username if actor is not None else "system"
        actor_id = actor.pk if actor is not None else None
        rows = []
        previous = last_hash
        sequence = last_sequence
        for entry in entries:
            sequence += 1
            event = AuditEvent(
                sequence=sequence, occurred_at=now, actor_id=actor_id, actor_label=label,
                action=entry.action, object_type=entry.object_type,
                object_id=str(entry.object_id), purpose=entry.purpose, request_id=request_id,
                detail=json.dumps(entry.detail, sort_keys=True) if entry.detail else "",
                previous_hash=previous)
            previous = _row_hash(event)
            rows.append((sequence, occurred, actor_id, label, event.action, event.object_type,
                         event.object_id, event.purpose, request_id, event.detail,
                         event.previous_hash, previous))
        insert_rows(AuditEvent, _COLUMNS, rows)
        update_rows(AuditChainHead, ("last_sequence", "last_hash"), [(_HEAD, sequence, previous)])
    return len(rows)


_HEAD = 1  # the chain head's one row


def _head_locked() -> tuple[int, str]:
    """The chain head's last sequence and hash, its row locked until the transaction ends
    (FOR UPDATE where the database has it; SQLite writes one transaction at a time)."""
    sql = statement("audit-head", lambda: AuditChainHead.objects.select_for_update()
                    .filter(pk=_HEAD).values_list("last_sequence", "last_hash"), (_HEAD,))
    with connection.cursor() as cursor:
        cursor.execute(sql, [_HEAD])
        row = cursor.fetchone()
    if row is None:  # the first append of a new database
        AuditChainHead.objects.get_or_create(pk=_HEAD)
        with connection.cursor() as cursor:
            cursor.execute(sql, [_HEAD])
            row = cursor.fetchone()
    return int(row[0]), row[1]


def audit_append(*, actor: User | None, action: str, object_type: str, object_id: str,
                 purpose: str, detail: dict | None = None) -> None:
    entry = AuditEntry(action, object_type, str(object_id), purpose, detail)
    audit_append_many(actor=actor, entries=[entry])


@dataclass(frozen=True)
class ChainBreak:
    sequence: int
    reason: str


def audit_object(actor: User | None, action: str, obj, purpose: str,
                 detail: dict | None = None) -> None:
    """Append an audit row about one model record (its label and primary key)."""
    audit_append(actor=actor, action=action, object_type=obj._meta.label_lower,
                 object_id=str(obj.pk), purpose=purpose, detail=detail)


def audit_verify() -> tuple[int, ChainBreak | None]:
    """Walk the chain from the start; return rows checked and the first break, if any."""
    previous = GENESIS_HASH
    expected_sequence = 1
    checked = 0
    rows = AuditEvent.objects.order_by("sequence").iterator(chunk_size=2000)
    for event in rows:
        if event.sequence != expected_sequence:
            return checked, ChainBreak(
                expected_sequence, f"row {expected_sequence} is missing (next is {event.sequence})"
            )
        if event.previous_hash != previous:
            return checked, ChainBreak(event.sequence, "previous-row hash does not match")
        if _row_hash(event) != event.row_hash:
            return checked, ChainBreak(event.sequence, "row contents do not match its hash")
        previous = event.row_hash
        expected_sequence += 1
        checked += 1
    head = AuditChainHead.objects.filter(pk=1).first()
    if head is not None and head.last_sequence != checked:
        return checked, ChainBreak(
            checked + 1, f"chain head records {head.last_sequence} rows but {checked} remain"
        )
    return checked, None
