"""Writes for Operation Encompass: schools and their Key Adults, incidents recorded by the
police (by form, API or CSV), one notification per child sent to the child's school, and
the Key Adult's acknowledgement. Every write checks the actor's permission (``actor=None``
is the command line or the demo) and appends an audit row."""

from __future__ import annotations

import datetime as dt
import hashlib
from typing import Any

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.utils import timezone

from safeguarding.children.identifiers import pseudonymous_key
from safeguarding.children.selectors import child_find_by_identifier, child_match
from safeguarding.core.audit import audit_object
from safeguarding.core.models import (
    Agency,
    AgencyKind,
    AuditEvent,
    LocalAuthority,
    Partnership,
    User,
)
from safeguarding.core.rules import permission_require
from safeguarding.encompass import config, importer, sending
from safeguarding.encompass.models import Incident, IncidentImport, Message, Notification, School

SCHOOL_FIELDS = ("name", "key_adult_name", "key_adult_email", "holiday_contact_name",
                 "holiday_contact_email", "agency")


# Schools ------------------------------------------------------------------

def school_add(*, actor: User | None, partnership: Partnership, la_code: str, urn: str, name: str,
               agency: Agency | None = None, key_adult_name: str = "", key_adult_email: str = "",
               holiday_contact_name: str = "", holiday_contact_email: str = "",
               added_on: dt.date | None = None) -> School:
    permission_require(actor, "encompass.manage_schools", partnership)
    errors: dict[str, list[str]] = {}
    la = LocalAuthority.objects.filter(partnership=partnership, old_code=la_code).first()
    if la is None:
        errors["la_code"] = [f"LA {la_code} is not in {partnership}"]
    if not urn.isdigit() or not 6 <= len(urn) <= 8:
        errors["urn"] = ["Enter the school's URN: 6 to 8 digits"]
    elif School.objects.filter(urn=urn).exists():
        errors["urn"] = ["A school with this URN is already set up"]
    if bool(key_adult_name.strip()) != bool(key_adult_email.strip()):
        errors["key_adult_email"] = ["Enter the Key Adult's name and e-mail address, or neither"]
    if errors or la is None:
        raise ValidationError(errors)
    added_on = added_on or timezone.localdate()
    school = School.objects.create(
        partnership=partnership, local_authority=la, agency=agency, urn=urn, name=name.strip(),
        key_adult_name=key_adult_name.strip(), key_adult_email=key_adult_email.strip(),
        key_adult_since=added_on if key_adult_email.strip() else None,
        holiday_contact_name=holiday_contact_name.strip(),
        holiday_contact_email=holiday_contact_email.strip(), added_on=added_on)
    audit_object(actor, AuditEvent.Action.CREATE, school, "add Operation Encompass school")
    return school


def school_update(*, actor: User | None, school: School, on: dt.date | None = None,
                  **changes: Any) -> School:
    """Change a school's Key Adult, holiday contact or name; a new Key Adult dates from ``on``."""
    permission_require(actor, "encompass.manage_schools", school)
    unknown = sorted(set(changes) - set(SCHOOL_FIELDS))
    if unknown:
        raise ValidationError({"__all__": [f"These cannot be changed: {', '.join(unknown)}"]})
    had = school.key_adult_email
    for name, value in changes.items():
        setattr(school, name, value.strip() if isinstance(value, str) else value)
    if bool(school.key_adult_name) != bool(school.key_adult_email):
        raise ValidationError({"key_adult_email": [
            "Enter the Key Adult's name and e-mail address, or neither"]})
    if school.key_adult_email != had:
        school.key_adult_since = (on or timezone.localdate()) if school.key_adult_email else None
    school.save()
    audit_object(actor, AuditEvent.Action.UPDATE, school, "change Operation Encompass school",
                 {"fields": sorted(changes)})
    return school


# Incidents ----------------------------------------------------------------

def _police_agency(actor: User | None, partnership: Partnership) -> Agency:
    agencies = Agency.objects.filter(partnerships=partnership, kind=AgencyKind.POLICE)
    own = agencies.filter(memberships__user=actor, memberships__partnership=partnership) \
        if actor is not None else agencies.none()
    found = own.order_by("pk").first() or agencies.order_by("pk").first()
    if found is None:
        raise ValidationError({"__all__": ["No police force is a member of this partnership"]})
    return found


def _link(actor: User | None, partnership: Partnership, child: dict[str, Any], purpose: str):
    """The index child for the police's identifiers (LA child ID or NHS number first, then
    name and date of birth), read through the audited door; None when not matched."""
    for value in (child.get("la_child_id"), child.get("nhs_number")):
        if value:
            found = child_find_by_identifier(actor=actor, value=value, within=[partnership.pk],
                                             prefer=partnership.pk,
                                             permission="encompass.link_child", purpose=purpose)
            if found is not None:
                return found
    if actor is None:
        return None  # the command line links by identifier only
    try:
        return child_match(actor=actor, partnership=partnership, nhs_number="",
                           first_name=child["first_name"], last_name=child["last_name"],
                           date_of_birth=child["date_of_birth"],
                           permission="encompass.link_child", purpose=purpose)
    except PermissionDenied:
        return None


def check_incident(partnership: Partnership, values: dict[str, Any], *,
                   now: dt.datetime) -> dict[str, list[str]]:
    """The rules an incident breaks, by field (the CSV's columns)."""
    errors: dict[str, list[str]] = {}
    if not values.get("police_reference"):
        errors["police_reference"] = ["Enter the police reference"]
    elif Incident.objects.filter(partnership=partnership,
                                 police_reference=values["police_reference"]).exists():
        errors["police_reference"] = ["An incident with this police reference is already recorded"]
    occurred = values.get("occurred_at")
    if occurred is not None and occurred > now:
        errors["occurred_at"] = ["The incident must not be in the future"]
    if not values.get("children"):
        errors["children"] = ["Add at least one child present"]
    urns = set(School.objects.filter(partnership=partnership).values_list("urn", flat=True))
    for child in values.get("children") or []:
        if child.get("school_urn") not in urns:
            errors.setdefault("school_urn", []).append(
                f"URN {child.get('school_urn')} is not a school of this partnership")
    return errors


def incident_record(*, actor: User | None, partnership: Partnership, values: dict[str, Any],
                    now: dt.datetime | None = None, source: IncidentImport | None = None
                    ) -> Incident:
    """Record an incident and send one notification per child to the child's school.

    ``values``: police_reference, occurred_at, domestic_abuse, children (each first_name,
    last_name, date_of_birth, school_urn, present, and la_child_id or nhs_number if known).
    """
    permission_require(actor, "encompass.record_incident", partnership)
    now = now or config.now()
    errors = check_incident(partnership, values, now=now)
    if errors:
        raise ValidationError(errors)
    schools = {s.urn: s for s in School.objects.filter(partnership=partnership)
               .select_related("local_authority")}
    with transaction.atomic():
        incident = Incident.objects.create(
            partnership=partnership, police_agency=_police_agency(actor, partnership),
            police_reference=values["police_reference"], occurred_at=values["occurred_at"],
            domestic_abuse=values.get("domestic_abuse", True), recorded_at=now,
            recorded_by=actor, source_import=source)
        audit_object(actor, AuditEvent.Action.CREATE, incident, "record Operation Encompass incident",
                     {"children": len(values["children"])})
        for child in values["children"]:
            _notify(actor, incident, schools[child["school_urn"]], child, now=now)
    return incident


def _notify(actor, incident: Incident, school: School, child: dict[str, Any], *,
            now: dt.datetime) -> Notification:
    purpose = f"Operation Encompass incident {incident.police_reference}"
    found = _link(actor, incident.partnership, child, purpose)
    identity = (f"child/{found.pk}" if found is not None else
                f"encompass/{child['last_name'].strip().upper()}/"
                f"{child['first_name'].strip().upper()}/{child['date_of_birth'].isoformat()}")
    due = config.notification_due(incident.occurred_at, la_code=school.local_authority.old_code,
                                  urn=school.urn)
    notification = Notification.objects.create(
        incident=incident, school=school, child=found, child_key=pseudonymous_key(identity),
        first_name=child["first_name"].strip(), last_name=child["last_name"].strip(),
        date_of_birth=child["date_of_birth"], present=child.get("present", True),
        due_at=due.at, due_rule=due.rule, after_holiday=due.after_holiday)
    to: list[tuple[str, str]] = []
    if school.key_adult_email:
        to.append((Message.Kind.NOTICE, school.key_adult_email))
    if due.after_holiday and school.holiday_contact_email:
        to.append((Message.Kind.HOLIDAY, school.holiday_contact_email))
    if to:
        sending.send(notification, to, at=now)
        notification.sent_at = now
        notification.acknowledge_by = config.acknowledgement_due(now, due.at)
        notification.save(update_fields=["sent_at", "acknowledge_by"])
    audit_object(actor, AuditEvent.Action.CREATE, notification, "send Operation Encompass notification",
                 {"school": school.urn, "sent": len(to)})
    return notification


def incidents_import(*, actor: User | None, partnership: Partnership, content: bytes,
                     file_name: str, now: dt.datetime | None = None) -> IncidentImport:
    """Load the police's CSV (one row per child; rows sharing a police reference are one
    incident): every incident or none; the same file again changes nothing.

    Raises ``importer.ImportRefused`` naming file, row, column and rule."""
    permission_require(actor, "encompass.record_incident", partnership)
    now = now or config.now()
    sha = hashlib.sha256(content).hexdigest()
    done = IncidentImport.objects.filter(partnership=partnership, sha256=sha).first()
    if done is not None:
        return done
    incidents = importer.read(content, file_name=file_name)
    problems = []
    for rows, values in incidents:
        for column, messages in check_incident(partnership, values, now=now).items():
            problems += [importer.Problem(file_name, rows[0], column, "incident", m)
                         for m in messages]
    if problems:
        raise importer.ImportRefused(problems)
    with transaction.atomic():
        record = IncidentImport.objects.create(partnership=partnership, file_name=file_name,
                                               sha256=sha, imported_by=actor)
        for _rows, values in incidents:
            incident_record(actor=actor, partnership=partnership, values=values, now=now,
                            source=record)
        record.incidents = len(incidents)
        record.notifications = sum(len(v["children"]) for _, v in incidents)
        record.save()
        audit_object(actor, AuditEvent.Action.CREATE, record, "import Operation Encompass incidents",
                     {"incidents": record.incidents})
    return record


def notification_acknowledge(*, actor: User | None, notification: Notification,
                             now: dt.datetime | None = None) -> Notification:
    """The Key Adult has read the notification: the time is kept (once)."""
    permission_require(actor, "encompass.acknowledge_notification", notification)
    if notification.acknowledged_at is not None:
        return notification  # acknowledged already: the first time and person are kept
    notification.acknowledged_at = now or config.now()
    notification.acknowledged_by = actor
    notification.save(update_fields=["acknowledged_at", "acknowledged_by"])
    audit_object(actor, AuditEvent.Action.UPDATE, notification,
                 "acknowledge Operation Encompass notification")
    return notification
