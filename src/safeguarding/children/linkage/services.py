"""Linking agency records to the child index, and people's decisions on the review queue.

Each write happens in one transaction and is audited through core.audit.
"""

from __future__ import annotations

from collections import Counter
from collections.abc import Iterable, Iterator
from contextlib import contextmanager
from dataclasses import dataclass, field

import polars as pl
from django.core.exceptions import PermissionDenied, ValidationError
from django.db import connection, transaction
from django.db.models import Count, Max, QuerySet
from django.utils import timezone

from safeguarding.children.linkage import pipeline, probabilistic, selectors
from safeguarding.children.linkage.config import LinkageConfig, load_config
from safeguarding.children.models import Child, LinkageModel, LinkCandidate, SourceRecord
from safeguarding.core.audit import AuditEntry, audit_append, audit_append_many
from safeguarding.core.bulk import insert_rows, update_rows
from safeguarding.core.frames import values_frame
from safeguarding.core.models import AuditEvent, User

LINKAGE_PURPOSE = "record linkage"
DECISION_PURPOSE = "linkage decision"

_PERSON_SCHEMA = {
    "first_name": pl.Utf8, "last_name": pl.Utf8, "date_of_birth": pl.Date, "sex": pl.Utf8,
    "postcode": pl.Utf8, "nhs_number": pl.Utf8, "upn": pl.Utf8, "la": pl.Utf8,
    "la_child_id": pl.Utf8,
}
_FIELDS = ["first_name", "last_name", "date_of_birth", "sex", "postcode", "nhs_number", "upn",
           "local_authority_id", "la_child_id"]


@dataclass
class LinkSummary:
    """What one call to ``link_records`` did."""

    links: Counter = field(default_factory=Counter)  # by method
    review_pairs: int = 0
    skipped: int = 0  # already linked, or waiting for a decision
    trained: bool = False

    @property
    def linked(self) -> int:
        return sum(self.links.values())


def _frame(rows: list[tuple], uid: str) -> pl.DataFrame:
    """The pipeline's frame of people: ``uid`` then ``_FIELDS`` (the LA's id as text)."""
    schema = {uid: pl.Utf8, **_PERSON_SCHEMA, "la": pl.Int64}
    return (pl.DataFrame(rows, schema=schema, orient="row")
            .with_columns(pl.col("la").cast(pl.Utf8)))


class _Uids:
    """The ids the pipeline sees: a record's or child's place in id order, never its row id.

    Splink samples pairs for training by a hash of these ids, so giving it the row ids
    would make a link depend on the database's sequence values (what ran before in the
    same database): the same data would link differently. Places in id order are the
    same wherever the same records were written in the same order.
    """

    def __init__(self, prefix: str, ids: Iterable[int]):
        self.uid = {pk: f"{prefix}{n:08d}" for n, pk in enumerate(sorted(ids))}
        self.pk = {uid: pk for pk, uid in self.uid.items()}
        self._frame: pl.DataFrame | None = None

    def frame(self) -> pl.DataFrame:
        """(child_id, child_uid) for joins, made once: a kept index's serves every import."""
        if self._frame is None:
            self._frame = pl.DataFrame(
                {"child_id": list(self.uid), "child_uid": list(self.uid.values())},
                schema={"child_id": pl.Int64, "child_uid": pl.Utf8})
        return self._frame


@dataclass
class _KeptIndex:
    shape: tuple  # the children's count and largest id when read
    frame: pl.DataFrame
    uids: _Uids
    prepared: pl.DataFrame | None = None  # pipeline.for_model(frame), once first asked for


# partnership id -> its index as read, while ``index_kept`` is open; None when it is not.
_kept_index: dict[int, _KeptIndex] | None = None


@contextmanager
def index_kept() -> Iterator[None]:
    """Read each partnership's child index once for a run of imports that add no child,
    such as a batch of agency extracts, and link each import against that copy (and against
    its names, dates and postcodes prepared for scoring once, ``_prepared_children``).

    Reading 1.1 million children took about 5 s, for each of the national demo's 36
    extracts. A child added or removed meanwhile (the count or the largest id changes)
    makes the index be read again; a change to a child's name or date of birth is not
    seen, so no import that edits children belongs inside.
    """
    global _kept_index
    outer = _kept_index
    _kept_index = {} if outer is None else outer
    try:
        yield
    finally:
        _kept_index = outer


def _children_frame(partnership_id: int) -> tuple[pl.DataFrame, _Uids]:
    """Every child of the partnership's index, for the pipeline, in id order (from the
    copy ``index_kept`` holds, when it is open and no child was added or removed)."""
    if _kept_index is None:
        return _read_children_frame(partnership_id)
    counted = Child.objects.filter(partnership_id=partnership_id).aggregate(
        n=Count("pk"), last=Max("pk"))
    shape = (counted["n"], counted["last"])
    kept = _kept_index.get(partnership_id)
    if kept is None or kept.shape != shape:
        frame, uids = _read_children_frame(partnership_id)
        kept = _kept_index[partnership_id] = _KeptIndex(shape, frame, uids)
    return kept.frame, kept.uids


def _prepared_children(partnership_id: int, children: pl.DataFrame) -> pl.DataFrame:
    """``pipeline.for_model`` of the index frame ``children``: made once for the index
    ``index_kept`` holds (0.7 s at 1.1 million children, ``bench/linkage.py --kept-model``)."""
    kept = None if _kept_index is None else _kept_index.get(partnership_id)
    if kept is None or kept.frame is not children:
        return pipeline.for_model(children, "child_uid")
    if kept.prepared is None:
        kept.prepared = pipeline.for_model(children, "child_uid")
    return kept.prepared


def _read_children_frame(partnership_id: int) -> tuple[pl.DataFrame, _Uids]:
    """Every child of the partnership's index, for the pipeline, in id order.

    Read straight into Polars (``core.frames.values_frame``): the index is read again for
    each import, and through the ORM its 600,000 children took longer than the linking.
    """
    kinds = {"first_name": "str", "last_name": "str", "date_of_birth": "date", "sex": "str",
             "postcode": "str", "nhs_number": "str", "upn": "str", "la": "int",
             "la_child_id": "str"}
    frame = values_frame(
        Child.objects.filter(partnership_id=partnership_id).order_by("pk"),
        {"pk": ("pk", "int"), **{name: (field, kinds[name])
                                 for name, field in zip(_PERSON_SCHEMA, _FIELDS, strict=True)}})
    uids = _Uids("c", frame["pk"])
    # Rows come in id order, so a child's place in it is its uid (as _Uids numbers them).
    return frame.with_row_index("n").select(
        ("c" + pl.col("n").cast(pl.Utf8).str.zfill(8)).alias("child_uid"),
        *(pl.col(name).cast(pl.Utf8) if name == "la" else pl.col(name)
          for name in _PERSON_SCHEMA),
    ), uids


def _records_frame(rows: list[tuple]) -> tuple[pl.DataFrame, _Uids]:
    """Agency records for the pipeline, from rows of (pk, *_FIELDS): an empty value is
    missing, and each record is known by its uid (``_Uids``), never its row id."""
    uids = _Uids("r", (row[0] for row in rows))
    return _frame([(uids.uid[row[0]], *(v or None for v in row[1:])) for row in rows],
                  "record_uid"), uids


def _bridges_frame(partnership_id: int, children: _Uids) -> pl.DataFrame:
    """The identifiers the partnership's linked agency records add to their children, in
    the records' id order. Read straight into Polars (``core.frames.values_frame``): every
    import reads them all again, and at national scale they are over a million records."""
    linked = (SourceRecord.objects.filter(partnership_id=partnership_id, child__isnull=False)
              .exclude(nhs_number="", upn="", la_child_id="").order_by("pk"))
    frame = values_frame(linked, {
        "child_id": ("child_id", "int"), "nhs_number": ("nhs_number", "str"),
        "upn": ("upn", "str"), "la": ("local_authority_id", "int"),
        "la_child_id": ("la_child_id", "str")})

    def given(name: str) -> pl.Expr:  # an empty identifier is a missing one
        return pl.when(pl.col(name) != "").then(pl.col(name)).alias(name)

    return frame.join(children.frame(), on="child_id", how="inner", maintain_order="left").select(
        "child_uid", given("nhs_number"), given("upn"), pl.col("la").cast(pl.Utf8),
        given("la_child_id"))


def _exclude_frame(records: _Uids, children: _Uids) -> pl.DataFrame:
    record_ids = list(records.uid)
    rows: list[tuple[str, str]] = []
    for start in range(0, len(record_ids), 5000):
        chunk = record_ids[start:start + 5000]
        rows.extend((records.uid[r], children.uid[c]) for r, c in LinkCandidate.objects.filter(
            source_record_id__in=chunk).values_list("source_record_id", "child_id")
            if c in children.uid)
    return pl.DataFrame(rows, schema={"record_uid": pl.Utf8, "child_uid": pl.Utf8},
                        orient="row")


# What an agency's record says about who the person is (besides its LA, for the LA child ID).
SOURCE_IDENTITY_FIELDS = ("first_name", "last_name", "date_of_birth", "sex", "postcode",
                          "nhs_number", "upn", "la_child_id", "police_reference")


def source_records_save_bulk(*, partnership, agency, source_system: str,
                             people: dict[str, dict]) -> dict[str, SourceRecord]:
    """One agency system's record of each person, created or brought up to date; by key.

    ``people`` maps the person's key in the agency's system to the identity fields
    (``SOURCE_IDENTITY_FIELDS``, blank as "" and a missing date of birth as None) and
    ``local_authority_id`` (the LA of the LA child ID). Records are written in bulk, for
    an import of many thousands of rows; linking them to the index is ``link_records``.
    """
    columns = [*SOURCE_IDENTITY_FIELDS, "local_authority_id"]
    keys = list(people)
    found: dict[str, SourceRecord] = {}

    def read(keys: list[str]) -> None:
        for start in range(0, len(keys), 5000):
            for source in SourceRecord.objects.filter(
                    agency=agency, source_system=source_system,
                    source_key__in=keys[start:start + 5000]):
                found[source.source_key] = source

    read(keys)
    new: list[tuple] = []
    changed: list[SourceRecord] = []
    now = connection.ops.adapt_datetimefield_value(timezone.now())
    for key, identity in people.items():
        wanted = {name: identity.get(name) for name in columns}
        existing = found.get(key)
        if existing is None:
            born = wanted["date_of_birth"]
            wanted["date_of_birth"] = born.isoformat() if born else None
            new.append((partnership.pk, agency.pk, source_system, key,
                        *(wanted[name] for name in columns), "", now, now))
        elif any(getattr(existing, k) != v for k, v in wanted.items()):
            for k, v in wanted.items():
                setattr(existing, k, v)
            changed.append(existing)
    # Built as rows, not instances: a first extract creates most of its people's records.
    insert_rows(SourceRecord, ["partnership", "agency", "source_system", "source_key",
                               *columns, "link_method", "created_at", "updated_at"], new)
    if changed:
        update_rows(SourceRecord, [*SOURCE_IDENTITY_FIELDS, "local_authority"],
                    ((r.pk, *(getattr(r, name) for name in SOURCE_IDENTITY_FIELDS),
                      r.local_authority_id) for r in changed))
    if new:  # the records just made, with their ids
        read([row[3] for row in new])
    return found


def _records_to_link(records: Iterable[SourceRecord] | QuerySet) -> tuple[list[SourceRecord], int]:
    records = list(records)
    ids = [r.pk for r in records]
    waiting: set[int] = set()
    for start in range(0, len(ids), 5000):
        waiting.update(LinkCandidate.objects.filter(
            source_record_id__in=ids[start:start + 5000], status=LinkCandidate.Status.PENDING,
        ).values_list("source_record_id", flat=True))
    todo = [r for r in records if r.child_id is None and r.pk not in waiting]
    return todo, len(records) - len(todo)


def link_records(records: Iterable[SourceRecord] | QuerySet, *, actor: User | None = None,
                 train: bool | str = "auto", config: LinkageConfig | None = None) -> LinkSummary:
    """Link agency records to their partnership's child index.

    Identifier matches first (NHS number, else UPN, else LA and LA child ID,
    against the index and against records already linked), then Splink for the
    rest: at or above the accept threshold the record is linked; between review
    and accept each candidate child goes to the review queue; below, nothing.

    Records already linked, or with a candidate waiting for a decision, are
    left alone. A pair once proposed (and so any rejected pair) is never
    proposed again. ``actor`` is the importer's user, or None for the system.
    """
    config = config or load_config()
    todo, skipped = _records_to_link(records)
    summary = LinkSummary(skipped=skipped)
    by_partnership: dict[int, list[SourceRecord]] = {}
    for record in todo:
        by_partnership.setdefault(record.partnership_id, []).append(record)
    for partnership_id, batch in by_partnership.items():
        _link_partnership(partnership_id, batch, actor=actor, train=train, config=config,
                          summary=summary)
    return summary


def _link_partnership(partnership_id: int, batch: list[SourceRecord], *, actor: User | None,
                      train: bool | str, config: LinkageConfig, summary: LinkSummary) -> None:
    batch = sorted(batch, key=lambda r: r.pk)
    records, record_uids = _records_frame(
        [(r.pk, *(getattr(r, f) for f in _FIELDS)) for r in batch])
    children, child_uids = _children_frame(partnership_id)
    kept = selectors.kept_model(partnership_id, children=children.height, config=config)
    reason: str | None = LinkageModel.Reason.ASKED if train is True else None
    if train == "auto":
        reason = _stale(kept, partnership_id, children=children.height, config=config)
        train = reason is not None and (
            min(children.height, records.height) >= config.train_min_records)
    result = pipeline.run(
        children, records, config=config, bridges=_bridges_frame(partnership_id, child_uids),
        exclude=_exclude_frame(record_uids, child_uids), train=train,
        model=None if train or kept is None else kept.settings,
        prepared_children=_prepared_children(partnership_id, children),
    )
    summary.trained = summary.trained or result.trained
    if result.model is not None:
        _keep_model(partnership_id, result.model, children=children.height,
                    records=records.height, reason=reason or LinkageModel.Reason.ASKED,
                    actor=actor, config=config)
    by_id = {r.pk: r for r in batch}
    now = timezone.now()
    with transaction.atomic():
        linked = []
        entries = []
        for link in result.links:
            record = by_id[record_uids.pk[link["record_uid"]]]
            record.child_id = child_uids.pk[link["child_uid"]]
            record.link_method = link["method"]
            record.match_probability = link["match_probability"]
            record.linked_at = now
            linked.append(record)
            summary.links[link["method"]] += 1
            entries.append(AuditEntry(
                AuditEvent.Action.UPDATE, "children.sourcerecord", str(record.pk), LINKAGE_PURPOSE,
                {"child": record.child_id, "method": record.link_method,
                 "match_probability": record.match_probability,
                 "evidence": link["evidence"]}))
        update_rows(SourceRecord, ["child", "link_method", "match_probability", "linked_at"],
                    ((r.pk, r.child_id, r.link_method, r.match_probability, r.linked_at)
                     for r in linked))
        candidates = LinkCandidate.objects.bulk_create([
            LinkCandidate(source_record_id=record_uids.pk[item["record_uid"]],
                          child_id=child_uids.pk[item["child_uid"]],
                          match_probability=item["match_probability"], evidence=item["evidence"])
            for item in result.reviews
        ], batch_size=2000)
        summary.review_pairs += len(candidates)
        entries.extend(
            AuditEntry(AuditEvent.Action.CREATE, "children.linkcandidate", str(c.pk),
                       LINKAGE_PURPOSE, {"source_record": c.source_record_id, "child": c.child_id,
                                         "match_probability": c.match_probability})
            for c in candidates if c.pk is not None
        )
        audit_append_many(actor=actor, entries=entries)


def _stale(kept: LinkageModel | None, partnership_id: int, *, children: int,
           config: LinkageConfig) -> str | None:
    """Why the partnership's model should be trained again, or None to use ``kept``."""
    if kept is None:
        if LinkageModel.objects.filter(partnership_id=partnership_id).exists():
            return LinkageModel.Reason.SETTINGS_CHANGED
        return LinkageModel.Reason.FIRST
    if abs(children - kept.children) > config.retrain_when_index_changes_by * kept.children:
        return LinkageModel.Reason.INDEX_CHANGED
    return None


def _keep_model(partnership_id: int, settings: dict, *, children: int, records: int,
                reason: str, actor: User | None, config: LinkageConfig) -> LinkageModel:
    model = LinkageModel.objects.create(
        partnership_id=partnership_id, settings=settings, children=children, records=records,
        config_digest=probabilistic.model_digest(config, children=children), reason=reason,
        trained_by=actor if actor is not None and actor.is_authenticated else None)
    audit_append(actor=actor, action=AuditEvent.Action.CREATE, object_type="children.linkagemodel",
                 object_id=str(model.pk), purpose=LINKAGE_PURPOSE,
                 detail={"children": children, "records": records, "reason": reason})
    return model


def linkage_model_train(*, actor: User | None, partnership, config: LinkageConfig | None = None,
                        max_records: int = 200_000) -> LinkageModel:
    """Train the partnership's model now, on its index and its agency records (the
    newest ``max_records``), and keep it for the imports that follow.

    Refused when either side has fewer than ``train_min_records``: the estimates
    would be unstable, and imports would do better with the priors.
    """
    config = config or load_config()
    children, _ = _children_frame(partnership.pk)
    records, _ = _records_frame(list(
        SourceRecord.objects.filter(partnership=partnership).order_by("-pk")
        .values_list("pk", *_FIELDS)[:max_records]))
    least = config.train_min_records
    if min(children.height, records.height) < least:
        raise ValidationError(
            f"Training needs at least {least:,} children in the index and {least:,} agency "
            f"records; {partnership.code} has {children.height:,} children and "
            f"{records.height:,} records. Until then imports use the starting values in "
            f"the linkage settings.")
    settings = probabilistic.train_model(
        pipeline.for_model(children, "child_uid"), pipeline.for_model(records, "record_uid"),
        config=config)
    return _keep_model(partnership.pk, settings, children=children.height,
                       records=records.height, reason=LinkageModel.Reason.ASKED, actor=actor,
                       config=config)


def candidate_decide(*, actor: User, candidate: LinkCandidate, accept: bool) -> LinkCandidate:
    """Accept (link the record to the child) or reject a pending candidate; audited.

    Accepting closes the record's other pending candidates as rejected. A
    rejected pair is never proposed again. A refusal is audited too (outside
    the decision's transaction, so the row survives the refusal).
    """
    candidate = LinkCandidate.objects.select_related("source_record").get(pk=candidate.pk)
    if not actor.has_perm("children.decide_link", candidate):
        audit_append(actor=actor, action=AuditEvent.Action.DENIED,
                     object_type="children.linkcandidate", object_id=str(candidate.pk),
                     purpose=DECISION_PURPOSE)
        raise PermissionDenied
    return _decide(actor=actor, candidate_id=candidate.pk, accept=accept)


@transaction.atomic
def _decide(*, actor: User, candidate_id: int, accept: bool) -> LinkCandidate:
    candidate = (LinkCandidate.objects.select_for_update()
                 .select_related("child").get(pk=candidate_id))
    if candidate.status != LinkCandidate.Status.PENDING:
        raise ValidationError("Someone has already decided on this pair")
    record = SourceRecord.objects.select_for_update().get(pk=candidate.source_record_id)
    if candidate.child.partnership_id != record.partnership_id:
        raise ValidationError("The child and the agency record belong to different partnerships")
    now = timezone.now()
    entries = []
    if accept:
        if record.child_id is not None and record.child_id != candidate.child_id:
            raise ValidationError("The agency record has already been linked to another child")
        record.child_id = candidate.child_id
        record.link_method = SourceRecord.LinkMethod.REVIEWED
        record.match_probability = candidate.match_probability
        record.linked_at = now
        record.save(update_fields=["child", "link_method", "match_probability", "linked_at",
                                   "updated_at"])
        candidate.status = LinkCandidate.Status.ACCEPTED
        others = list(LinkCandidate.objects.select_for_update().filter(
            source_record_id=record.pk, status=LinkCandidate.Status.PENDING,
        ).exclude(pk=candidate.pk))
        for other in others:
            other.status = LinkCandidate.Status.REJECTED
            other.decided_by = actor
            other.decided_at = now
            entries.append(AuditEntry(
                AuditEvent.Action.UPDATE, "children.linkcandidate", str(other.pk),
                DECISION_PURPOSE, {"decision": "rejected", "source_record": record.pk,
                                   "child": other.child_id,
                                   "reason": f"candidate {candidate.pk} accepted"}))
        LinkCandidate.objects.bulk_update(others, ["status", "decided_by", "decided_at"])
    else:
        candidate.status = LinkCandidate.Status.REJECTED
    candidate.decided_by = actor
    candidate.decided_at = now
    candidate.save(update_fields=["status", "decided_by", "decided_at"])
    entries.insert(0, AuditEntry(
        AuditEvent.Action.UPDATE, "children.linkcandidate", str(candidate.pk), DECISION_PURPOSE,
        {"decision": candidate.status, "source_record": record.pk, "child": candidate.child_id,
         "match_probability": candidate.match_probability}))
    audit_append_many(actor=actor, entries=entries)
    return candidate
