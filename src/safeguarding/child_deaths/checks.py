"""Shared by the child death services: permission and validation helpers, the audit row."""

from __future__ import annotations

import datetime as dt

from django.core.exceptions import PermissionDenied, ValidationError
from django.utils import timezone

from safeguarding.child_deaths.models import ChildDeath
from safeguarding.child_deaths.rules import hosting_partnership_id
from safeguarding.core.audit import audit_append
from safeguarding.core.models import Agency, User

AGENCY_RETURN_RULE = "child_death_agency_return"
CASE_TYPE = "child_deaths.childdeath"


def today_or(today: dt.date | None) -> dt.date:
    return today or timezone.localdate()


def require_case(actor: User, case: ChildDeath) -> None:
    if not actor.has_perm("child_deaths.change_case", case):
        raise PermissionDenied


def audit_case(actor, action, case: ChildDeath, purpose: str, detail: dict | None = None) -> None:
    audit_append(
        actor=actor,
        action=action,
        object_type=CASE_TYPE,
        object_id=str(case.pk),
        purpose=purpose,
        detail=detail,
    )


def agencies_for(partnership_id: int):
    """Agencies of the case's partnership and of the partnership hosting its panel."""
    ids = {partnership_id, hosting_partnership_id(partnership_id)}
    return Agency.objects.filter(partnerships__in=ids).distinct().order_by("name")


class Errors:
    def __init__(self):
        self.errors: dict[str, list[str]] = {}

    def add(self, field: str, message: str) -> None:
        self.errors.setdefault(field, []).append(message)

    def raise_if_any(self) -> None:
        if self.errors:
            raise ValidationError(self.errors)


def not_future(
    errors: Errors, field: str, value: dt.date | None, what: str, today: dt.date
) -> None:
    if value is not None and value > today:
        errors.add(field, f"{what} must be today or in the past")
