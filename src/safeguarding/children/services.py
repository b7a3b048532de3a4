"""Writes to the child index, each in one transaction and each audited."""

from __future__ import annotations

import contextlib
import datetime as dt
from collections import Counter

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import IntegrityError, connection, transaction
from django.db.models import Q
from django.utils import timezone

from safeguarding.children import identifiers
from safeguarding.children.models import Child, Involvement
from safeguarding.children.selectors import children_by_la_child_id
from safeguarding.core import access
from safeguarding.core.audit import audit_append
from safeguarding.core.bulk import insert_rows, select_in, update_rows
from safeguarding.core.models import Agency, AuditEvent, LocalAuthority, Partnership, User

# What someone is told when the identifiers they enter match a child they may not see.
POSSIBLE_MATCH_MESSAGE = (
    "A child with these identifiers may already be recorded. Ask your partnership's "
    "business unit to add your agency's involvement."
)

# The identifiers that name one child in a partnership's index (the LA child ID within its LA).
MATCHED_IDENTIFIERS = {"nhs_number": "NHS number", "la_child_id": "LA child ID", "upn": "UPN"}


class IdentifierMatch(ValidationError):
    """The identifiers entered match a child already in the partnership's index.

    ``child`` is the existing record when the person may see it, with ``fields`` the
    identifiers it shares; otherwise both are empty and the message is the neutral
    ``POSSIBLE_MATCH_MESSAGE``, the same whichever identifier matched (ADR 0011).
    """

    def __init__(self, *, child: Child | None = None, fields: list[str] | None = None):
        self.child = child
        self.fields = list(fields or [])
        if child is None:
            super().__init__(POSSIBLE_MATCH_MESSAGE, code="possible_match")
        else:
            super().__init__({
                field: [ValidationError(
                    f"A child with this {MATCHED_IDENTIFIERS[field]} is already recorded",
                    code="already_recorded")]
                for field in self.fields
            })


_EDITABLE = (
    "local_authority", "nhs_number", "upn", "la_child_id", "police_reference", "first_name",
    "last_name", "date_of_birth", "sex", "ethnicity", "postcode",
)


def _stable_identity(child: Child) -> str:
    if child.nhs_number:
        return f"nhs:{child.nhs_number}"
    if child.la_child_id and child.local_authority is not None:
        return f"la:{child.local_authority.old_code}:{child.la_child_id}"
    return f"record:{child.partnership.code}:{child.first_name}:{child.last_name}:{child.date_of_birth}"


def _clean_identifiers(data: dict) -> dict:
    cleaned = dict(data)
    errors: dict[str, list] = {}
    checks = {
        "nhs_number": identifiers.validate_nhs_number,
        "upn": identifiers.validate_upn,
        "la_child_id": lambda value: identifiers.validate_la_child_id(
            value, max_length=identifiers.LA_CHILD_ID_MAX),
        "police_reference": identifiers.validate_police_reference,
    }
    for field, check in checks.items():
        value = (cleaned.get(field) or "").strip()
        if value:
            try:
                cleaned[field] = check(value)
            except ValidationError as error:
                errors[field] = error.messages
        else:
            cleaned[field] = ""
    if cleaned.get("postcode"):
        cleaned["postcode"] = cleaned["postcode"].strip().upper()
    dob = cleaned.get("date_of_birth")
    if isinstance(dob, dt.date) and dob > dt.date.today():
        errors["date_of_birth"] = ["Date of birth must be today or in the past"]
    if errors:
        raise ValidationError(errors)
    return cleaned


def _matching_children(child: Child, only: set[str]) -> dict[Child, list[str]]:
    """The other children of ``child``'s index sharing an identifier, with the ones shared."""
    wanted = Q()
    if child.nhs_number and "nhs_number" in only:
        wanted |= Q(partnership_id=child.partnership_id, nhs_number=child.nhs_number)
    if child.upn and "upn" in only:
        wanted |= Q(partnership_id=child.partnership_id, upn=child.upn)
    if child.la_child_id and child.local_authority_id is not None and "la_child_id" in only:
        wanted |= Q(local_authority_id=child.local_authority_id, la_child_id=child.la_child_id)
    if not wanted:
        return {}
    found = Child.objects.filter(wanted).select_related("partnership", "local_authority")
    if child.pk is not None:
        found = found.exclude(pk=child.pk)
    matches: dict[Child, list[str]] = {}
    for other in found.order_by("pk")[:10]:
        shared = [f for f in MATCHED_IDENTIFIERS if f in only and getattr(child, f)
                  and getattr(other, f) == getattr(child, f)
                  and (f != "la_child_id" or other.local_authority_id == child.local_authority_id)]
        matches[other] = shared
    return matches


def child_identifiers_match(*, actor: User, child: Child, purpose: str,
                            only: set[str] | None = None) -> None:
    """Refuse identifiers another child of the index already has, through the audited door.

    The one check for adding and editing a child, on the web, in the API and in
    other modules. A match the actor may see raises ``IdentifierMatch`` naming it (an
    audited read). A match they may not see raises the neutral ``IdentifierMatch``,
    and each hidden match gets a DENIED audit row naming the identifiers, so the
    business unit can see the attempt. Call it outside the write's transaction: the
    audit rows must survive the refusal. ``only`` narrows the check to some
    identifiers (an edit checks those it changes).
    """
    matches = _matching_children(child, set(MATCHED_IDENTIFIERS) if only is None else only)
    if not matches:
        return
    hidden = [c for c in matches if not actor.has_perm("children.view_child", c)]

    def why(existing: Child) -> str:
        return f"{purpose} ({', '.join(MATCHED_IDENTIFIERS[f] for f in matches[existing])})"

    if hidden:
        for existing in hidden:
            with contextlib.suppress(PermissionDenied):  # the refusal is the audit row
                access.read_one(actor=actor, obj=existing, permission="children.view_child",
                                purpose=why(existing))
        raise IdentifierMatch()
    shown = [access.read_one(actor=actor, obj=existing, permission="children.view_child",
                             purpose=why(existing)) for existing in matches]
    fields = [f for f in MATCHED_IDENTIFIERS if any(f in matches[c] for c in shown)]
    raise IdentifierMatch(child=shown[0], fields=fields)


def _save_checked(*, actor: User, child: Child, purpose: str, write,
                  only: set[str] | None = None) -> None:
    """Check the identifiers, then run ``write`` in its own transaction.

    Two people adding the same child at once both pass the check; the database's
    unique constraints stop the second, which is then answered as a match.
    """
    child_identifiers_match(actor=actor, child=child, purpose=purpose, only=only)
    try:
        with transaction.atomic():
            write()
    except IntegrityError:
        child_identifiers_match(actor=actor, child=child, purpose=purpose)
        raise ValidationError("The record could not be saved. Try again.") from None


def child_create(*, actor: User, partnership: Partnership, agency: Agency | None = None,
                 involvement_reason: str = "", **data) -> Child:
    """Add a child; the actor's agency becomes involved so they can see what they added.

    Identifiers another child of the index has are refused (``IdentifierMatch``).
    """
    if not actor.has_perm("children.add_child"):
        raise PermissionDenied
    data = _clean_identifiers(data)
    child = Child(partnership=partnership, **{k: data.get(k, "") for k in _EDITABLE})
    la = data.get("local_authority")
    if la is not None and la.partnership_id != partnership.pk:
        raise ValidationError({"local_authority": ["That LA is not in this partnership"]})
    child.pseudonym = identifiers.pseudonymous_key(_stable_identity(child))
    # The unique identifiers are checked by child_identifiers_match, through the door;
    # full_clean's own check would name the constraint and reveal a hidden record.
    child.full_clean(validate_constraints=False)
    _save_checked(actor=actor, child=child, purpose="identifier match on create",
                  write=lambda: _create(actor=actor, child=child, agency=agency,
                                        involvement_reason=involvement_reason))
    return child


def _create(*, actor: User, child: Child, agency: Agency | None, involvement_reason: str) -> None:
    child.save()
    if agency is not None:
        Involvement.objects.create(
            child=child, agency=agency, reason=involvement_reason or "Added the record",
            started_on=dt.date.today(),
        )
    audit_append(actor=actor, action=AuditEvent.Action.CREATE, object_type="children.child",
                 object_id=str(child.pk), purpose="add child")


def child_update(*, actor: User, child: Child, **data) -> Child:
    """Change a child's record; identifiers another child has are refused as on adding."""
    if not actor.has_perm("children.change_child", child):
        raise PermissionDenied
    data = _clean_identifiers(data)
    changed = []
    for field in _EDITABLE:
        if field in data and getattr(child, field) != data[field]:
            setattr(child, field, data[field])
            changed.append(field)
    child.full_clean(validate_constraints=False)

    def write() -> None:
        child.save()
        audit_append(actor=actor, action=AuditEvent.Action.UPDATE,
                     object_type="children.child", object_id=str(child.pk),
                     purpose="edit child", detail={"changed": changed})

    # Only the identifiers being changed are checked: a duplicate recorded before the
    # check existed does not block an unrelated edit.
    checked = {f for f in MATCHED_IDENTIFIERS if f in changed}
    if "local_authority" in changed:
        checked.add("la_child_id")
    _save_checked(actor=actor, child=child, purpose="identifier match on edit", write=write,
                  only=checked)
    return child


@transaction.atomic
def involvement_add(*, actor: User, child: Child, agency: Agency, reason: str,
                    started_on: dt.date) -> Involvement:
    if not actor.has_perm("children.change_child", child):
        raise PermissionDenied
    if not agency.partnerships.filter(pk=child.partnership_id).exists():
        raise ValidationError({"agency": ["That agency is not part of the child's partnership"]})
    involvement = Involvement(child=child, agency=agency, reason=reason, started_on=started_on)
    involvement.full_clean()
    involvement.save()
    audit_append(actor=actor, action=AuditEvent.Action.UPDATE, object_type="children.child",
                 object_id=str(child.pk), purpose="add agency involvement",
                 detail={"agency": agency.pk})
    return involvement


def local_authority_for(partnership: Partnership, old_code: str) -> LocalAuthority | None:
    return partnership.local_authorities.filter(old_code=old_code).first()


# -- bulk writes for returns ------------------------------------------------------
#
# A return (CIN census, SSDA903, Annex A) links tens of thousands of children at
# once, inside its import's one transaction. These services write the index for
# it in bulk (``core.bulk``), not one child at a time: the import is recorded by
# one audit row and its import record, so ``actor`` (None for the command line)
# is not audited again per child. They are the only writers of the index besides
# the services above: the loaders call them and never write ``Child`` rows.

NOT_RECORDED = "Not recorded"
_BULK_CHILD_COLUMNS = ("partnership", "local_authority", "nhs_number", "upn", "la_child_id",
                       "police_reference", "first_name", "last_name", "date_of_birth", "sex",
                       "ethnicity", "postcode", "pseudonym", "created_at", "updated_at")
_BULK_INVOLVEMENT_COLUMNS = ("child", "agency", "reason", "started_on", "ended_on")


def children_index_bulk_link(*, actor: User | None, partnership: Partnership,
                             la: LocalAuthority, agency: Agency | None,
                             children: dict[str, dict], first_referrals: dict[str, str],
                             reason: str, pseudonyms: dict[str, str]
                             ) -> tuple[dict[str, int], Counter]:
    """Link a return's children to the index, deterministically; their index ids and counts.

    A child is the index's child with the same LA and LA child ID. Failing that,
    the one child of the partnership with the same UPN and no LA child ID yet (it
    gains the LA and LA child ID). Failing that, a new record: returns carry no
    names unless given (``FirstName``, ``LastName``), so its names read "Not
    recorded". ``children`` maps LA child ID to the return's latest values in the
    census's names (UPN, PersonBirthDate or ExpectedPersonBirthDate,
    GenderCurrent, Ethnicity); ``pseudonyms`` gives a new record's pseudonym, the
    key the return's own tables carry. ``agency``, when given, becomes involved
    from the child's ``first_referrals`` date, for ``reason``. Dates stay ISO
    strings, which every database casts to a date.
    """
    counts: Counter = Counter()
    ids = list(children)
    found = children_by_la_child_id(la, ids)
    counts["matched"] += len(found)
    wanted_upns = {values["UPN"]: lid for lid, values in children.items()
                   if lid not in found and values.get("UPN")}
    if wanted_upns:
        candidates: dict[str, list[Child]] = {}
        for child in Child.objects.filter(partnership=partnership, la_child_id="",
                                          upn__in=list(wanted_upns)).order_by():
            candidates.setdefault(child.upn, []).append(child)
        claimed = []
        for upn, matches in candidates.items():
            if len(matches) == 1:
                child = matches[0]
                child.local_authority, child.la_child_id = la, wanted_upns[upn]
                found[child.la_child_id] = child.pk
                claimed.append(child)
        if claimed:
            update_rows(Child, ["local_authority", "la_child_id"],
                        ((c.pk, la.pk, c.la_child_id) for c in claimed))
            counts["matched"] += len(claimed)
    now = connection.ops.adapt_datetimefield_value(timezone.now())
    new = [lid for lid in ids if lid not in found]
    # A UPN names one child in the index. One the index already holds for another child,
    # or that two new children share, is left off the index records (the return keeps it):
    # which child it belongs to is for the business unit to settle, and the load goes on.
    upns = {lid: children[lid].get("UPN") or "" for lid in new}
    wanted = [u for u in upns.values() if u]
    taken = {u for (u,) in select_in(Child, ("upn",), where={"partnership": partnership.pk},
                                     field="upn", values=wanted, not_blank=True)}
    shared = Counter(wanted)
    for lid, upn in upns.items():
        if upn and (upn in taken or shared[upn] > 1):
            upns[lid] = ""
            counts["upn_shared"] += 1
    insert_rows(Child, _BULK_CHILD_COLUMNS, (
        (partnership.pk, la.pk, "", upns[lid], lid, "",
         children[lid].get("FirstName") or NOT_RECORDED,
         children[lid].get("LastName") or NOT_RECORDED, children[lid].get("PersonBirthDate")
         or children[lid].get("ExpectedPersonBirthDate"),
         children[lid].get("GenderCurrent") or "0", children[lid].get("Ethnicity") or "NOBT",
         "", pseudonyms[lid], now, now)
        for lid in new))
    if new:
        found.update(children_by_la_child_id(la, new))
        counts["created"] += len(new)
    if agency is not None and found:
        involved = {child_id for (child_id,) in select_in(
            Involvement, ("child",), where={"agency": agency.pk}, field="child",
            values=list(found.values()))}
        counts["involvements"] += insert_rows(Involvement, _BULK_INVOLVEMENT_COLUMNS, (
            (child_id, agency.pk, reason, first_referrals[lid], None)
            for lid, child_id in found.items() if child_id not in involved))
    return found, counts


def child_names_update_bulk(*, actor: User | None, names: dict[int, tuple[str, str]]) -> int:
    """Give index children still named "Not recorded" the names a return has for them.

    ``names`` maps index child id to (first name, last name); a blank first name
    stays "Not recorded". Names someone has recorded are kept. Returns how many
    children were named. As ``children_index_bulk_link``, inside the import's
    transaction and covered by its audit row.
    """
    unnamed = Child.objects.filter(pk__in=list(names), last_name=NOT_RECORDED).in_bulk()
    for pk, child in unnamed.items():
        first, last = names[pk]
        child.first_name, child.last_name = first or NOT_RECORDED, last
    update_rows(Child, ["first_name", "last_name"],
                ((c.pk, c.first_name, c.last_name) for c in unnamed.values()))
    return len(unnamed)
