"""Pseudonymous keys for analytics and degraded rows for sharing outside the partnership.

Analytics tables carry the child's pseudonymous key (a keyed HMAC, see
``identifiers.pseudonymous_key``), never names. A record linked to a child
shares the child's key, so the police, health and school rows of one child
count once. A record not (yet) linked gets a key of its own, made from its
agency, system and key, so it still counts as one person; when it is linked
later its rows move to the child's key.

For sharing, ``degrade_for_sharing`` coarsens what remains: dates to the first
of the month, postcodes to the district (``ST5 2AB`` -> ``ST5``).
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterable, Mapping

from safeguarding.children import identifiers
from safeguarding.children.linkage import normalise
from safeguarding.children.models import SourceRecord
from safeguarding.core import access
from safeguarding.core.models import AuditEvent, User

# Fields that never leave in a shared row.
IDENTIFYING_FIELDS = frozenset({
    "first_name", "last_name", "nhs_number", "upn", "la_child_id", "police_reference",
    "source_key", "full_name",
})


def linked_pseudonym(record: SourceRecord) -> str:
    """The pseudonymous key analytics tables use for this agency record."""
    if record.child is not None:
        return record.child.pseudonym
    identity = f"source:{record.agency_id}:{record.source_system}:{record.source_key}"
    return identifiers.pseudonymous_key(identity)


def degrade_date(value: dt.date | None) -> dt.date | None:
    """The first of the month: 14 March 2016 -> 1 March 2016."""
    return normalise.first_of_month(value)


def degrade_postcode(value: str | None) -> str | None:
    """The postcode district (outward code): "st5 2ab" -> "ST5"."""
    return normalise.postcode_district(value)


def degrade_for_sharing(row: Mapping, *, date_fields: Iterable[str] = ("date_of_birth",),
                        postcode_fields: Iterable[str] = ("postcode",)) -> dict:
    """A copy of ``row`` fit to share: identifying fields dropped, dates and postcodes coarsened."""
    date_fields, postcode_fields = set(date_fields), set(postcode_fields)
    shared = {}
    for key, value in row.items():
        if key in IDENTIFYING_FIELDS:
            continue
        if key in date_fields:
            value = degrade_date(value)
        elif key in postcode_fields:
            value = degrade_postcode(value)
        shared[key] = value
    return shared


def sharing_row(record: SourceRecord, *, degrade: bool = True) -> dict:
    """One agency record as analytics or a sharing partner sees it: no names, no identifiers."""
    row = {
        "pseudonym": linked_pseudonym(record),
        "linked": record.child_id is not None,
        "agency": record.agency.name,
        "source_system": record.source_system,
        "date_of_birth": record.date_of_birth,
        "sex": record.sex,
        "postcode": normalise.clean_postcode(record.postcode),
    }
    return degrade_for_sharing(row) if degrade else row


def export_for_sharing(*, actor: User, records: Iterable[SourceRecord], purpose: str,
                       degrade: bool = True) -> list[dict]:
    """Rows for sharing, each record's export checked and audited through core.access."""
    allowed = access.read_many(actor=actor, objects=records,
                               permission="children.view_source_record", purpose=purpose,
                               action=AuditEvent.Action.EXPORT)
    return [sharing_row(record, degrade=degrade) for record in allowed]
