"""Writes to the child index, each in one transaction and each audited."""

from __future__ import annotations

import datetime as dt

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction

from safeguarding.children import identifiers
from safeguarding.children.models import Child, Involvement
from safeguarding.core.audit import audit_append
from safeguarding.core.models import Agency, AuditEvent, LocalAuthority, Partnership, User

_EDITABLE = (
    "local_authority", "nhs_number", "upn", "la_child_id", "police_reference", "first_name",
    "last_name", "date_of_birth", "sex", "ethnicity", "postcode",
)


def _stable_identity(child: Child) -> str:
    if child.nhs_number:
        return f"nhs:{child.nhs_number}"
    if child.la_child_id and child.local_authority is not None:
        return f"la:{child.local_authority.old_code}:{child.la_child_id}"
    return f"record:{child.partnership.code}:{child.first_name}:{child.last_name}:{child.date_of_birth}"


def _clean_identifiers(data: dict) -> dict:
    cleaned = dict(data)
    errors: dict[str, list] = {}
    checks = {
        "nhs_number": identifiers.validate_nhs_number,
        "upn": identifiers.validate_upn,
        "la_child_id": identifiers.validate_la_child_id,
        "police_reference": identifiers.validate_police_reference,
    }
    for field, check in checks.items():
        value = (cleaned.get(field) or "").strip()
        if value:
            try:
                cleaned[field] = check(value)
            except ValidationError as error:
                errors[field] = error.messages
        else:
            cleaned[field] = ""
    if cleaned.get("postcode"):
        cleaned["postcode"] = cleaned["postcode"].strip().upper()
    dob = cleaned.get("date_of_birth")
    if isinstance(dob, dt.date) and dob > dt.date.today():
        errors["date_of_birth"] = ["Date of birth must be today or in the past"]
    if errors:
        raise ValidationError(errors)
    return cleaned


@transaction.atomic
def child_create(*, actor: User, partnership: Partnership, agency: Agency | None = None,
                 involvement_reason: str = "", **data) -> Child:
    """Add a child; the actor's agency becomes involved so they can see what they added."""
    if not actor.has_perm("children.add_child"):
        raise PermissionDenied
    data = _clean_identifiers(data)
    child = Child(partnership=partnership, **{k: data.get(k, "") for k in _EDITABLE})
    la = data.get("local_authority")
    if la is not None and la.partnership_id != partnership.pk:
        raise ValidationError({"local_authority": ["That LA is not in this partnership"]})
    child.pseudonym = identifiers.pseudonymous_key(_stable_identity(child))
    child.full_clean()
    child.save()
    if agency is not None:
        Involvement.objects.create(
            child=child, agency=agency, reason=involvement_reason or "Added the record",
            started_on=dt.date.today(),
        )
    audit_append(actor=actor, action=AuditEvent.Action.CREATE, object_type="children.child",
                 object_id=str(child.pk), purpose="add child")
    return child


@transaction.atomic
def child_update(*, actor: User, child: Child, **data) -> Child:
    if not actor.has_perm("children.change_child", child):
        raise PermissionDenied
    data = _clean_identifiers(data)
    changed = []
    for field in _EDITABLE:
        if field in data and getattr(child, field) != data[field]:
            setattr(child, field, data[field])
            changed.append(field)
    child.full_clean()
    child.save()
    audit_append(actor=actor, action=AuditEvent.Action.UPDATE, object_type="children.child",
                 object_id=str(child.pk), purpose="edit child", detail={"changed": changed})
    return child


@transaction.atomic
def involvement_add(*, actor: User, child: Child, agency: Agency, reason: str,
                    started_on: dt.date) -> Involvement:
    if not actor.has_perm("children.change_child", child):
        raise PermissionDenied
    if not agency.partnerships.filter(pk=child.partnership_id).exists():
        raise ValidationError({"agency": ["That agency is not part of the child's partnership"]})
    involvement = Involvement(child=child, agency=agency, reason=reason, started_on=started_on)
    involvement.full_clean()
    involvement.save()
    audit_append(actor=actor, action=AuditEvent.Action.UPDATE, object_type="children.child",
                 object_id=str(child.pk), purpose="add agency involvement",
                 detail={"agency": agency.pk})
    return involvement


def local_authority_for(partnership: Partnership, old_code: str) -> LocalAuthority | None:
    return partnership.local_authorities.filter(old_code=old_code).first()
