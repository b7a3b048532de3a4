"""Writes for GCP2: champions, licences (issue, renew, withdraw) and agencies' assessment
summaries. Every write checks the actor's permission (``actor=None`` is the command line
and the demo) and appends an audit row."""

from __future__ import annotations

import datetime as dt

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.utils import timezone

from safeguarding.core.audit import audit_object
from safeguarding.core.models import Agency, AuditEvent, Partnership, User
from safeguarding.core.rules import partnership_require
from safeguarding.measures.periods import PeriodError, parse
from safeguarding.neglect import config
from safeguarding.neglect.models import AssessmentSummary, Champion, Licence
from safeguarding.neglect.rules import managed, may_record_for


def _agency_of(partnership: Partnership, agency: Agency) -> None:
    if not agency.partnerships.filter(pk=partnership.pk).exists():
        raise ValidationError({"agency": ["The agency is not one of the partnership's"]})


@transaction.atomic
def champion_add(*, actor: User | None, partnership: Partnership, name: str, agency: Agency,
                 trained_on: dt.date, email: str = "", job_title: str = "") -> Champion:
    partnership_require(actor, partnership.pk, managed)
    if not name.strip():
        raise ValidationError({"name": ["Enter the champion's name"]})
    _agency_of(partnership, agency)
    champion = Champion.objects.create(partnership=partnership, name=name.strip(),
                                       email=email.strip(), agency=agency,
                                       job_title=job_title.strip(), trained_on=trained_on)
    audit_object(actor, AuditEvent.Action.CREATE, champion, "add GCP2 champion")
    return champion


@transaction.atomic
def champion_step_down(*, actor: User | None, champion: Champion, on: dt.date) -> Champion:
    partnership_require(actor, champion.partnership.pk, managed)
    if champion.stepped_down_on is not None:
        raise ValidationError({"on": ["The champion has already stepped down"]})
    if on < champion.trained_on:
        raise ValidationError({"on": ["A champion cannot step down before being trained"]})
    champion.stepped_down_on = on
    champion.save(update_fields=["stepped_down_on"])
    audit_object(actor, AuditEvent.Action.UPDATE, champion, "GCP2 champion stepped down")
    return champion


@transaction.atomic
def licence_issue(*, actor: User | None, partnership: Partnership, practitioner: str,
                  agency: Agency, issued_on: dt.date, email: str = "",
                  expires_on: dt.date | None = None, renews: Licence | None = None) -> Licence:
    """Issue a licence; it expires after the configured term unless a date is given."""
    partnership_require(actor, partnership.pk, managed)
    if not practitioner.strip():
        raise ValidationError({"practitioner": ["Enter the practitioner's name"]})
    _agency_of(partnership, agency)
    expires_on = expires_on or config.licence_expiry(issued_on)
    if expires_on <= issued_on:
        raise ValidationError({"expires_on": ["The expiry date must be after the issue date"]})
    licence = Licence.objects.create(partnership=partnership, practitioner=practitioner.strip(),
                                     email=email.strip(), agency=agency, issued_on=issued_on,
                                     expires_on=expires_on, renews=renews)
    audit_object(actor, AuditEvent.Action.CREATE, licence,
                 "renew GCP2 licence" if renews else "issue GCP2 licence",
                 {"expires_on": expires_on.isoformat()})
    return licence


@transaction.atomic
def licence_renew(*, actor: User | None, licence: Licence, issued_on: dt.date) -> Licence:
    """A new licence for the same practitioner, from ``issued_on`` for the configured term."""
    partnership_require(actor, licence.partnership.pk, managed)
    if Licence.objects.filter(renews=licence).exists():
        raise ValidationError({"issued_on": ["This licence has already been renewed"]})
    if licence.withdrawn_on is not None:
        raise ValidationError({"issued_on": ["A withdrawn licence is not renewed: issue a "
                                             "new one"]})
    if issued_on < licence.issued_on:
        raise ValidationError({"issued_on": ["A renewal cannot be issued before the licence"]})
    return licence_issue(actor=actor, partnership=licence.partnership,
                         practitioner=licence.practitioner, agency=licence.agency,
                         email=licence.email, issued_on=issued_on, renews=licence)


@transaction.atomic
def licence_withdraw(*, actor: User | None, licence: Licence, on: dt.date,
                     reason: str) -> Licence:
    partnership_require(actor, licence.partnership.pk, managed)
    if licence.withdrawn_on is not None:
        raise ValidationError({"on": ["The licence is already withdrawn"]})
    if not reason.strip():
        raise ValidationError({"reason": ["Enter why the licence is withdrawn"]})
    if on < licence.issued_on:
        raise ValidationError({"on": ["A licence cannot be withdrawn before it was issued"]})
    licence.withdrawn_on = on
    licence.save(update_fields=["withdrawn_on"])
    audit_object(actor, AuditEvent.Action.UPDATE, licence, "withdraw GCP2 licence",
                 {"reason": reason.strip()})
    return licence


def quarter(label: str):
    """The quarter a summary is for (``2020-Q3``), or a ValidationError."""
    try:
        found = parse(label)
    except PeriodError:
        found = None
    if found is None or found.kind != "quarter":
        raise ValidationError({"period": ["Enter a quarter, such as 2020-Q3"]})
    return found


@transaction.atomic
def summary_record(*, actor: User | None, partnership: Partnership, agency: Agency,
                   period: str, completed: int, children: int, grades: list[int],
                   reviewed: int = 0, improved: int = 0,
                   outcomes: dict[str, int] | None = None,
                   today: dt.date | None = None) -> AssessmentSummary:
    """Record (or correct) an agency's summary of the GCP2 assessments it completed in a
    quarter: counts and overall grades only, never the tool's text or a child."""
    if actor is not None and not may_record_for(actor, partnership.pk, agency.pk):
        raise PermissionDenied
    _agency_of(partnership, agency)
    found = quarter(period)
    today = today or timezone.localdate()
    outcomes = {k: int(v) for k, v in (outcomes or {}).items() if int(v)}
    errors: dict[str, list[str]] = {}
    if found.start > today:
        errors["period"] = ["The quarter has not started yet"]
    numbers = {"completed": completed, "children": children, "reviewed": reviewed,
               "improved": improved, **{f"grade_{n}": g for n, g in enumerate(grades, 1)}}
    for name, value in numbers.items():
        if value < 0:
            errors[name] = ["Enter 0 or more"]
    if len(grades) != 5:
        errors["grade_1"] = ["Give a count for each overall grade, 1 to 5"]
    elif sum(grades) > completed:
        errors["grade_1"] = [f"The grades add up to {sum(grades)}, more than the "
                             f"{completed} assessments completed"]
    if completed and children < 1:
        errors["children"] = ["Enter how many children the assessments covered"]
    if improved > reviewed:
        errors["improved"] = ["No more assessments can improve than were reviewed"]
    codes = dict(config.outcomes())
    if unknown := sorted(set(outcomes) - set(codes)):
        errors["outcomes"] = [f"Unknown outcome {unknown[0]}"]
    elif sum(outcomes.values()) > completed:
        errors["outcomes"] = [f"The outcomes add up to {sum(outcomes.values())}, more than "
                              f"the {completed} assessments completed"]
    if errors:
        raise ValidationError(errors)
    summary, created = AssessmentSummary.objects.update_or_create(
        partnership=partnership, agency=agency, period=found.label,
        defaults={"period_start": found.start, "period_end": found.end,
                  "completed": completed, "children": children, "reviewed": reviewed,
                  "improved": improved, "outcomes": outcomes, "recorded_by": actor,
                  **{f"grade_{n}": g for n, g in enumerate(grades, 1)}})
    audit_object(actor, AuditEvent.Action.CREATE if created else AuditEvent.Action.UPDATE, summary,
                 "record GCP2 assessment summary", {"period": found.label, "completed": completed})
    return summary
