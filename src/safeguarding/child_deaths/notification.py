"""Notifying a child's death: who is covered, derived ages, Joint Agency Response
triggers, and linking to the child index (adding the child if not found)."""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterable
from typing import TYPE_CHECKING

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction

from safeguarding.child_deaths import ages, code_lists
from safeguarding.child_deaths.checks import (
    Errors,
    agencies_for,
    audit_case,
    not_future,
    today_or,
)
from safeguarding.child_deaths.models import ChildDeath
from safeguarding.child_deaths.rules import case_partnerships
from safeguarding.children import identifiers
from safeguarding.children import selectors as child_selectors
from safeguarding.children import services as child_services
from safeguarding.core.models import Agency, AuditEvent, Partnership, User

if TYPE_CHECKING:
    from safeguarding.children.models import Child


def _check_notification(
    *,
    partnership,
    birth_status,
    date_of_birth,
    date_of_death,
    place_of_death,
    expected,
    triggers,
    notified_on,
    notifying_agency,
    today,
) -> list[str]:
    errors = Errors()
    if not code_lists.birth_status_accepted(birth_status):
        # Refuse stillbirths and terminations first and alone: nothing else matters.
        raise ValidationError({"birth_status": [code_lists.EXCLUDED_MESSAGE]})
    not_future(errors, "date_of_birth", date_of_birth, "Date of birth", today)
    not_future(errors, "date_of_death", date_of_death, "Date of death", today)
    not_future(errors, "notified_on", notified_on, "Date notified", today)
    if date_of_birth and date_of_death:
        if date_of_death < date_of_birth:
            errors.add("date_of_death", "Date of death must be on or after the date of birth")
        elif not ages.died_before_eighteenth_birthday(date_of_birth, date_of_death):
            errors.add(
                "date_of_death",
                "Date of death must be before the child's 18th "
                "birthday: child death reviews cover children up to their 18th birthday",
            )
    if date_of_death and notified_on and notified_on < date_of_death:
        errors.add("notified_on", "Date notified must be on or after the date of death")
    if place_of_death not in dict(code_lists.choices("place_of_death")):
        errors.add("place_of_death", "Choose where the child died")
    if expected not in dict(code_lists.choices("expected")):
        errors.add("expected", "Choose whether the death was expected or unexpected")
    known = [t.code for t in code_lists.jar_triggers()]
    if set(triggers) - set(known):
        errors.add("jar_triggers", "Choose triggers from the list")
    triggers = [t for t in known if t in set(triggers)]  # in the data file's order
    if birth_status == "suspected_stillbirth_unattended":
        if code_lists.UNATTENDED_STILLBIRTH not in triggers:
            triggers.append(code_lists.UNATTENDED_STILLBIRTH)
    elif code_lists.UNATTENDED_STILLBIRTH in triggers:
        errors.add(
            "jar_triggers",
            "Choose the unattended stillbirth trigger only when it is not "
            "known whether the baby was born alive",
        )
    if triggers and expected == "expected":
        errors.add(
            "expected",
            "A death with a Joint Agency Response trigger is unexpected: "
            "choose Unexpected, or untick the triggers",
        )
    if (
        notifying_agency is not None
        and not agencies_for(partnership.pk).filter(pk=notifying_agency.pk).exists()
    ):
        errors.add(
            "notifying_agency",
            "Choose an agency of the child's partnership or of the panel's host partnership",
        )
    errors.raise_if_any()
    return triggers


def _find_child(
    *, actor, partnership, nhs_number, first_name, last_name, date_of_birth
) -> Child | None:
    """An existing child in the index, read through the audited door, or None."""
    match = child_selectors.child_match(
        actor=actor,
        partnership=partnership,
        nhs_number=nhs_number,
        first_name=first_name,
        last_name=last_name,
        date_of_birth=date_of_birth,
        permission="child_deaths.link_child",
        purpose="link child death notification to the child index",
    )
    if match is None:
        return None
    if match.date_of_birth != date_of_birth:
        raise ValidationError(
            {
                "date_of_birth": [
                    "The child with this NHS number has a different date of birth in the child index: "
                    "check the NHS number and the date of birth"
                ]
            }
        )
    if ChildDeath.objects.filter(child=match).exists():
        existing = ChildDeath.objects.select_related("partnership").get(child=match)
        raise ValidationError(
            {
                "nhs_number": [
                    f"A death has already been notified for this child ({existing.reference})"
                ]
            }
        )
    return match


@transaction.atomic
def child_death_notify(
    *,
    actor: User,
    partnership: Partnership,
    birth_status: str,
    first_name: str,
    last_name: str,
    date_of_birth: dt.date,
    sex: str,
    ethnicity: str,
    date_of_death: dt.date,
    place_of_death: str,
    expected: str,
    notified_on: dt.date,
    notifier_name: str,
    notifier_role: str,
    notifying_agency: Agency,
    jar_triggers: Iterable[str] = (),
    nhs_number: str = "",
    postcode: str = "",
    place_detail: str = "",
    today: dt.date | None = None,
) -> ChildDeath:
    """Record a child's death; link to the child index, adding the child if not found."""
    if not actor.has_perm("child_deaths.notify") or partnership.pk not in case_partnerships(actor):
        raise PermissionDenied
    triggers = _check_notification(
        partnership=partnership,
        birth_status=birth_status,
        date_of_birth=date_of_birth,
        date_of_death=date_of_death,
        place_of_death=place_of_death,
        expected=expected,
        triggers=list(jar_triggers),
        notified_on=notified_on,
        notifying_agency=notifying_agency,
        today=today_or(today),
    )
    nhs_number = (nhs_number or "").strip()
    if nhs_number:
        try:
            nhs_number = identifiers.validate_nhs_number(nhs_number)
        except ValidationError as error:
            raise ValidationError({"nhs_number": error.messages}) from None
    child = _find_child(
        actor=actor,
        partnership=partnership,
        nhs_number=nhs_number,
        first_name=first_name,
        last_name=last_name,
        date_of_birth=date_of_birth,
    )
    if child is None:
        las = list(partnership.local_authorities.all()[:2])
        in_partnership = partnership.agencies.filter(pk=notifying_agency.pk).exists()
        child = child_services.child_create(
            actor=actor,
            partnership=partnership,
            agency=notifying_agency if in_partnership else None,
            involvement_reason="Notified the child's death",
            local_authority=las[0] if len(las) == 1 else None,
            first_name=first_name.strip(),
            last_name=last_name.strip(),
            date_of_birth=date_of_birth,
            sex=sex,
            ethnicity=ethnicity,
            nhs_number=nhs_number,
            postcode=postcode,
        )
    case = ChildDeath(
        partnership=partnership,
        child=child,
        birth_status=birth_status,
        date_of_death=date_of_death,
        place_of_death=place_of_death,
        place_detail=place_detail.strip(),
        expected=expected,
        jar_triggers=triggers,
        notified_on=notified_on,
        notifier_name=notifier_name.strip(),
        notifier_role=notifier_role.strip(),
        notifying_agency=notifying_agency,
        created_by=actor,
    )
    case.derive()
    case.full_clean(exclude=["child"])
    case.save()
    audit_case(
        actor,
        AuditEvent.Action.CREATE,
        case,
        "notify child death",
        {"child": child.pk, "jar_triggers": triggers},
    )
    return case
