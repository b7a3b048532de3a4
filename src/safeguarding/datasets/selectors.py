"""Reads for data imports and the data they loaded.

An import's errors name children by LAchildID, so opening an import's page or
its errors CSV goes through ``core.access`` (checked and audited). The
progress fragment, which shows only the status, is checked but not audited.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Collection

from django.core.exceptions import PermissionDenied
from django.db.models import Q, QuerySet
from django.http import Http404

from safeguarding.core import access
from safeguarding.core.models import AuditEvent, Partnership, User
from safeguarding.datasets.models import (
    BenchmarkValue,
    ChildProtectionPlan,
    CinChild,
    CinReturn,
    DatasetImport,
    DatasetProblem,
    ReturnStatus,
)
from safeguarding.datasets.rules import import_partnership_ids


def import_partnerships(*, actor: User) -> QuerySet[Partnership]:
    """The partnerships the actor may load data into."""
    return Partnership.objects.filter(pk__in=import_partnership_ids(actor)).order_by("name")


def import_list(*, actor: User) -> QuerySet[DatasetImport]:
    return (DatasetImport.objects.filter(partnership_id__in=import_partnership_ids(actor))
            .select_related("partnership", "local_authority"))


def import_get(*, actor: User, pk: int, purpose: str, audited: bool = True,
               action: str = AuditEvent.Action.READ) -> DatasetImport:
    record = (DatasetImport.objects.select_related("partnership", "local_authority", "replaced")
              .filter(pk=pk).first())
    if record is None:
        raise Http404("No such import")
    if audited:
        return access.read_one(actor=actor, obj=record, permission="datasets.view_import",
                               purpose=purpose, action=action)
    if not actor.has_perm("datasets.view_import", record):
        raise PermissionDenied
    return record


def import_problems(*, dataset_import: DatasetImport) -> QuerySet[DatasetProblem]:
    return dataset_import.problems.order_by("position")


def cin_returns(*, partnership: Partnership) -> QuerySet[CinReturn]:
    """Every CIN return loaded for the partnership, current and superseded (aggregates only)."""
    return (CinReturn.objects.filter(partnership=partnership)
            .select_related("local_authority", "dataset_import"))


def cin_child_ids(*, partnership: Partnership) -> QuerySet:
    """The LA child IDs of every child the partnership's CIN census returns carried.

    Identifiers only, for the synthetic demo's agency extracts (who is known to social
    care); no record is read, so nothing is audited.
    """
    return CinChild.objects.filter(partnership=partnership).values_list("la_child_id", flat=True)


def benchmark_values(*, partnership: Partnership, table_id: str,
                     indicator: str | None = None) -> QuerySet[BenchmarkValue]:
    """The current values of one of DfE's tables, as loaded for the partnership."""
    values = BenchmarkValue.objects.filter(partnership=partnership, table_id=table_id,
                                           release__status=ReturnStatus.CURRENT)
    return values.filter(indicator=indicator) if indicator else values


def import_extract(*, dataset_import: DatasetImport):
    """The agency extract an import loaded, if it loaded one (its record keys, no identifiers)."""
    from safeguarding.datasets.models import AgencyExtract

    return AgencyExtract.objects.filter(dataset_import=dataset_import).first()


def children_on_plan(*, partnership: Partnership, categories: Collection[str],
                     start: dt.date, end: dt.date) -> list[int]:
    """Index ids of the partnership's children on a child protection plan at some time
    between ``start`` and ``end`` whose initial or latest category is one of
    ``categories`` (a multi-agency audit's sample population). Ids only: no record is read."""
    plans = ChildProtectionPlan.objects.filter(
        local_authority__partnership=partnership, start_date__lte=end,
        episode__cin_child__child__isnull=False).filter(
        Q(end_date__isnull=True) | Q(end_date__gte=start)).filter(
        Q(initial_category__in=list(categories)) | Q(latest_category__in=list(categories)))
    return sorted(set(plans.values_list("episode__cin_child__child_id", flat=True)))
