"""Reads for the review queue. Identifiable records leave here only through core.access."""

from __future__ import annotations

from dataclasses import dataclass

from django.db.models import QuerySet
from django.http import Http404

from safeguarding.children.linkage import normalise, probabilistic
from safeguarding.children.linkage.config import LinkageConfig, load_config
from safeguarding.children.linkage.rules import LINKAGE_REVIEWERS
from safeguarding.children.models import Child, LinkageModel, LinkCandidate, SourceRecord
from safeguarding.core import access
from safeguarding.core.models import Partnership, User
from safeguarding.core.rules import partnerships_where

REVIEW_PURPOSE = "linkage review"


def review_queue(*, actor: User) -> QuerySet[LinkCandidate]:
    """Pending pairs for the partnerships where the actor is the business unit.

    The list shows no names or dates of birth (agency, system, key, score and
    which fields agree), so it reads no identifiable record; opening a pair does.
    """
    partnerships = partnerships_where(actor, LINKAGE_REVIEWERS)
    return (LinkCandidate.objects
            .filter(status=LinkCandidate.Status.PENDING,
                    source_record__partnership_id__in=partnerships)
            .select_related("source_record__agency", "source_record__partnership")
            .order_by("-match_probability", "created_at", "pk"))


@dataclass
class ModelInUse:
    """The model a partnership's next import will score with (None: the priors)."""

    partnership: Partnership
    children: int  # in the index now
    model: LinkageModel | None
    retrain_share: float
    train_min_records: int

    @property
    def retrain_percent(self) -> int:
        return round(self.retrain_share * 100)


def kept_model(partnership_id: int, *, children: int,
               config: LinkageConfig) -> LinkageModel | None:
    """The partnership's newest model trained under the present settings, if any."""
    return (LinkageModel.objects.filter(
        partnership_id=partnership_id,
        config_digest=probabilistic.model_digest(config, children=children))
        .order_by("-trained_at", "-pk").first())


def models_in_use(*, actor: User | None = None, partnerships=None,
                  config: LinkageConfig | None = None) -> list[ModelInUse]:
    """For each partnership whose queue the actor works (or each of ``partnerships``
    when there is no actor: the command line), the model its imports link with.
    Counts and model parameters only: no identifiable record is read."""
    config = config or load_config()
    if partnerships is None:
        partnerships = Partnership.objects.filter(
            pk__in=partnerships_where(actor, LINKAGE_REVIEWERS)).order_by("name")
    out = []
    for partnership in partnerships:
        children = Child.objects.filter(partnership=partnership).count()
        out.append(ModelInUse(
            partnership=partnership, children=children,
            model=kept_model(partnership.pk, children=children, config=config),
            retrain_share=config.retrain_when_index_changes_by,
            train_min_records=config.train_min_records))
    return out


@dataclass
class FieldComparison:
    label: str
    record_value: str
    child_value: str
    level: str  # the comparison level, or "" for identifiers and fields not in the model
    agreement: str  # "agrees", "partly", "differs", "missing"
    description: str


@dataclass
class Comparison:
    candidate: LinkCandidate
    record: SourceRecord
    child: Child
    fields: list[FieldComparison]
    conflicts: list[str]


def _agreement(level: str) -> str:
    if level == probabilistic.MISSING:
        return "missing"
    if level == "exact":
        return "agrees"
    return "differs" if level == "different" else "partly"


def evidence_summary(evidence: dict | None) -> dict[str, list[str]]:
    """Field labels grouped by agreement, for the queue list: {"agrees": [...], ...}."""
    summary: dict[str, list[str]] = {"agrees": [], "partly": [], "differs": [], "missing": []}
    for name, level in ((evidence or {}).get("fields") or {}).items():
        if name in probabilistic.COMPARISONS:
            summary[_agreement(level)].append(probabilistic.COMPARISONS[name]["label"].lower())
    return summary


def _identifier_row(label: str, record_value: str, child_value: str) -> FieldComparison:
    if not record_value and not child_value:
        agreement, description = "missing", "Not recorded on either side"
    elif not record_value or not child_value:
        agreement, description = "missing", "Missing on one side"
    elif record_value == child_value:
        agreement, description = "agrees", "Same"
    else:
        agreement, description = "differs", "Different"
    return FieldComparison(label, record_value or "Not recorded", child_value or "Not recorded",
                           "", agreement, description)


def _date(value) -> str:
    return value.strftime("%-d %B %Y") if value else "Not recorded"


def comparison_rows(candidate: LinkCandidate, record: SourceRecord,
                    child: Child) -> list[FieldComparison]:
    fields = (candidate.evidence or {}).get("fields") or {}
    values = {
        "first_name": (record.first_name, child.first_name),
        "last_name": (record.last_name, child.last_name),
        "date_of_birth": (_date(record.date_of_birth), _date(child.date_of_birth)),
        "sex": (record.get_sex_display() if record.sex else "", child.get_sex_display()),
        "postcode": (normalise.clean_postcode(record.postcode) or "",
                     normalise.clean_postcode(child.postcode) or ""),
    }
    rows = []
    for name, spec in probabilistic.COMPARISONS.items():
        record_value, child_value = values[name]
        level = fields.get(name, "")
        if level and not (level == probabilistic.MISSING and not record_value
                          and not child_value):
            description = probabilistic.level_label(name, level)
            agreement = _agreement(level)
        else:
            row = _identifier_row(spec["label"], record_value, child_value)
            description, agreement = row.description, row.agreement
        rows.append(FieldComparison(spec["label"], record_value or "Not recorded",
                                    child_value or "Not recorded", level, agreement, description))
    rows.append(_identifier_row("NHS number", record.nhs_number, child.nhs_number))
    rows.append(_identifier_row("UPN", record.upn, child.upn))
    rows.append(_identifier_row(
        "LA child ID",
        f"{record.la_child_id} ({record.local_authority})" if record.la_child_id else "",
        f"{child.la_child_id} ({child.local_authority})" if child.la_child_id else ""))
    return rows


def candidate_for_review(*, actor: User, candidate_id: int) -> Comparison:
    """Both records of a pending pair, side by side; each read audited (or refused)."""
    candidate = (LinkCandidate.objects
                 .select_related("source_record__agency", "source_record__partnership",
                                 "source_record__local_authority", "child__partnership",
                                 "child__local_authority", "decided_by")
                 .filter(pk=candidate_id).first())
    if candidate is None:
        raise Http404("No such pair")
    record = access.read_one(actor=actor, obj=candidate.source_record,
                             permission="children.view_source_record", purpose=REVIEW_PURPOSE)
    child = access.read_one(actor=actor, obj=candidate.child, permission="children.view_child",
                            purpose=REVIEW_PURPOSE)
    conflicts = list((candidate.evidence or {}).get("identifier_conflicts") or [])
    return Comparison(candidate, record, child, comparison_rows(candidate, record, child),
                      conflicts)
