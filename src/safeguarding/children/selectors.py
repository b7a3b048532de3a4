"""Reads of the child index. Identifiable records leave here only through core.access."""

from __future__ import annotations

from django.core.exceptions import PermissionDenied
from django.db.models import Prefetch, Q, QuerySet
from django.http import Http404

from safeguarding.children.models import Child, Involvement
from safeguarding.core import access, roles
from safeguarding.core.models import Partnership, User
from safeguarding.core.rules import agencies_where, partnerships_where


def _visible_children(actor: User) -> QuerySet[Child]:
    """Narrow the query to the children the rule allows, so pages stay small and fast."""
    wide = partnerships_where(actor, roles.CHILD_RECORDS_PARTNERSHIP_WIDE)
    visible = Q(partnership_id__in=wide)
    # Each seat's agency counts only within the seat's own partnership.
    for partnership_id, agency_ids in agencies_where(
            actor, roles.CHILD_RECORDS_WHERE_AGENCY_INVOLVED).items():
        visible |= Q(partnership_id=partnership_id, involvements__agency_id__in=agency_ids,
                     involvements__ended_on__isnull=True)
    return (
        Child.objects.filter(visible)
        .distinct()
        .select_related("partnership", "local_authority")
        .prefetch_related(
            Prefetch("involvements", queryset=Involvement.objects.select_related("agency"))
        )
    )


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
    child = (
        Child.objects.select_related("partnership", "local_authority")
        .prefetch_related(
            Prefetch("involvements", queryset=Involvement.objects.select_related("agency"))
        )
        .filter(pk=child_id)
        .first()
    )
    if child is None:
        # Someone who may see no children at all learns nothing from the id:
        # a missing record is refused exactly as an existing one would be.
        if not actor.has_perm("children.list_children"):
            raise PermissionDenied
        raise Http404("No such child")
    return access.read_one(
        actor=actor, obj=child, permission="children.view_child", purpose=purpose
    )


def child_count(*, partnership: Partnership) -> int:
    """Aggregate only: how many children the partnership's index holds."""
    return Child.objects.filter(partnership=partnership).count()
