"""Link census children to the child index, deterministically.

A census child is the index's child with the same LA and LAchildID. Failing
that, the one child of the partnership with the same UPN and no LA child ID
yet (it gains the LA and LAchildID). Failing that, a new index record. The
census carries no names, so a new record's names read "Not recorded"; its
pseudonym is the keyed hash of ``la:<old LA code>:<LAchildID>``, the same key
the census tables carry. The LA's children's services agency, when the
partnership has exactly one such agency (or one named for the LA), becomes
involved so its practitioners can open the record.

The index is written here in bulk (``datasets.bulk``), not through
``children.services`` one child at a time: a return holds tens of thousands of
children, and the whole import is recorded by one audit row and its import
record. Dates stay ISO strings, which every database casts to a date.
"""

from __future__ import annotations

from collections import Counter

from django.db import connection
from django.utils import timezone

from safeguarding.children.identifiers import pseudonymous_key
from safeguarding.children.models import Child, Involvement
from safeguarding.core.models import Agency, AgencyKind, LocalAuthority, Partnership
from safeguarding.datasets.bulk import insert_rows, select_in

NOT_RECORDED = "Not recorded"
CHILD_COLUMNS = ("partnership", "local_authority", "nhs_number", "upn", "la_child_id",
                 "police_reference", "first_name", "last_name", "date_of_birth", "sex",
                 "ethnicity", "postcode", "pseudonym", "created_at", "updated_at")
INVOLVEMENT_COLUMNS = ("child", "agency", "reason", "started_on", "ended_on")


def census_pseudonym(la: LocalAuthority, la_child_id: str) -> str:
    return pseudonymous_key(f"la:{la.old_code}:{la_child_id}")


def la_agency(partnership: Partnership, la: LocalAuthority) -> Agency | None:
    agencies = list(partnership.agencies.filter(kind=AgencyKind.LA_CHILDRENS_SERVICES)
                    .order_by("pk"))
    if len(agencies) == 1:
        return agencies[0]
    named = [a for a in agencies if la.name and la.name.lower() in a.name.lower()]
    return named[0] if len(named) == 1 else None


def _by_la_child_id(la: LocalAuthority, ids: list[str]) -> list[tuple[str, int]]:
    """(LA child ID, index child id) for those of ``ids`` the index has under this LA."""
    # The unique index on (LA, LA child ID) is partial (non-empty IDs only); SQLite uses
    # it only when the query states that condition too (not_blank). Without it each
    # batch scans every child of the LA, and a census load grows with its square.
    return select_in(Child, ("la_child_id", "pk"), where={"local_authority": la.pk},
                     field="la_child_id", values=ids, not_blank=True)


def link_children(*, partnership: Partnership, la: LocalAuthority, agency: Agency | None,
                  children: dict[str, dict], first_referrals: dict[str, str],
                  reason: str | None = None,
                  pseudonyms: dict[str, str] | None = None) -> tuple[dict[str, int], Counter]:
    """Return the index child's id for each LAchildID given, matching or creating the child.

    ``children`` maps LAchildID to the census child's latest values (FirstName
    and LastName too, when the source has them); ``first_referrals`` to its
    earliest referral date (the involvement's start); ``reason`` is the
    involvement's reason, the CIN census unless given; ``pseudonyms`` the
    children's census pseudonyms when the caller has them already.
    """
    counts: Counter = Counter()
    ids = list(children)
    found: dict[str, int] = dict(_by_la_child_id(la, ids))
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
            Child.objects.bulk_update(claimed, ["local_authority", "la_child_id"])
            counts["matched"] += len(claimed)
    now = connection.ops.adapt_datetimefield_value(timezone.now())
    new = [lid for lid in ids if lid not in found]
    insert_rows(Child, CHILD_COLUMNS, (
        (partnership.pk, la.pk, "", children[lid].get("UPN") or "", lid, "",
         children[lid].get("FirstName") or NOT_RECORDED,
         children[lid].get("LastName") or NOT_RECORDED, children[lid].get("PersonBirthDate")
         or children[lid].get("ExpectedPersonBirthDate"),
         children[lid].get("GenderCurrent") or "0", children[lid].get("Ethnicity") or "NOBT",
         "", pseudonyms[lid] if pseudonyms else census_pseudonym(la, lid), now, now)
        for lid in new))
    if new:
        found.update(_by_la_child_id(la, new))
        counts["created"] += len(new)
    if agency is not None and found:
        involved = {child_id for (child_id,) in select_in(
            Involvement, ("child",), where={"agency": agency.pk}, field="child",
            values=list(found.values()))}
        reason = reason or f"Children in need census, LA {la.old_code}"
        counts["involvements"] += insert_rows(Involvement, INVOLVEMENT_COLUMNS, (
            (child_id, agency.pk, reason, first_referrals[lid], None)
            for lid, child_id in found.items() if child_id not in involved))
    return found, counts
