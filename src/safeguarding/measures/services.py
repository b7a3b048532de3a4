"""Writes for the performance framework: targets and statistical neighbours."""

from __future__ import annotations

from decimal import Decimal

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction

from safeguarding.core.audit import audit_append
from safeguarding.core.models import AuditEvent, Partnership, User
from safeguarding.measures.catalogue import catalogue
from safeguarding.measures.models import StatisticalNeighbour, Target


@transaction.atomic
def target_set(*, actor: User, partnership: Partnership, indicator_id: str, target: Decimal,
               amber_tolerance: Decimal, note: str = "") -> Target:
    if not actor.has_perm("measures.set_target", partnership):
        raise PermissionDenied
    indicator = catalogue().get(indicator_id)
    if indicator is None:
        raise ValidationError({"indicator_id": ["No such measure in the catalogue"]})
    if indicator.polarity == "neutral":
        raise ValidationError({"target": [f"{indicator.title} has no better direction, so no target"]})
    if indicator.unit == "percent" and not (0 <= target <= 100):
        raise ValidationError({"target": ["A percentage target must be between 0 and 100"]})
    if amber_tolerance < 0:
        raise ValidationError({"amber_tolerance": ["Tolerance must be zero or more"]})
    row = Target.objects.create(partnership=partnership, indicator_id=indicator_id, target=target,
                                amber_tolerance=amber_tolerance, note=note, set_by=actor)
    audit_append(actor=actor, action=AuditEvent.Action.CREATE, object_type="measures.target",
                 object_id=str(row.pk), purpose="set a target",
                 detail={"indicator": indicator_id, "target": str(target)})
    return row


@transaction.atomic
def neighbour_add(*, actor: User | None, partnership: Partnership, old_la_code: str,
                  name: str) -> StatisticalNeighbour:
    if actor is not None and not actor.has_perm("measures.set_target", partnership):
        raise PermissionDenied
    neighbour = StatisticalNeighbour(partnership=partnership, old_la_code=old_la_code, name=name)
    neighbour.full_clean()
    neighbour.save()
    return neighbour


@transaction.atomic
def module_go_live_set(*, actor: User | None, partnership: Partnership, module: str,
                       live_from, note: str = ""):
    """Set the day the partnership went live with a module (the business unit, or the CLI)."""
    from safeguarding.measures.models import ModuleGoLive

    if actor is not None and not actor.has_perm("measures.set_target", partnership):
        raise PermissionDenied
    if module not in ModuleGoLive.Module.values:
        raise ValidationError({"module": [f"No module '{module}': use "
                                          f"{' or '.join(ModuleGoLive.Module.values)}"]})
    row, _ = ModuleGoLive.objects.update_or_create(
        partnership=partnership, module=module,
        defaults={"live_from": live_from, "note": note, "set_by": actor})
    audit_append(actor=actor, action=AuditEvent.Action.UPDATE, object_type="measures.modulegolive",
                 object_id=str(row.pk), purpose="set a module's go-live date",
                 detail={"module": module, "live_from": live_from.isoformat()})
    return row
