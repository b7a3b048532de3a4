"""Writes for the restraint module: establishments, incidents (import and form), edits with
reasons, next-working-day reviews and the quarterly footage sample. Every write checks the
actor's permission (``actor=None`` is the command line) and appends an audit row."""

from __future__ import annotations

import datetime as dt
import hashlib
import json
import random
import secrets
from typing import Any

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.utils import timezone

from safeguarding.children.identifiers import pseudonymous_key
from safeguarding.children.selectors import children_by_la_child_id
from safeguarding.core.audit import audit_object
from safeguarding.core.models import AuditEvent, LocalAuthority, User
from safeguarding.core.rules import permission_require
from safeguarding.measures.periods import PeriodError, parse
from safeguarding.restraint import config, importer
from safeguarding.restraint.models import (
    Establishment,
    Incident,
    IncidentEdit,
    IncidentImport,
    IncidentStaff,
    Review,
    Sample,
    SampleAction,
    SampleItem,
)

# Fields an edit may change, with the CSV column each comes from.
EDITABLE = ("occurred_at", "location", "planned", "authorised_by", "senior_officer_in_control",
            "primary_reason", "reasons", "de_escalation_tried", "positions", "techniques",
            "pit_used", "pit_technique", "pit_justification", "duration_minutes", "floor",
            "prone", "handcuffs", "body_worn_camera", "camera_ids", "sound_captured", "cctv",
            "child_injured", "staff_injured", "assault_on_staff", "healthcare_attended",
            "healthcare_at", "separation", "relocated_to", "child_debriefed", "child_views",
            "parent_told", "yjs_told")


def establishment_add(*, actor: User | None, partnership, code: str, name: str, host_la_code: str,
                      recording_from: dt.date, agency=None, sample_size: int | None = None
                      ) -> Establishment:
    if actor is not None and not actor.has_perm("core.manage_partnerships"):
        raise PermissionDenied
    rule = config.sample_rule()
    size = sample_size or rule["default_size"]
    if not rule["min_size"] <= size <= rule["max_size"]:
        raise ValidationError({"sample_size": [
            f"The sample size must be {rule['min_size']} to {rule['max_size']}"]})
    host = LocalAuthority.objects.filter(partnership=partnership, old_code=host_la_code).first()
    if host is None:
        raise ValidationError({"host_la_code": [f"LA {host_la_code} is not in {partnership}"]})
    found = Establishment.objects.create(partnership=partnership, code=code, name=name,
                                         host_la=host, agency=agency, sample_size=size,
                                         recording_from=recording_from)
    audit_object(actor, AuditEvent.Action.CREATE, found, "add restraint establishment")
    return found


# Incidents ----------------------------------------------------------------

def _child_links(establishment: Establishment,
                 rows: list[dict[str, Any]]) -> dict[tuple[str, str], int]:
    """(LA code, LA child ID) -> the index child's id, for the rows' children that the
    index has, read once for a whole file; by ids only: no identifiable read."""
    wanted: dict[str, set[str]] = {}
    for values in rows:
        wanted.setdefault(values["child_la"], set()).add(values["la_child_id"])
    found: dict[tuple[str, str], int] = {}
    for la in LocalAuthority.objects.filter(partnership=establishment.partnership_id,
                                            old_code__in=wanted):
        ids = sorted(wanted[la.old_code])
        for start in range(0, len(ids), 1000):
            for la_child_id, child_id in children_by_la_child_id(
                    la, ids[start:start + 1000]).items():
                found[(la.old_code, la_child_id)] = child_id
    return found


def _recorded(establishment: Establishment, references: list[str]) -> dict[str, Incident]:
    """The establishment's incidents of these references (a file's), by reference."""
    wanted = sorted(set(references))
    return {incident.reference: incident for start in range(0, len(wanted), 1000)
            for incident in Incident.objects.filter(establishment=establishment,
                                                    reference__in=wanted[start:start + 1000])}


def _fields(values: dict[str, Any]) -> dict[str, Any]:
    """Model fields from checked template values (the CSV's or the form's)."""
    occurred = values["occurred_at"]
    positions = list(values.get("positions") or [])
    primary = values["primary_reason"]
    others = [r for r in values.get("other_reasons") or [] if r != primary]
    return {
        "occurred_at": occurred, "location": values["location"],
        "planned": values["planned"], "authorised_by": values.get("authorised_by") or "",
        "senior_officer_in_control": values["senior_officer_in_control"],
        "primary_reason": primary, "reasons": [primary, *others],
        "de_escalation_tried": values["de_escalation_tried"], "positions": positions,
        "techniques": list(values.get("techniques") or []), "pit_used": values["pit_used"],
        "pit_technique": values.get("pit_technique") or "",
        "pit_justification": values.get("pit_justification") or "",
        "duration_minutes": values["duration_minutes"], "floor": values["floor"],
        "prone": "PRONE" in positions, "handcuffs": values["handcuffs"],
        "body_worn_camera": values["body_worn_camera"],
        "camera_ids": values.get("camera_ids") or "",
        "sound_captured": values["sound_captured"], "cctv": values["cctv"],
        "child_injured": values["child_injured"], "staff_injured": values["staff_injured"],
        "assault_on_staff": values["assault_on_staff"],
        "healthcare_attended": values["healthcare_attended"],
        "healthcare_at": values.get("healthcare_at"), "separation": values["separation"],
        "relocated_to": values.get("relocated_to") or "",
        "child_debriefed": values["child_debriefed"],
        "child_views": values.get("child_views") or "", "parent_told": values["parent_told"],
        "yjs_told": values["yjs_told"],
        "child_age": importer.age_on(values["date_of_birth"],
                                     timezone.localtime(occurred).date()),
        "child_ethnicity": values["ethnicity"],
        "review_due": config.review_due(timezone.localtime(occurred).date()),
    }


def _digest(values: dict[str, Any]) -> str:
    return hashlib.sha256(json.dumps(values, sort_keys=True, default=str).encode()).hexdigest()


def _shown(value: Any) -> Any:
    if isinstance(value, dt.datetime):
        return timezone.localtime(value).strftime("%Y-%m-%d %H:%M")
    if isinstance(value, dt.date):
        return value.isoformat()
    return value


def _apply(incident: Incident, fields: dict[str, Any]) -> dict[str, list]:
    changes = {}
    for name, new in fields.items():
        old = getattr(incident, name)
        if old != new:
            changes[name] = [_shown(old), _shown(new)]
            setattr(incident, name, new)
    return changes


def _save_staff(incident: Incident, staff: list[tuple[str, dt.date | None]], *,
                new: bool = False) -> None:
    if not new:
        incident.staff.all().delete()
    IncidentStaff.objects.bulk_create(IncidentStaff(incident=incident, staff_ref=ref,
                                                    last_refresher=day) for ref, day in staff)


def _store(*, actor: User | None, establishment: Establishment, values: dict[str, Any],
           source: IncidentImport | None, reason: str, links: dict[tuple[str, str], int],
           recorded: dict[str, Incident]) -> str:
    """Add or replace one incident; 'added', 'changed' or 'unchanged'. ``links`` are the
    children's (``_child_links``) and ``recorded`` the establishment's incidents by reference
    (``_recorded``), read once for a whole file."""
    digest = _digest(values)
    fields = _fields(values)
    child_id = links.get((values["child_la"], values["la_child_id"]))
    key = pseudonymous_key(f"{values['child_la']}/{values['la_child_id'].upper()}")
    incident = recorded.get(values["incident_ref"])
    if incident is None:
        incident = Incident.objects.create(
            establishment=establishment, reference=values["incident_ref"], child_id=child_id,
            child_key=key, submitted_by=actor, source_import=source, row_digest=digest,
            **fields)
        _save_staff(incident, values.get("staff") or [], new=True)
        return "added"
    if incident.row_digest == digest:
        return "unchanged"
    changes = _apply(incident, fields)
    staff = sorted((ref, day.isoformat() if day else None) for ref, day in values["staff"])
    before = sorted((s.staff_ref, s.last_refresher.isoformat() if s.last_refresher else None)
                    for s in incident.staff.all())
    if staff != before:
        changes["staff"] = [before, staff]
        _save_staff(incident, values["staff"])
    incident.child_id, incident.child_key, incident.row_digest = child_id, key, digest
    incident.save()
    if changes:
        IncidentEdit.objects.create(incident=incident, edited_by=actor, reason=reason,
                                    changes=changes)
    return "changed"


def incidents_import(*, actor: User | None, establishment: Establishment, content: bytes,
                     file_name: str) -> IncidentImport:
    """Load the establishment's CSV: every row or none. The same file again changes nothing.

    Raises ``importer.ImportRefused`` with every problem (file, row, column, rule)."""
    permission_require(actor, "restraint.change_incident", establishment)
    sha = hashlib.sha256(content).hexdigest()
    done = IncidentImport.objects.filter(establishment=establishment, sha256=sha).first()
    if done is not None:
        return done
    rows = importer.read(content, file_name=file_name, today=timezone.localdate())
    with transaction.atomic():
        record = IncidentImport.objects.create(establishment=establishment, file_name=file_name,
                                               sha256=sha, imported_by=actor)
        counts = {"added": 0, "changed": 0, "unchanged": 0}
        links = _child_links(establishment, [row.values for row in rows])
        recorded = _recorded(establishment, [row.values["incident_ref"] for row in rows])
        for row in rows:
            outcome = _store(actor=actor, establishment=establishment, values=row.values,
                             source=record, reason=f"Sent again in {file_name}", links=links,
                             recorded=recorded)
            counts[outcome] += 1
        for name, value in counts.items():
            setattr(record, name, value)
        record.save()
        audit_object(actor, AuditEvent.Action.CREATE, record, "import restraint incidents", counts)
    return record


def check_values(values: dict[str, Any]) -> None:
    """The template's cross-column rules, as form errors."""
    problems = importer._cross_checks(values, today=timezone.localdate())
    if problems:
        errors: dict[str, list[str]] = {}
        for column, _rule, message in problems:
            errors.setdefault(column, []).append(f"{column.replace('_', ' ').capitalize()} "
                                                 f"{message}")
        raise ValidationError(errors)


def incident_record(*, actor: User | None, establishment: Establishment,
                    values: dict[str, Any]) -> Incident:
    """One incident entered by form, checked with the CSV template's rules."""
    permission_require(actor, "restraint.change_incident", establishment)
    check_values(values)
    if Incident.objects.filter(establishment=establishment,
                               reference=values["incident_ref"]).exists():
        raise ValidationError({"incident_ref": ["An incident with this reference is already "
                                                "recorded"]})
    with transaction.atomic():
        _store(actor=actor, establishment=establishment, values=values, source=None, reason="",
               links=_child_links(establishment, [values]), recorded={})
        incident = Incident.objects.get(establishment=establishment,
                                        reference=values["incident_ref"])
        audit_object(actor, AuditEvent.Action.CREATE, incident, "record restraint incident")
    return incident


def incident_edit(*, actor: User | None, incident: Incident, reason: str,
                  **changes: Any) -> IncidentEdit:
    """Change a submitted incident: a reason is required, and the change is kept."""
    permission_require(actor, "restraint.change_incident", incident)
    if not reason.strip():
        raise ValidationError({"reason": ["Enter the reason for the change"]})
    unknown = sorted(set(changes) - set(EDITABLE))
    if unknown:
        raise ValidationError({"__all__": [f"These cannot be edited: {', '.join(unknown)}"]})
    if "positions" in changes:
        changes["prone"] = "PRONE" in changes["positions"]
    with transaction.atomic():
        done = _apply(incident, changes)
        if not done:
            raise ValidationError({"__all__": ["Nothing was changed"]})
        if "occurred_at" in done:
            incident.review_due = config.review_due(
                timezone.localtime(incident.occurred_at).date())
        incident.save()
        edit = IncidentEdit.objects.create(incident=incident, edited_by=actor,
                                           reason=reason.strip(), changes=done)
        audit_object(actor, AuditEvent.Action.UPDATE, incident, "edit restraint incident",
                     {"fields": sorted(done), "reason": reason.strip()})
    return edit


# Reviews ------------------------------------------------------------------

def review_record(*, actor: User | None, incident: Incident, reviewed_on: dt.date,
                  proportionate: str, concerns: list[str], referral: str,
                  follow_up: str = "") -> Review:
    permission_require(actor, "restraint.review_incident", incident)
    errors: dict[str, list[str]] = {}
    if reviewed_on < timezone.localtime(incident.occurred_at).date():
        errors["reviewed_on"] = ["The review date must be on or after the restraint"]
    if reviewed_on > timezone.localdate():
        errors["reviewed_on"] = ["The review date must not be in the future"]
    if proportionate not in Review.Proportionate.values:
        errors["proportionate"] = ["Select whether the restraint was proportionate"]
    if bad := [c for c in concerns if c not in Review.CONCERNS]:
        errors["concerns"] = [f"Unknown concerns: {', '.join(bad)}"]
    if referral not in Review.Referral.values:
        errors["referral"] = ["Select whether a referral is needed"]
    if referral != Review.Referral.NONE and not follow_up.strip():
        errors["follow_up"] = ["Say what follows the referral"]
    if errors:
        raise ValidationError(errors)
    review, created = Review.objects.update_or_create(
        incident=incident, defaults={"reviewer": actor, "reviewed_on": reviewed_on,
                                     "proportionate": proportionate, "concerns": concerns,
                                     "referral": referral, "follow_up": follow_up.strip()})
    audit_object(actor, AuditEvent.Action.CREATE if created else AuditEvent.Action.UPDATE, review,
                 "review restraint incident", {"referral": referral})
    return review


# The quarterly sample -----------------------------------------------------

def quarter_span(quarter: str) -> tuple[dt.date, dt.date]:
    try:
        period = parse(quarter)
    except PeriodError as error:
        raise ValidationError({"quarter": [str(error)]}) from None
    if period.kind != "quarter":
        raise ValidationError({"quarter": ["Give a quarter, such as 2020-Q3"]})
    return period.start, period.end


def _in_quarter(establishment: Establishment, quarter: str):
    start, end = quarter_span(quarter)
    return (Incident.objects.filter(establishment=establishment,
                                    occurred_at__date__gte=start, occurred_at__date__lte=end)
            .order_by("occurred_at", "reference"))


def _must(incident: Incident) -> bool:
    rule = config.sample_rule()["always_include"]
    return (("pit_used" in rule and incident.pit_used) or ("prone" in rule and incident.prone)
            or ("injury" in rule and (incident.child_injured or incident.staff_injured)))


def draw(incidents: list[Incident], *, size: int, seed: int) -> tuple[list[Incident],
                                                                       list[Incident]]:
    """(always reviewed, randomly drawn): the draw is the seed's, so it can be repeated."""
    must = [i for i in incidents if _must(i)]
    rest = [i for i in incidents if not _must(i)]
    wanted = max(0, size - len(must))
    drawn = random.Random(seed).sample(rest, k=min(wanted, len(rest)))
    return must, sorted(drawn, key=lambda i: (i.occurred_at, i.reference))


def sample_draw(*, actor: User | None, establishment: Establishment, quarter: str,
                seed: int | None = None, size: int | None = None) -> Sample:
    """Draw (or draw again, while nothing in it is reviewed) the quarter's sample."""
    permission_require(actor, "restraint.view_sample", establishment)
    rule = config.sample_rule()
    size = size or establishment.sample_size
    if not rule["min_size"] <= size <= rule["max_size"]:
        raise ValidationError({"size": [f"The sample size must be {rule['min_size']} to "
                                        f"{rule['max_size']}"]})
    incidents = list(_in_quarter(establishment, quarter))
    if not incidents:
        raise ValidationError({"quarter": [f"No restraint is recorded in {quarter}"]})
    seed = seed if seed is not None else secrets.randbits(32)
    must, drawn = draw(incidents, size=size, seed=seed)
    with transaction.atomic():
        sample = Sample.objects.filter(establishment=establishment, quarter=quarter).first()
        if sample is not None:
            if sample.items.filter(footage_reviewed=True).exists() or sample.actions.exists():
                raise ValidationError({"quarter": ["This sample's footage review has begun; "
                                                   "it cannot be drawn again"]})
            sample.items.all().delete()
            sample.size, sample.seed, sample.drawn_by = size, seed, actor
            sample.save()
        else:
            sample = Sample.objects.create(establishment=establishment, quarter=quarter,
                                           size=size, seed=seed, drawn_by=actor)
        SampleItem.objects.bulk_create(
            [SampleItem(sample=sample, incident=i, why=SampleItem.Why.MUST) for i in must]
            + [SampleItem(sample=sample, incident=i, why=SampleItem.Why.DRAWN) for i in drawn])
        audit_object(actor, AuditEvent.Action.CREATE, sample, "draw restraint sample",
                     {"seed": seed, "size": size, "must": len(must), "drawn": len(drawn)})
    return sample


def sample_check(sample: Sample) -> bool:
    """Whether drawing again with the stored seed gives the stored sample."""
    incidents = list(_in_quarter(sample.establishment, sample.quarter))
    must, drawn = draw(incidents, size=sample.size, seed=sample.seed)
    stored = {(item.incident_id, item.why) for item in sample.items.all()}
    return stored == ({(i.pk, SampleItem.Why.MUST) for i in must}
                      | {(i.pk, SampleItem.Why.DRAWN) for i in drawn})


def sample_item_review(*, actor: User | None, item: SampleItem, footage_reviewed: bool,
                       paperwork_reviewed: bool, checklist: dict[str, str],
                       notes: str = "") -> SampleItem:
    permission_require(actor, "restraint.view_sample", item.sample.establishment)
    points = config.checklist()
    bad = [k for k, v in checklist.items() if k not in points or v not in ("Y", "N", "NA")]
    if bad:
        raise ValidationError({"checklist": [f"Unknown checklist answers: {', '.join(bad)}"]})
    item.footage_reviewed, item.paperwork_reviewed = footage_reviewed, paperwork_reviewed
    item.checklist, item.notes = checklist, notes.strip()
    item.save()
    audit_object(actor, AuditEvent.Action.UPDATE, item, "review restraint sample footage")
    return item


def sample_notes_update(*, actor: User | None, sample: Sample, reflective_notes: str,
                        good_practice: str, learning: str) -> Sample:
    permission_require(actor, "restraint.view_sample", sample.establishment)
    sample.reflective_notes, sample.good_practice = reflective_notes.strip(), good_practice.strip()
    sample.learning = learning.strip()
    sample.save()
    audit_object(actor, AuditEvent.Action.UPDATE, sample, "restraint sample reflective notes")
    return sample


def sample_action_add(*, actor: User | None, sample: Sample, theme: str, action: str,
                      owner: str, due_on: dt.date | None = None) -> SampleAction:
    permission_require(actor, "restraint.view_sample", sample.establishment)
    errors: dict[str, list[str]] = {}
    if theme not in config.codes("themes"):
        errors["theme"] = ["Select a theme"]
    if not action.strip():
        errors["action"] = ["Enter the action"]
    if not owner.strip():
        errors["owner"] = ["Enter who owns the action"]
    if errors:
        raise ValidationError(errors)
    found = SampleAction.objects.create(sample=sample, theme=theme, action=action.strip(),
                                        owner=owner.strip(), due_on=due_on)
    audit_object(actor, AuditEvent.Action.CREATE, found, "add restraint sample action")
    return found
