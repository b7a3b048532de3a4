"""Writes for the Covid-19 follow-up: schools, the weekly attendance extract (all rows or
none; the same file twice, or a row sent again, changes nothing), and each school's follow-
up of a child who did not attend. Every write is checked and audited."""

from __future__ import annotations

import datetime as dt
import hashlib

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import IntegrityError, transaction
from django.utils import timezone

from safeguarding.core.audit import audit_object
from safeguarding.core.models import Agency, AuditEvent, Partnership, User
from safeguarding.covid_followup import importer
from safeguarding.covid_followup.models import (
    AttendanceImport,
    AttendanceRecord,
    FollowUp,
    School,
)
from safeguarding.covid_followup.rules import business_partnerships


def school_add(*, actor: User | None, partnership: Partnership, urn: str, name: str,
               agency: Agency | None = None) -> School:
    if actor is not None and partnership.pk not in business_partnerships(actor):
        raise PermissionDenied
    school = School(partnership=partnership, urn=urn.strip(), name=name.strip(), agency=agency)
    school.full_clean()
    school.save()
    audit_object(actor, AuditEvent.Action.CREATE, school, "add school for Covid-19 follow-up")
    return school


@transaction.atomic
def attendance_import(*, actor: User | None, partnership: Partnership, content: bytes,
                      file_name: str) -> tuple[AttendanceImport, bool]:
    """Load a weekly extract: (the import, whether it was new). A row already held (the
    same school, child and week) keeps its follow-up; its attendance is updated."""
    if actor is not None and partnership.pk not in business_partnerships(actor):
        raise PermissionDenied
    digest = hashlib.sha256(content).hexdigest()
    done = AttendanceImport.objects.filter(partnership=partnership, sha256=digest).first()
    if done is not None:
        return done, False
    schools = {s.urn: s for s in School.objects.filter(partnership=partnership)}
    rows = importer.read(content, file_name=file_name, urns=set(schools),
                         today=timezone.localdate())
    try:
        with transaction.atomic():
            loaded = AttendanceImport.objects.create(partnership=partnership,
                                                     file_name=file_name, sha256=digest,
                                                     rows=len(rows), imported_by=actor)
    except IntegrityError:
        return AttendanceImport.objects.get(partnership=partnership, sha256=digest), False
    added = 0
    for row in rows:
        _, created = AttendanceRecord.objects.update_or_create(
            school=schools[row.urn], child_id=row.child_id, week=row.week,
            defaults={"partnership": partnership, "status": row.status,
                      "attended": row.attended},
            create_defaults={"partnership": partnership, "status": row.status,
                             "attended": row.attended, "source_import": loaded})
        added += created
    loaded.added = added
    loaded.save(update_fields=["added"])
    audit_object(actor, AuditEvent.Action.CREATE, loaded, "import weekly attendance extract",
                 {"rows": len(rows), "added": added})
    return loaded, True


@transaction.atomic
def follow_up_record(*, actor: User | None, record: AttendanceRecord, made_on: dt.date,
                     method: str, outcome: str, note: str = "") -> FollowUp:
    if actor is not None and not actor.has_perm("covid_followup.follow_up", record):
        raise PermissionDenied
    errors: dict[str, list[str]] = {}
    if record.attended:
        errors["outcome"] = ["The child attended that week: there is nothing to follow up"]
    if method not in FollowUp.Method.values:
        errors["method"] = ["Choose how the school followed up"]
    if outcome not in FollowUp.Outcome.values:
        errors["outcome"] = ["Choose the outcome"]
    if made_on < record.week:
        errors["made_on"] = ["The follow-up cannot be before the week began"]
    if made_on > timezone.localdate():
        errors["made_on"] = ["The follow-up cannot be in the future"]
    if errors:
        raise ValidationError(errors)
    found, _ = FollowUp.objects.update_or_create(
        record=record, defaults={"made_on": made_on, "method": method, "outcome": outcome,
                                 "note": note.strip(), "recorded_by": actor})
    audit_object(actor, AuditEvent.Action.UPDATE, record, "record school follow-up",
                 {"outcome": outcome})
    return found
