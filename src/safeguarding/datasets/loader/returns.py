"""Opening a new DfE return for an LA's year, and reading the children kept with returns.

The CIN census and SSDA903 loaders share this step: the LA's current return for
the year (if any) is marked superseded, the new one created and linked from
it, and the LA's other current returns (other years) listed, because each
child's history is merged across all of them.
"""

from __future__ import annotations

import json
from collections import defaultdict
from collections.abc import Iterable
from dataclasses import dataclass
from typing import Generic, TypeVar

from django.db import models

from safeguarding.datasets.models import ReturnStatus
from safeguarding.datasets.models.imports import LoadedReturn

R = TypeVar("R", bound=LoadedReturn)


@dataclass
class OpenedReturn(Generic[R]):
    new: R
    old: R | None  # the return for the same LA and year it supersedes
    others: dict[int, int]  # the LA's other current returns: pk -> collection year
    return_of_year: dict[int, int]  # collection year -> pk, this one included


def return_open(model: type[R], *, local_authority, collection_year: int,
                **fields) -> OpenedReturn[R]:
    """Create the new return, superseding the current one for the same LA and year."""
    current = model._default_manager.select_for_update().filter(
        local_authority=local_authority, collection_year=collection_year,
        status=ReturnStatus.CURRENT)
    old = current.first()
    if old is not None:
        old.status = ReturnStatus.SUPERSEDED
        old.save(update_fields=["status"])
    new = model._default_manager.create(
        local_authority=local_authority, collection_year=collection_year, **fields)
    if old is not None:
        old.superseded_by = new
        old.save(update_fields=["superseded_by"])
    others = dict(model._default_manager.filter(
        local_authority=local_authority, status=ReturnStatus.CURRENT)
        .exclude(pk=new.pk).values_list("pk", "collection_year"))
    return_of_year = {year: pk for pk, year in others.items()}
    return_of_year[collection_year] = new.pk
    return OpenedReturn(new=new, old=old, others=others, return_of_year=return_of_year)


def snapshots(model: type[models.Model], return_field: str, return_ids: Iterable[int],
              ids: list[str], *, year_of: dict[int, int],
              default_year: int) -> dict[str, list[tuple[int, dict]]]:
    """Each child's kept versions in these returns: LA child ID -> [(year, record)]."""
    found: dict[str, list] = defaultdict(list)
    return_ids = list(return_ids)
    if not return_ids:
        return found
    rows = model.objects.filter(**{f"{return_field}_id__in": return_ids},  # type: ignore[attr-defined]
                                la_child_id__in=ids)
    for return_id, lid, payload in rows.values_list(f"{return_field}_id", "la_child_id",
                                                    "payload"):
        found[lid].append((year_of.get(return_id, default_year), json.loads(payload)))
    return found
