"""Reads of the child index. Identifiable records leave here only through core.access."""

from __future__ import annotations

import re
from collections.abc import Collection

from django.core.exceptions import PermissionDenied
from django.db.models import Prefetch, Q, QuerySet
from django.http import Http404

from safeguarding.children.models import Child, Involvement
from safeguarding.core import access, roles
from safeguarding.core.audit import audit_append
from safeguarding.core.bulk import select_in
from safeguarding.core.models import AuditEvent, LocalAuthority, Partnership, User
from safeguarding.core.rules import agencies_where, partnerships_where


def with_involvements(children: QuerySet[Child]) -> QuerySet[Child]:
    """The children with what a child's page shows loaded: partnership, LA and each
    involvement's agency. Another app narrows its own relation (``incident.children``)
    with this and still reads the rows through core.access itself."""
    return children.select_related("partnership", "local_authority").prefetch_related(
        Prefetch("involvements", queryset=Involvement.objects.select_related("agency")))


def _visible_children(actor: User) -> QuerySet[Child]:
    """Narrow the query to the children the rule allows, so pages stay small and fast."""
    wide = partnerships_where(actor, roles.CHILD_RECORDS_PARTNERSHIP_WIDE)
    visible = Q(partnership_id__in=wide)
    # Each seat's agency counts only within the seat's own partnership.
    for partnership_id, agency_ids in agencies_where(
            actor, roles.CHILD_RECORDS_WHERE_AGENCY_INVOLVED).items():
        visible |= Q(partnership_id=partnership_id, involvements__agency_id__in=agency_ids,
                     involvements__ended_on__isnull=True)
    return with_involvements(Child.objects.filter(visible).distinct())


def child_search(*, actor: User, query: str = "", partnership: Partnership | None = None,
                 limit: int = 50, offset: int = 0) -> tuple[list[Child], int]:
    """Return one page of children the actor may see, audited, and the total count."""
    children = _visible_children(actor)
    if partnership is not None:
        children = children.filter(partnership=partnership)
    query = query.strip()
    if query:
        compact = query.replace(" ", "").upper()
        children = children.filter(
            Q(last_name__icontains=query)
            | Q(first_name__icontains=query)
            | Q(nhs_number=compact)
            | Q(upn=compact)
            | Q(la_child_id__iexact=query)
            | Q(police_reference__iexact=query)
        )
    total = children.count()
    page = children.order_by("last_name", "first_name", "pk")[offset : offset + limit]
    shown = access.read_many(
        actor=actor, objects=page, permission="children.view_child", purpose="child search"
    )
    return shown, total


def child_get(*, actor: User, child_id: int, purpose: str) -> Child:
    """Return one child for the actor, or refuse; either way the attempt is audited."""
    child = with_involvements(Child.objects.filter(pk=child_id)).first()
    if child is None:
        # Someone who may see no children at all learns nothing from the id:
        # a missing record is refused exactly as an existing one would be.
        if not actor.has_perm("children.list_children"):
            raise PermissionDenied
        raise Http404("No such child")
    return access.read_one(
        actor=actor, obj=child, permission="children.view_child", purpose=purpose
    )


def child_if_seen(*, actor: User, child_id: int | None, purpose: str) -> Child | None:
    """The child behind another module's record (a case, an episode, an incident) when the
    child index lets the actor see it, read through the audited door; None when the record
    is not linked or the index refuses (the page shows the pseudonymous key instead)."""
    if child_id is None:
        return None
    try:
        return child_get(actor=actor, child_id=child_id, purpose=purpose)
    except PermissionDenied:
        return None


def child_count(*, partnership: Partnership) -> int:
    """Aggregate only: how many children the partnership's index holds."""
    return Child.objects.filter(partnership=partnership).count()


def child_match(*, actor: User, partnership: Partnership, nhs_number: str, first_name: str,
                last_name: str, date_of_birth, permission: str, purpose: str) -> Child | None:
    """The partnership's one child with this NHS number or, without one, the one child
    of this name and date of birth; read through the audited door, or None.

    A child found but refused to the actor raises PermissionDenied (audited by
    ``access.read_one``), so a caller cannot mistake a refusal for "not in the index".
    """
    if nhs_number:
        match = Child.objects.filter(partnership=partnership, nhs_number=nhs_number).first()
    else:
        candidates = list(
            Child.objects.filter(
                partnership=partnership,
                first_name__iexact=first_name.strip(),
                last_name__iexact=last_name.strip(),
                date_of_birth=date_of_birth,
            )[:2]
        )
        match = candidates[0] if len(candidates) == 1 else None
    if match is None:
        return None
    return access.read_one(actor=actor, obj=match, permission=permission, purpose=purpose)


def child_find_by_identifier(*, actor: User | None, value: str, within: Collection[int],
                             prefer: int, permission: str, purpose: str) -> Child | None:
    """The one child an LA child ID or NHS number names, read through the audited door.

    ``value`` is an LA child ID, an NHS number, or an LA child ID with the old LA code
    first (``861/S0000001``), for an ID two areas share. The child is looked for in the
    partnerships ``within``; when several match, the one in ``prefer`` is taken.

    None when no single child matches or when the actor may not have it: the two are
    not told apart. A refusal is audited (DENIED, against the child), as is a child
    found only outside ``within``, so the business unit can see the attempt.
    ``actor=None`` is the command line: nothing is refused, the read is audited.
    """
    value = value.strip()
    la_code, _, local_id = value.partition("/")
    if local_id and re.fullmatch(r"\d{3}", la_code.strip()):
        wanted = Q(local_authority__old_code=la_code.strip(), la_child_id__iexact=local_id.strip())
    else:
        wanted = Q(la_child_id__iexact=value) | Q(nhs_number=re.sub(r"\s", "", value))
    candidates = list(with_involvements(Child.objects.filter(wanted)).order_by("pk")[:20])
    match = [c for c in candidates if c.partnership_id in within]
    if len(match) > 1:
        match = [c for c in match if c.partnership_id == prefer]
    if len(match) != 1:
        if not match:
            for child in candidates:
                audit_append(actor=actor, action=AuditEvent.Action.DENIED,
                             object_type="children.child", object_id=str(child.pk),
                             purpose=purpose)
        return None
    [child] = match
    if actor is None:
        audit_append(actor=None, action=AuditEvent.Action.READ, object_type="children.child",
                     object_id=str(child.pk), purpose=purpose)
        return child
    try:
        return access.read_one(actor=actor, obj=child, permission=permission, purpose=purpose)
    except PermissionDenied:
        return None


def children_for_door(*, ids: Collection[int], partnership: Partnership) -> list[Child]:
    """The partnership's child records with these ids, for a caller that reads them through
    ``core.access.read_many`` next (the dashboard's drill-down): not a read in itself."""
    return list(with_involvements(Child.objects.filter(pk__in=ids, partnership=partnership))
                .order_by("last_name", "first_name"))


def children_by_la_child_id(la: LocalAuthority, ids: list[str]) -> dict[str, int]:
    """LA child ID -> index child id, for those of ``ids`` the index has under this LA.

    Ids only, for a return's loader linking its children: no identifiable record leaves.
    """
    # The unique index on (LA, LA child ID) is partial (non-empty IDs only); SQLite uses
    # it only when the query states that condition too (not_blank). Without it each
    # batch scans every child of the LA, and a census load grows with its square.
    return dict(select_in(Child, ("la_child_id", "pk"), where={"local_authority": la.pk},
                          field="la_child_id", values=ids, not_blank=True))


def children_by_nhs_number(partnership: Partnership, numbers: list[str]) -> dict[str, int]:
    """NHS number -> index child id, for those of ``numbers`` the partnership's index has.

    Ids only, for a module linking a record to its child: no identifiable record leaves.
    """
    return dict(Child.objects.filter(partnership=partnership, nhs_number__in=numbers)
                .values_list("nhs_number", "pk"))


def involved_children(*, partnership: Partnership, agency_ids: Collection[int]) -> set[int]:
    """Index ids of the partnership's children with an involvement (open or ended) of one of
    ``agency_ids``: an audit's sample population. Ids only, each once (the database drops the
    repeats: at national scale a partnership's involvements are millions of rows)."""
    return set(Involvement.objects.filter(child__partnership=partnership,
                                          agency_id__in=list(agency_ids))
               .values_list("child_id", flat=True).distinct())
