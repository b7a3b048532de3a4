"""The imports on a person's home page (core/home.py, issue 18), and how fresh each return
is for the business unit's picture of the partnership.

An import needs someone when it failed (errors, refused, stopped by a fault) or was only
checked (a decision to load it is owed), and no later import of the same return loaded.
Items name the file and the return, never a child.
"""

from __future__ import annotations

from django.urls import reverse

from safeguarding.core.modules import HomeFact, HomeItem
from safeguarding.core.roles import Role
from safeguarding.core.rules import partnerships_where
from safeguarding.datasets.models import DatasetImport, ImportKind, ImportStatus
from safeguarding.datasets.rules import import_partnership_ids

FAILED = (ImportStatus.FAILED, ImportStatus.REFUSED, ImportStatus.CRASHED)
LOADED = (ImportStatus.LOADED, ImportStatus.UNCHANGED)
# The newest imports looked at: a failure older than these is not today's work.
LOOK_BACK = 200


def _same_return(i: DatasetImport) -> tuple:
    return (i.partnership_id, i.kind, i.local_authority_id, i.period, i.agency_id, i.table_id)


def home_items(user) -> list[HomeItem]:
    allowed = import_partnership_ids(user)
    if not allowed:
        return []
    recent = list(DatasetImport.objects.filter(partnership_id__in=allowed)
                  .select_related("partnership").order_by("-created_at", "-pk")[:LOOK_BACK])
    loaded_later: set[tuple] = set()
    items = []
    for found in recent:  # newest first: a load settles every older attempt at that return
        key = _same_return(found)
        if found.status in LOADED:
            loaded_later.add(key)
        elif key not in loaded_later and (found.status in FAILED
                                          or found.status == ImportStatus.CHECKED):
            needs = ("checked only: decide whether to load it"
                     if found.status == ImportStatus.CHECKED else found.get_status_display())
            items.append(HomeItem(
                kind="import", title=f"{found.get_kind_display()}: {found.file_name}",
                url=reverse("datasets:import-detail", args=[found.pk]),
                overdue=found.status in FAILED,
                detail=f"{found.partnership.name}, {needs}"
                       f"{f', {found.error_count} errors' if found.error_count else ''}"))
            loaded_later.add(key)
    return items


def home_picture(user) -> list[HomeFact]:
    """Per return kind, the newest loaded import, its period and the day it was loaded."""
    own = partnerships_where(user, {Role.BUSINESS_UNIT})
    if not own:
        return []
    latest: dict[str, DatasetImport] = {}
    for found in (DatasetImport.objects.filter(partnership_id__in=own, status__in=LOADED)
                  .exclude(kind=ImportKind.DFE_BENCHMARKS).order_by("-created_at", "-pk")
                  .only("pk", "kind", "period", "created_at", "status")[:LOOK_BACK]):
        latest.setdefault(found.kind, found)
    labels = dict(ImportKind.choices)
    return [HomeFact(group="freshness", label=labels[kind].split(" (")[0],
                     value=(f"{found.period}, " if found.period else "")
                     + f"loaded {found.created_at:%-d %B %Y}",
                     url=reverse("datasets:import-detail", args=[found.pk]))
            for kind, found in sorted(latest.items(), key=lambda kv: labels[kv[0]])]
