"""The one loader pipeline for DfE returns: reader -> checker -> writer -> merge -> snapshot.

The CIN census and SSDA903 loaders are configurations of it (ADR 0012): each
gives its reader and checker, which stream checked children one at a time,
and a ``ReturnWriter`` subclass naming its models, its merge and its tables.

Opening a return: the LA's current return for the year (if any) is marked
superseded, the new one created and linked from it, and the LA's other current
returns (other years) listed, because each child's history is merged across
all of them.
"""

from __future__ import annotations

from abc import ABC, abstractmethod
from collections import Counter, defaultdict
from collections.abc import Callable, Iterable
from dataclasses import dataclass
from typing import Any, Generic, TypeVar

import orjson
from django.db import models

from safeguarding.children.services import children_index_bulk_link
from safeguarding.core.bulk import insert_rows, select_in
from safeguarding.datasets import linking
from safeguarding.datasets.loader import Outcome
from safeguarding.datasets.loader.merge import canonical, digest_of_text
from safeguarding.datasets.models import ImportStatus, ReturnStatus
from safeguarding.datasets.models.imports import LoadedReturn
from safeguarding.datasets.validation.problems import ProblemLog

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
        found[lid].append((year_of.get(return_id, default_year), orjson.loads(payload)))
    return found


# -- the pipeline: reader -> checker -> writer -> merge -> snapshot ------------------
#
# A DfE return's loader reads its file(s) and checks them into a stream of checked
# children, (LA child ID, record). ``load_children`` hands them to the writer in
# batches while no error has been found; the writer keeps each child's record
# with the return as a snapshot (canonical JSON, hashed), merges it with the
# child's snapshots from the LA's other current returns (the kind's merge module)
# and stores the merged history (the kind's tables). Nothing in Python holds more
# than a batch of children.


class ReturnWriter(ABC):
    """Writes checked children of one return, batch by batch; a kind configures it.

    A subclass names its return and snapshot models, its merge functions and the
    history parts it counts, and writes its own tables (``_store``, ``_delete``);
    the abstract methods below are what it must give, and one that gives less
    cannot be made.
    """

    return_model: type[LoadedReturn]
    snapshot_model: type[models.Model]
    return_field: str  # the snapshot's foreign key to its return
    history_parts: tuple[str, ...]

    def __init__(self, ctx, la, year: int, **return_fields):
        self.ctx, self.la, self.year = ctx, la, year
        opened = return_open(
            self.return_model, local_authority=la, collection_year=year,
            partnership=ctx.partnership, sha256=ctx.dataset_import.sha256,
            dataset_import=ctx.dataset_import, **return_fields)
        # Any: each kind's return model (CinReturn, ClaReturn) has its import link.
        self.new: Any = opened.new
        self.old: Any = opened.old
        self.others, self.return_of_year = opened.others, opened.return_of_year
        self.agency = linking.la_agency(ctx.partnership, la)
        self.index: Counter = Counter()
        self.history: Counter = Counter({f"{part}_{change}": 0 for part in self.history_parts
                                         for change in ("added", "updated", "unchanged",
                                                        "removed")})
        self.replaced: Counter = Counter({k: 0 for k in ("children_added", "children_changed",
                                                         "children_removed")})

    # The kind's merge: (year, record) versions -> merged history, and the changes.
    @staticmethod
    @abstractmethod
    def merge(versions: list[tuple[int, dict]]) -> Any:
        """A child's merged history from its (year, record) versions; None when none."""

    @staticmethod
    @abstractmethod
    def history_change(before: Any, after: Any) -> Counter:
        """What merging changed in the history parts, as ``<part>_<change>`` counts."""

    @staticmethod
    @abstractmethod
    def return_change(old: dict | None, new: dict | None) -> Counter:
        """How a child's record changed from the superseded return to this one."""

    @abstractmethod
    def _delete(self, ids: list[str]) -> None:
        """Delete these children's merged rows (their snapshots stay with their returns)."""

    @abstractmethod
    def _store(self, merged: dict[str, Any]) -> None:
        """Write the merged history of these children, replacing what they had."""

    def _snapshots(self, return_ids: Iterable[int], ids: list[str]) -> dict[str, list]:
        return snapshots(self.snapshot_model, self.return_field, return_ids, ids,
                         year_of=self.others, default_year=self.year)

    def write(self, records: list[tuple[str, dict]]) -> None:
        """Keep each child's snapshot with the return, merge it and store the history."""
        ids = [lid for lid, _record in records]
        texts = [canonical(record) for _lid, record in records]
        insert_rows(self.snapshot_model, (self.return_field, "la_child_id", "content_hash",
                                          "payload"), (
            (self.new.pk, lid, digest_of_text(text), text)
            for (lid, _record), text in zip(records, texts, strict=True)))
        prior = self._snapshots(self.others, ids)
        old = ({lid: versions[0][1] for lid, versions in
                self._snapshots([self.old.pk], ids).items()} if self.old else {})
        merged: dict[str, Any] = {}
        for lid, record in records:
            after = self.merge(prior[lid] + [(self.year, record)])
            assert after is not None  # it has this return's version at least
            if self.old is not None:
                self.replaced.update(self.return_change(old.get(lid), record))
            before = self.merge(prior[lid] + ([(self.year, old[lid])] if lid in old else []))
            self.history.update(self.history_change(before, after))
            merged[lid] = after
        self._store(merged)

    def finish(self, batch: int) -> None:
        """Re-merge, or remove, the superseded return's children this one dropped."""
        if self.old is None:
            return
        # Asked of the database, not of a set of every child seen, so memory does
        # not grow with the return.
        snapshot = self.snapshot_model._default_manager
        kept = snapshot.filter(**{self.return_field: self.new}).values("la_child_id")
        dropped = list(snapshot.filter(**{self.return_field: self.old})
                       .exclude(la_child_id__in=kept)
                       .values_list("la_child_id", flat=True))
        for start in range(0, len(dropped), batch):
            ids = dropped[start:start + batch]
            prior = self._snapshots(self.others, ids)
            old = self._snapshots([self.old.pk], ids)
            remerged: dict[str, Any] = {}
            gone = []
            for lid in ids:
                self.replaced.update(self.return_change(old[lid][0][1], None))
                before = self.merge(prior[lid] + old[lid])
                after = self.merge(prior[lid])
                self.history.update(self.history_change(before, after))
                if after is None:
                    gone.append(lid)
                else:
                    remerged[lid] = after
            self._delete(gone)
            self._store(remerged)

    # The kind's child table, and how a merged child is linked to the child index.
    child_model: type[models.Model]
    link_reason: str  # the involvement's reason; {la} is the LA's old code

    @staticmethod
    @abstractmethod
    def index_values(merged: Any) -> dict:
        """A merged child's latest values in the census's names (UPN, PersonBirthDate...)."""

    @staticmethod
    @abstractmethod
    def first_referral(merged: Any) -> str:
        """The day a merged child's involvement starts, as ISO text."""

    def _replace_and_link(self, merged: dict[str, Any]) -> tuple[dict[str, Any], dict[str, str]]:
        """Clear these children's merged rows and link those new to the history to the index.

        The index is written through children services only. Returns each
        child's index id (None when unlinked) and pseudonym, by LA child ID.
        """
        la, ids = self.la, list(merged)
        child_ids: dict[str, Any] = dict(select_in(
            self.child_model, ("la_child_id", "child"), where={"local_authority": la.pk},
            field="la_child_id", values=ids))
        if child_ids:
            self._delete(list(child_ids))
        pseudonyms = {lid: linking.census_pseudonym(la, lid) for lid in ids}
        fresh = {lid: m for lid, m in merged.items() if lid not in child_ids}
        if fresh:
            linked, counts = children_index_bulk_link(
                actor=self.ctx.actor, partnership=self.ctx.partnership, la=la,
                agency=self.agency, children={lid: self.index_values(m) for lid, m in fresh.items()},
                first_referrals={lid: self.first_referral(m) for lid, m in fresh.items()},
                reason=self.link_reason.format(la=la.old_code), pseudonyms=pseudonyms)
            child_ids.update(linked)
            self.index.update(counts)
        return child_ids, pseudonyms


def load_children(children: Iterable[tuple[str, dict]], *, writer: ReturnWriter | None,
                  log: ProblemLog, batch: int, tally: Callable[[dict], None]) -> None:
    """Count every checked child; write them in batches of ``batch`` while the log has no errors.

    What is still pending when the stream ends is written only if the whole
    return is clean; the caller raises ``failed`` otherwise, and the transaction
    rolls back what was written.
    """
    pending: list[tuple[str, dict]] = []
    for lid, record in children:
        tally(record)
        if writer is not None and not log.has_errors:
            pending.append((lid, record))
            if len(pending) >= batch:
                writer.write(pending)
                pending = []
    if writer is not None and pending and not log.has_errors:
        writer.write(pending)


def loaded_outcome(*, writer: ReturnWriter | None, counts: Counter, described: str,
                   batch: int, **where) -> Outcome:
    """The outcome of a clean return: checked only, or loaded (finishing the writer)."""
    if writer is None:
        return Outcome(status=ImportStatus.CHECKED, counts=dict(counts),
                       summary=f"No errors in {described}. Nothing was loaded: "
                               "this was a check only.", **where)
    writer.finish(batch)
    all_counts = {**counts, "index": dict(writer.index), "history": dict(writer.history)}
    summary = f"Loaded {described}."
    if writer.old is not None:
        all_counts["replaced"] = {"import": writer.old.dataset_import_id, **writer.replaced}
        r = writer.replaced
        summary += (f" It replaces the return loaded by import {writer.old.dataset_import_id}:"
                    f" {r['children_added']:,} children added, {r['children_changed']:,} "
                    f"changed and {r['children_removed']:,} removed.")
    return Outcome(status=ImportStatus.LOADED, counts=all_counts, summary=summary,
                   replaced=writer.old.dataset_import if writer.old else None, **where)
