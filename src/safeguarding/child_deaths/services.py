"""Writes for child death review: each checks permission, validates everything before
writing anything, runs in one transaction and appends an audit row.

Validation errors are keyed by the form field they concern, so pages can put each
message beside its field and in the GOV.UK error summary. Notifying a death lives in
notification.py and is re-exported here.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterable

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.utils.text import slugify

from safeguarding.child_deaths import code_lists
from safeguarding.child_deaths.checks import (
    AGENCY_RETURN_RULE,
    Errors,
    agencies_for,
    audit_case,
    not_future,
    require_case,
    today_or,
)
from safeguarding.child_deaths.models import (
    CdopReview,
    ChildDeath,
    InformationRequest,
    JointAgencyResponse,
    ReviewFactor,
    Theme,
)
from safeguarding.child_deaths.notification import child_death_notify
from safeguarding.child_deaths.rules import hosting_partnership_id
from safeguarding.core import deadlines
from safeguarding.core.audit import audit_append
from safeguarding.core.models import Agency, AuditEvent, User

__all__ = [
    "AGENCY_RETURN_RULE",
    "agencies_for",
    "cdop_review_record",
    "child_death_notify",
    "information_request_add",
    "information_response_record",
    "jar_record",
    "theme_add",
    "theme_set_active",
    "themes_seed",
]


# Joint Agency Response -------------------------------------------------------------------


@transaction.atomic
def jar_record(
    *,
    actor: User,
    case: ChildDeath,
    meeting_date: dt.date,
    agencies: Iterable[Agency],
    key_worker_name: str,
    key_worker_agency: Agency,
    key_worker_contact: str = "",
    notes: str = "",
    today: dt.date | None = None,
) -> JointAgencyResponse:
    """Record (or correct) the Joint Agency Response to an unexpected death."""
    require_case(actor, case)
    errors = Errors()
    if case.expected != "unexpected":
        errors.add(
            "__all__",
            "A Joint Agency Response is recorded only for an unexpected "
            "death. This death was notified as expected.",
        )
    not_future(errors, "meeting_date", meeting_date, "Meeting date", today_or(today))
    if meeting_date and meeting_date < case.date_of_death:
        errors.add("meeting_date", "Meeting date must be on or after the date of death")
    allowed = agencies_for(case.partnership_id)
    agencies = list(agencies)
    if not agencies:
        errors.add("agencies", "Choose the agencies that took part")
    if any(not allowed.filter(pk=a.pk).exists() for a in [*agencies, key_worker_agency]):
        errors.add("agencies", "Choose agencies of the child's partnership or the panel's host")
    if not key_worker_name.strip():
        errors.add("key_worker_name", "Enter the name of the family's key worker")
    errors.raise_if_any()
    response, created = JointAgencyResponse.objects.update_or_create(
        case=case,
        defaults={
            "meeting_date": meeting_date,
            "key_worker_name": key_worker_name.strip(),
            "key_worker_agency": key_worker_agency,
            "key_worker_contact": key_worker_contact.strip(),
            "notes": notes.strip(),
            "recorded_by": actor,
        },
    )
    response.agencies.set({*agencies, key_worker_agency})
    audit_case(
        actor,
        AuditEvent.Action.CREATE if created else AuditEvent.Action.UPDATE,
        case,
        "record joint agency response",
    )
    return response


# Information requests ----------------------------------------------------------------------


def _refresh_status(case: ChildDeath) -> None:
    if CdopReview.objects.filter(case=case).exists():
        status = ChildDeath.Status.REVIEWED
    else:
        requests = InformationRequest.objects.filter(case=case)
        if not requests.exists():
            status = ChildDeath.Status.NOTIFIED
        elif requests.filter(received_on__isnull=True).exists():
            status = ChildDeath.Status.GATHERING
        else:
            status = ChildDeath.Status.READY
    if case.status != status:
        case.status = status
        ChildDeath.objects.filter(pk=case.pk).update(status=status)


@transaction.atomic
def information_request_add(
    *,
    actor: User,
    case: ChildDeath,
    agency: Agency,
    requested_on: dt.date,
    form: str = "reporting",
    contact_name: str = "",
    contact_email: str = "",
    today: dt.date | None = None,
) -> InformationRequest:
    """Ask an agency for its reporting form; the due date comes from the deadline rule."""
    require_case(actor, case)
    errors = Errors()
    not_future(errors, "requested_on", requested_on, "Date requested", today_or(today))
    if requested_on and requested_on < case.date_of_death:
        errors.add("requested_on", "Date requested must be on or after the date of death")
    if form not in dict(code_lists.choices("reporting_forms")):
        errors.add("form", "Choose which form is requested")
    if agency is None or not agencies_for(case.partnership_id).filter(pk=agency.pk).exists():
        errors.add("agency", "Choose an agency of the child's partnership or the panel's host")
    elif InformationRequest.objects.filter(case=case, agency=agency, form=form).exists():
        errors.add("agency", f"{agency} has already been asked for this form")
    errors.raise_if_any()
    request = InformationRequest(
        case=case,
        agency=agency,
        form=form,
        contact_name=contact_name.strip(),
        contact_email=contact_email.strip(),
        requested_on=requested_on,
        due_on=deadlines.due_date(AGENCY_RETURN_RULE, requested_on),
        due_rule=AGENCY_RETURN_RULE,
        requested_by=actor,
    )
    request.full_clean()
    request.save()
    _refresh_status(case)
    audit_case(
        actor,
        AuditEvent.Action.UPDATE,
        case,
        "request agency information",
        {
            "request": request.pk,
            "agency": agency.pk,
            "due_on": request.due_on.isoformat(),
            "rule": AGENCY_RETURN_RULE,
        },
    )
    return request


@transaction.atomic
def information_response_record(
    *,
    actor: User,
    request: InformationRequest,
    received_on: dt.date,
    summary: str,
    today: dt.date | None = None,
) -> InformationRequest:
    """Record an agency's response: when it arrived and what it says, in brief."""
    case = request.case
    require_case(actor, case)
    errors = Errors()
    not_future(errors, "received_on", received_on, "Date received", today_or(today))
    if received_on and received_on < request.requested_on:
        errors.add(
            "received_on",
            "Date received must be on or after the date requested "
            f"({request.requested_on:%-d %B %Y})",
        )
    if not (summary or "").strip():
        errors.add("summary", "Enter a summary of the agency's response")
    errors.raise_if_any()
    correcting = request.received_on is not None
    request.received_on = received_on
    request.summary = summary.strip()
    request.response_recorded_by = actor
    request.save(update_fields=["received_on", "summary", "response_recorded_by"])
    _refresh_status(case)
    audit_case(
        actor,
        AuditEvent.Action.UPDATE,
        case,
        "correct agency response" if correcting else "record agency response",
        {"request": request.pk, "received_on": received_on.isoformat()},
    )
    return request


# Panel review ------------------------------------------------------------------------------


@transaction.atomic
def cdop_review_record(
    *,
    actor: User,
    case: ChildDeath,
    review_date: dt.date,
    category: int,
    modifiable: str,
    factors: dict[str, list[str]] | None = None,
    themes: Iterable[Theme] = (),
    learning_points: str = "",
    recommendations: str = "",
    today: dt.date | None = None,
) -> CdopReview:
    """Record (or correct) the panel's review: the analysis form."""
    require_case(actor, case)
    errors = Errors()
    not_future(errors, "review_date", review_date, "Review date", today_or(today))
    if review_date and review_date < case.notified_on:
        errors.add(
            "review_date",
            "Review date must be on or after the date the death was "
            f"notified ({case.notified_on:%-d %B %Y})",
        )
    try:
        category = int(category)
    except (TypeError, ValueError):
        category = 0
    if code_lists.category(category) is None:
        errors.add("category", "Choose the category of death")
    if modifiable not in CdopReview.Modifiable.values:
        errors.add("modifiable", "Choose whether modifiable factors were identified")
    domains = dict(code_lists.choices("factor_domains"))
    cleaned: list[tuple[str, str]] = []
    for domain, lines in (factors or {}).items():
        if domain not in domains:
            errors.add("__all__", f"Unknown factor domain '{domain}'")
            continue
        for line in lines:
            if line.strip():
                if len(line.strip()) > 500:
                    errors.add(f"factors_{domain}", "Keep each factor to 500 characters or fewer")
                cleaned.append((domain, line.strip()))
    if modifiable == CdopReview.Modifiable.YES and not cleaned:
        errors.add(
            "modifiable",
            "You said modifiable factors were identified: describe at "
            "least one factor in the domains below",
        )
    themes = list(themes)
    host = hosting_partnership_id(case.partnership_id)
    if any(not t.active or t.partnership_id not in (None, host) for t in themes):
        errors.add("themes", "Choose themes from the current list")
    errors.raise_if_any()
    review, created = CdopReview.objects.update_or_create(
        case=case,
        defaults={
            "review_date": review_date,
            "category": category,
            "modifiable": modifiable,
            "learning_points": learning_points.strip(),
            "recommendations": recommendations.strip(),
            "reviewed_by": actor,
        },
    )
    review.factors.all().delete()
    ReviewFactor.objects.bulk_create(
        [ReviewFactor(review=review, domain=d, description=text) for d, text in cleaned]
    )
    review.themes.set(themes)
    _refresh_status(case)
    audit_case(
        actor,
        AuditEvent.Action.CREATE if created else AuditEvent.Action.UPDATE,
        case,
        "record panel review" if created else "correct panel review",
        {"category": category, "modifiable": modifiable},
    )
    return review


# Themes ------------------------------------------------------------------------------------


@transaction.atomic
def theme_add(*, actor: User, name: str) -> Theme:
    """Add a theme to the panel the actor's partnership hosts; it belongs to that partnership."""
    from safeguarding.child_deaths.rules import theme_partnerships

    hosts = sorted(theme_partnerships(actor))
    if not hosts:
        raise PermissionDenied
    name = " ".join((name or "").split())
    if not name:
        raise ValidationError({"name": ["Enter the theme"]})
    if Theme.objects.filter(name__iexact=name).exists():
        raise ValidationError({"name": [f"'{name}' is already on the list"]})
    base = slugify(name)[:50] or "theme"
    key, n = base, 1
    while Theme.objects.filter(key=key).exists():
        n += 1
        key = f"{base}-{n}"
    theme = Theme.objects.create(key=key, name=name, partnership_id=hosts[0],
                                 source="Added by the business unit")
    audit_append(
        actor=actor,
        action=AuditEvent.Action.CREATE,
        object_type="child_deaths.theme",
        object_id=str(theme.pk),
        purpose="add review theme",
    )
    return theme


@transaction.atomic
def theme_set_active(*, actor: User, theme: Theme, active: bool) -> Theme:
    if not actor.has_perm("child_deaths.manage_theme", theme):
        raise PermissionDenied
    theme.active = active
    theme.save(update_fields=["active"])
    audit_append(
        actor=actor,
        action=AuditEvent.Action.UPDATE,
        object_type="child_deaths.theme",
        object_id=str(theme.pk),
        purpose="restore theme" if active else "retire theme",
    )
    return theme


def themes_seed() -> int:
    """Add the themes in data/themes.yaml that are missing; return how many were added."""
    source = code_lists.themes_source()[:300]
    added = 0
    for spec in code_lists.seed_themes():
        _, created = Theme.objects.get_or_create(
            key=spec["key"], defaults={"name": spec["name"], "source": source}
        )
        added += created
    return added
