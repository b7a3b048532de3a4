"""Writes for briefings and campaigns. Every write checks the actor's permission
(``actor=None`` is the command line and the demo) and appends an audit row."""

from __future__ import annotations

import datetime as dt
import hashlib
from collections.abc import Iterable
from pathlib import PurePath

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction

from safeguarding.briefings import config
from safeguarding.briefings.models import Briefing, BriefingUse, Campaign
from safeguarding.briefings.rules import agency_seats, managed
from safeguarding.core.audit import audit_object
from safeguarding.core.models import Agency, AuditEvent, Partnership, User
from safeguarding.core.rules import partnership_require


def _check_file(name: str, content: bytes) -> str:
    suffix = PurePath(name).suffix.lower()
    types = config.file_types()
    if suffix not in types:
        raise ValidationError({"file": [f"The file must be one of: {', '.join(sorted(types))}"]})
    if not content:
        raise ValidationError({"file": ["The file is empty"]})
    if len(content) > config.max_bytes():
        raise ValidationError({"file": [f"The file must be smaller than "
                                        f"{config.max_bytes() // 1024**2} MB"]})
    return types[suffix]


@transaction.atomic
def briefing_issue(*, actor: User | None, partnership: Partnership, title: str, source: str,
                   issued_on: dt.date, themes: Iterable[str] = (), source_reference: str = "",
                   summary: str = "", file_name: str = "", content: bytes = b"",
                   expected: Iterable[Agency] | None = None) -> Briefing:
    """Issue a briefing; every agency of the partnership is expected to use it unless a
    list is given."""
    partnership_require(actor, partnership.pk, managed)
    errors: dict[str, list[str]] = {}
    if not title.strip():
        errors["title"] = ["Enter the briefing's title"]
    if source not in Briefing.Source.values:
        errors["source"] = ["Choose where the learning comes from"]
    if errors:
        raise ValidationError(errors)
    file_type = _check_file(file_name, content) if (file_name or content) else ""
    agencies = list(partnership.agencies.all()) if expected is None else list(expected)
    if not agencies:
        raise ValidationError({"expected": ["Choose the agencies expected to use it"]})
    if any(not a.partnerships.filter(pk=partnership.pk).exists() for a in agencies):
        raise ValidationError({"expected": ["Every agency must be one of the partnership's"]})
    briefing = Briefing.objects.create(
        partnership=partnership, title=title.strip(), source=source,
        source_reference=source_reference.strip(), issued_on=issued_on,
        themes=sorted({t.strip() for t in themes if t.strip()}), summary=summary.strip(),
        file=content or None, file_name=PurePath(file_name).name if content else "",
        file_type=file_type, file_size=len(content),
        file_sha256=hashlib.sha256(content).hexdigest() if content else "", created_by=actor)
    briefing.expected_agencies.set(agencies)
    audit_object(actor, AuditEvent.Action.CREATE, briefing, "issue learning briefing",
                 {"expected": len(agencies), "file": briefing.file_name})
    return briefing


@transaction.atomic
def use_record(*, actor: User | None, briefing: Briefing, agency: Agency, team: str,
               used_on: dt.date, attendees: int, reflections: str,
               actions: str = "") -> BriefingUse:
    """Record how a team of an agency used the briefing: a person records for their own
    agency, the business unit for any agency expected to use it."""
    if actor is not None and briefing.partnership_id not in managed(actor) and (
            (briefing.partnership_id, agency.pk) not in agency_seats(actor)):
        raise PermissionDenied
    errors: dict[str, list[str]] = {}
    if not briefing.expected_agencies.filter(pk=agency.pk).exists():
        errors["agency"] = ["The agency is not one of those expected to use this briefing"]
    if not team.strip():
        errors["team"] = ["Enter the team that used the briefing"]
    if used_on < briefing.issued_on:
        errors["used_on"] = ["The briefing cannot be used before it was issued"]
    if attendees < 1:
        errors["attendees"] = ["Enter how many people attended"]
    if not reflections.strip():
        errors["reflections"] = ["Enter the team's key reflections"]
    if errors:
        raise ValidationError(errors)
    use = BriefingUse.objects.create(briefing=briefing, agency=agency, team=team.strip(),
                                     used_on=used_on, attendees=attendees,
                                     reflections=reflections.strip(), actions=actions.strip(),
                                     recorded_by=actor)
    audit_object(actor, AuditEvent.Action.CREATE, use, "record use of learning briefing",
                 {"agency": agency.pk})
    return use


@transaction.atomic
def campaign_add(*, actor: User | None, partnership: Partnership, name: str, audience: str,
                 starts_on: dt.date, ends_on: dt.date | None = None, materials: str = "",
                 reach: int = 0, reach_note: str = "") -> Campaign:
    partnership_require(actor, partnership.pk, managed)
    errors: dict[str, list[str]] = {}
    if not name.strip():
        errors["name"] = ["Enter the campaign's name"]
    if not audience.strip():
        errors["audience"] = ["Enter who the campaign is for"]
    if ends_on is not None and ends_on < starts_on:
        errors["ends_on"] = ["The end date must be on or after the start date"]
    if reach < 0:
        errors["reach"] = ["Enter 0 or more"]
    if errors:
        raise ValidationError(errors)
    if Campaign.objects.filter(partnership=partnership, name=name.strip(),
                               starts_on=starts_on).exists():
        raise ValidationError({"name": ["This campaign is already recorded for that start date"]})
    campaign = Campaign.objects.create(partnership=partnership, name=name.strip(),
                                       audience=audience.strip(), materials=materials.strip(),
                                       starts_on=starts_on, ends_on=ends_on, reach=reach,
                                       reach_note=reach_note.strip())
    audit_object(actor, AuditEvent.Action.CREATE, campaign, "add campaign", {"reach": reach})
    return campaign


@transaction.atomic
def campaign_update(*, actor: User | None, campaign: Campaign, reach: int,
                    ends_on: dt.date | None, reach_note: str = "",
                    materials: str | None = None) -> Campaign:
    partnership_require(actor, campaign.partnership.pk, managed)
    if reach < 0:
        raise ValidationError({"reach": ["Enter 0 or more"]})
    if ends_on is not None and ends_on < campaign.starts_on:
        raise ValidationError({"ends_on": ["The end date must be on or after the start date"]})
    campaign.reach, campaign.ends_on, campaign.reach_note = reach, ends_on, reach_note.strip()
    if materials is not None:
        campaign.materials = materials.strip()
    campaign.save()
    audit_object(actor, AuditEvent.Action.UPDATE, campaign, "update campaign", {"reach": reach})
    return campaign
