"""Writes for the performance framework: targets and statistical neighbours."""

from __future__ import annotations

from decimal import Decimal

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction

from safeguarding.core.audit import audit_append
from safeguarding.core.models import AuditEvent, LocalAuthority, Partnership, User
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


def _neighbour_la(partnership: Partnership, la: str | None) -> LocalAuthority:
    las = list(partnership.local_authorities.all())
    if la is None and len(las) == 1:
        return las[0]
    found = next((x for x in las if x.old_code == la), None)
    if found is None:
        raise ValidationError({"la": [
            f"Name which of {partnership.code}'s LAs the neighbours are for: "
            f"{', '.join(x.old_code for x in las) or 'it has none'}"
            + (f" ({la} is not one of them)" if la else "")]})
    return found


@transaction.atomic
def neighbour_add(*, actor: User | None, partnership: Partnership, old_la_code: str,
                  name: str = "", la: str | None = None,
                  source: str = "Entered by hand") -> StatisticalNeighbour:
    """Add one neighbour to an LA's list (the partnership's only LA unless ``la`` names one)."""
    if actor is not None and not actor.has_perm("measures.set_target", partnership):
        raise PermissionDenied
    own = _neighbour_la(partnership, la)
    rank = StatisticalNeighbour.objects.filter(local_authority=own).count() + 1
    neighbour = StatisticalNeighbour(partnership=partnership, local_authority=own,
                                     old_la_code=old_la_code, name=name, rank=rank,
                                     source=source, set_by=actor)
    neighbour.full_clean()
    neighbour.save()
    return neighbour


@transaction.atomic
def neighbours_set(*, actor: User | None, partnership: Partnership, la: str | None,
                   neighbours: list[tuple[str, str]], source: str) -> list[StatisticalNeighbour]:
    """Replace an LA's statistical neighbours (closest first) with where the list came from.

    An empty list clears it: the LA's comparisons then say the list is not available.
    """
    if actor is not None and not actor.has_perm("measures.set_target", partnership):
        raise PermissionDenied
    own = _neighbour_la(partnership, la)
    source = source.strip()
    if neighbours and not source:
        raise ValidationError({"source": ["Say where the neighbour list comes from, such as "
                                          "DfE's children's services statistical neighbour "
                                          "benchmarking tool and its release"]})
    codes = [code for code, _ in neighbours]
    if dupes := sorted({c for c in codes if codes.count(c) > 1}):
        raise ValidationError({"neighbours": [f"LA {', '.join(dupes)} is listed twice"]})
    if own.old_code in codes:
        raise ValidationError({"neighbours": [f"LA {own.old_code} cannot be its own neighbour"]})
    StatisticalNeighbour.objects.filter(local_authority=own).delete()
    made = []
    for rank, (code, name) in enumerate(neighbours, start=1):
        row = StatisticalNeighbour(partnership=partnership, local_authority=own,
                                   old_la_code=code, name=name, rank=rank, source=source,
                                   set_by=actor)
        try:
            row.full_clean(exclude=["local_authority", "partnership", "set_by"])
        except ValidationError as error:
            raise ValidationError({"neighbours": [f"Neighbour {rank} ({code}): {m}" for m in
                                                  error.messages]}) from None
        row.save()
        made.append(row)
    audit_append(actor=actor, action=AuditEvent.Action.UPDATE,
                 object_type="measures.statisticalneighbour", object_id=own.old_code,
                 purpose="set statistical neighbours",
                 detail={"la": own.old_code, "neighbours": codes, "source": source})
    return made


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
