"""The one door for identifiable child data.

Every read of an identifiable record (page, list, API, export) passes through
``read_one`` or ``read_many``: they check the ``rules`` permission for each
record and append an audit row for it. Selectors that return identifiable
records call these and nothing else returns such records.
"""

from __future__ import annotations

from collections.abc import Iterable
from typing import TypeVar

from django.core.exceptions import PermissionDenied
from django.db import models

from safeguarding.core.audit import AuditEntry, audit_append, audit_append_many
from safeguarding.core.models import AuditEvent, User

RecordT = TypeVar("RecordT", bound=models.Model)


def _label(obj: models.Model) -> str:
    return obj._meta.label_lower


def read_one(*, actor: User, obj: RecordT, permission: str, purpose: str,
             action: str = AuditEvent.Action.READ) -> RecordT:
    """Return ``obj`` if ``actor`` holds ``permission`` on it, auditing the read or refusal."""
    if not actor.has_perm(permission, obj):
        audit_append(actor=actor, action=AuditEvent.Action.DENIED, object_type=_label(obj),
                     object_id=str(obj.pk), purpose=purpose)
        raise PermissionDenied
    audit_append(actor=actor, action=action, object_type=_label(obj), object_id=str(obj.pk),
                 purpose=purpose)
    return obj


def read_many(*, actor: User, objects: Iterable[RecordT], permission: str, purpose: str,
              action: str = AuditEvent.Action.READ) -> list[RecordT]:
    """Return the records ``actor`` may see, auditing each one returned.

    Records the actor may not see are dropped, not refused: callers narrow the
    query with the same rule first, so a drop here means the two disagree.
    """
    allowed = [obj for obj in objects if actor.has_perm(permission, obj)]
    audit_append_many(
        actor=actor,
        entries=[AuditEntry(action, _label(obj), str(obj.pk), purpose) for obj in allowed],
    )
    return allowed
