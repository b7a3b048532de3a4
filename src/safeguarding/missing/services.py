"""Writes for missing children work: episodes (police CSV import and form) and return home
interviews. Every write checks the actor's permission (``actor=None`` is the command line)
and appends an audit row. The child is linked to the index by ids only (no identifiable
read); the child's identity is read later through the audited door (selectors)."""

from __future__ import annotations

import datetime as dt
import hashlib
import json
import re
from typing import Any

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils import timezone

from safeguarding.children.identifiers import pseudonymous_key
from safeguarding.children.selectors import children_by_la_child_id, children_by_nhs_number
from safeguarding.core.audit import audit_object
from safeguarding.core.models import Agency, AuditEvent, LocalAuthority, Partnership, User
from safeguarding.core.rules import permission_require
from safeguarding.missing import config, importer
from safeguarding.missing.models import Episode, EpisodeImport, ReturnInterview


def _la(partnership: Partnership, code: str) -> LocalAuthority:
    la = LocalAuthority.objects.filter(partnership=partnership, old_code=code).first()
    if la is None:
        raise ValidationError({"child_la": [f"LA {code} is not in {partnership}"]})
    return la


def child_link(partnership: Partnership, la: LocalAuthority, identifier: str
               ) -> tuple[int | None, str]:
    """(index child id or None, pseudonymous key) for an LA child ID or NHS number, by ids
    only: no identifiable read. A linked child's key is the same whichever identifier the
    police sent, so its episodes count together."""
    if re.fullmatch(r"\d{10}", identifier):
        child_id = children_by_nhs_number(partnership, [identifier]).get(identifier)
    else:
        child_id = children_by_la_child_id(la, [identifier]).get(identifier)
    if child_id is not None:
        return child_id, pseudonymous_key(f"index/{child_id}")
    return None, pseudonymous_key(f"{la.old_code}/{identifier}")


def _fields(partnership: Partnership, values: dict[str, Any]) -> dict[str, Any]:
    la = _la(partnership, values["child_la"])
    child_id, key = child_link(partnership, la, values["child_id"])
    back = values.get("returned_at")
    due = config.rhi_due(back) if back and config.rhi_applies(values["category"]) else None
    return {"local_authority": la, "category": values["category"], "child_id": child_id,
            "child_key": key, "missing_from": values["missing_from"], "returned_at": back,
            "where_found": values.get("where_found") or "", "rhi_due_at": due}


def _digest(values: dict[str, Any]) -> str:
    return hashlib.sha256(json.dumps(values, sort_keys=True, default=str).encode()).hexdigest()


def _store(*, actor: User | None, partnership: Partnership, values: dict[str, Any],
           source: EpisodeImport | None, reported_by: Agency | None) -> str:
    """Add or replace one episode; 'added', 'changed' or 'unchanged'."""
    digest = _digest(values)
    episode = Episode.objects.filter(partnership=partnership,
                                     force_reference=values["force_reference"]).first()
    if episode is not None and episode.row_digest == digest:
        return "unchanged"
    fields = _fields(partnership, values)
    if episode is None:
        Episode.objects.create(partnership=partnership, force_reference=values["force_reference"],
                               recorded_by=actor, source_import=source, row_digest=digest,
                               reported_by=reported_by, **fields)
        return "added"
    for name, value in fields.items():
        setattr(episode, name, value)
    episode.row_digest = digest
    episode.save()
    return "changed"


def episodes_import(*, actor: User | None, partnership: Partnership, content: bytes,
                    file_name: str, reported_by: Agency | None = None) -> EpisodeImport:
    """Load the police CSV: every row or none. The same file again changes nothing.

    Raises ``importer.ImportRefused`` with every problem (file, row, column, rule)."""
    permission_require(actor, "missing.change_episode", partnership)
    sha = hashlib.sha256(content).hexdigest()
    done = EpisodeImport.objects.filter(partnership=partnership, sha256=sha).first()
    if done is not None:
        return done
    rows = importer.read(content, file_name=file_name, now=timezone.now())
    codes = set(partnership.local_authorities.values_list("old_code", flat=True))
    bad = [importer.Problem(file_name, row.number, "child_la", "partnership_la",
                            f"LA {row.values['child_la']} is not in {partnership.code}")
           for row in rows if row.values["child_la"] not in codes]
    if bad:
        raise importer.ImportRefused(bad)
    with transaction.atomic():
        record = EpisodeImport.objects.create(partnership=partnership, file_name=file_name,
                                              sha256=sha, imported_by=actor)
        counts = {"added": 0, "changed": 0, "unchanged": 0}
        for row in rows:
            counts[_store(actor=actor, partnership=partnership, values=row.values,
                          source=record, reported_by=reported_by)] += 1
        for name, value in counts.items():
            setattr(record, name, value)
        record.save()
        audit_object(actor, AuditEvent.Action.CREATE, record, "import missing episodes", counts)
    return record


def episode_record(*, actor: User | None, partnership: Partnership, values: dict[str, Any],
                   reported_by: Agency | None = None) -> Episode:
    """One episode entered by form, checked with the CSV template's rules."""
    permission_require(actor, "missing.change_episode", partnership)
    problems = importer.column_checks(values) or importer.cross_checks(values, now=timezone.now())
    if problems:
        errors: dict[str, list[str]] = {}
        for column, _rule, message in problems:
            errors.setdefault(column, []).append(
                f"{column.replace('_', ' ').capitalize()} {message}")
        raise ValidationError(errors)
    if Episode.objects.filter(partnership=partnership,
                              force_reference=values["force_reference"]).exists():
        raise ValidationError({"force_reference": ["An episode with this force reference is "
                                                   "already recorded"]})
    with transaction.atomic():
        _store(actor=actor, partnership=partnership, values=values, source=None,
               reported_by=reported_by)
        episode = Episode.objects.get(partnership=partnership,
                                      force_reference=values["force_reference"])
        audit_object(actor, AuditEvent.Action.CREATE, episode, "record missing episode")
    return episode


def episode_return(*, actor: User | None, episode: Episode, returned_at: dt.datetime,
                   where_found: str) -> Episode:
    """The child is back: the return sets the interview's 72-hour clock."""
    permission_require(actor, "missing.change_episode", episode)
    values = {"missing_from": episode.missing_from, "returned_at": returned_at,
              "where_found": where_found}
    problems = importer.cross_checks(values, now=timezone.now())
    if where_found and where_found not in config.codes("where_found"):
        problems.append(("where_found", "code", "is not in the list"))
    if problems:
        raise ValidationError({c: [f"{c.replace('_', ' ').capitalize()} {m}"]
                               for c, _r, m in problems})
    episode.returned_at, episode.where_found = returned_at, where_found
    episode.rhi_due_at = (config.rhi_due(returned_at) if config.rhi_applies(episode.category)
                          else None)
    episode.save()
    audit_object(actor, AuditEvent.Action.UPDATE, episode, "record return from missing")
    return episode


def interview_record(*, actor: User | None, episode: Episode, offered_at: dt.datetime,
                     accepted: bool | None = None, interview_at: dt.datetime | None = None,
                     interviewer: str = "", interviewer_agency: Agency | None = None,
                     outcome: str = "", notes: str = "") -> ReturnInterview:
    """Record (or correct) the return home interview: the offer, the answer, the interview."""
    permission_require(actor, "missing.change_episode", episode)
    errors: dict[str, list[str]] = {}
    now = timezone.now()
    if episode.returned_at is None:
        errors["offered_at"] = ["Record the child's return before the interview"]
    elif offered_at < episode.returned_at:
        errors["offered_at"] = ["The offer must be on or after the child's return"]
    if offered_at > now:
        errors.setdefault("offered_at", []).append("The offer must not be in the future")
    if interview_at is not None:
        if accepted is not True:
            errors["accepted"] = ["An interview was held, so the child accepted it"]
        if interview_at < offered_at:
            errors["interview_at"] = ["The interview must be on or after the offer"]
        elif interview_at > now:
            errors["interview_at"] = ["The interview must not be in the future"]
        if not interviewer.strip():
            errors["interviewer"] = ["Enter who did the interview"]
        if not outcome:
            errors["outcome"] = ["Select the outcome of the interview"]
    if outcome and outcome not in config.codes("outcomes"):
        errors["outcome"] = ["Select an outcome from the list"]
    if errors:
        raise ValidationError(errors)
    found, created = ReturnInterview.objects.update_or_create(
        episode=episode, defaults={
            "offered_at": offered_at, "accepted": accepted, "interview_at": interview_at,
            "interviewer": interviewer.strip(), "interviewer_agency": interviewer_agency,
            "outcome": outcome, "notes": notes.strip(), "recorded_by": actor})
    audit_object(actor, AuditEvent.Action.CREATE if created else AuditEvent.Action.UPDATE, found,
                 "record return home interview", {"accepted": accepted, "outcome": outcome})
    return found
