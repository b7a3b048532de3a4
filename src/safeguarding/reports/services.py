"""Writes for the yearly report: narrative versions, publishing, commitments."""

from __future__ import annotations

import hashlib

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import IntegrityError, transaction
from django.utils import timezone

from safeguarding.core.audit import audit_append
from safeguarding.core.models import AuditEvent, Partnership, User
from safeguarding.reports import builder, narrative, selectors
from safeguarding.reports.models import (
    Block,
    Commitment,
    CommitmentStatus,
    NarrativeVersion,
    PublishedReport,
)

MAX_NARRATIVE = 20_000


def _year(year: str) -> str:
    try:
        return selectors.report_year(year).label
    except selectors.ReportYearError as error:
        raise ValidationError({"year": [str(error)]}) from None


def narrative_save(*, actor: User, partnership: Partnership, year: str, block: str, text: str,
                   note: str = "") -> NarrativeVersion:
    """Save a block's text as its next version; earlier versions stay as they were."""
    if not actor.has_perm("reports.edit_narrative", partnership):
        raise PermissionDenied
    year = _year(year)
    if block not in Block.values:
        raise ValidationError({"block": [f"No narrative block '{block}'"]})
    text = (text or "").replace("\r\n", "\n").strip()
    if not text:
        raise ValidationError({"text": ["Enter the text"]})
    if len(text) > MAX_NARRATIVE:
        raise ValidationError({"text": [f"The text must be {MAX_NARRATIVE:,} characters or "
                                        "fewer"]})
    current = selectors.current_narrative(partnership, year)[block]
    if current is not None and current.text == text:
        raise ValidationError({"text": ["The text is the same as the current version: change "
                                        "it, or cancel"]})
    for _attempt in range(3):
        try:
            with transaction.atomic():
                version = NarrativeVersion.objects.create(
                    partnership=partnership, year=year, block=block,
                    number=selectors.next_narrative_number(partnership, year, block),
                    text=text, note=(note or "").strip()[:200], created_by=actor,
                    created_at=timezone.now())
                audit_append(actor=actor, action=AuditEvent.Action.CREATE,
                             object_type="reports.narrativeversion", object_id=str(version.pk),
                             purpose="write the yearly report",
                             detail={"partnership": partnership.code, "year": year,
                                     "block": block, "number": version.number})
            return version
        except IntegrityError:
            continue  # someone saved the same block at the same moment: take the next number
    raise ValidationError("Someone else is saving this block: try again")


def narrative_restore(*, actor: User, version: NarrativeVersion) -> NarrativeVersion:
    """Make an old version current again, as a new version (history is never rewritten)."""
    return narrative_save(actor=actor, partnership=version.partnership, year=version.year,
                          block=version.block, text=version.text,
                          note=f"Restored version {version.number}")


@transaction.atomic
def report_publish(*, actor: User, partnership: Partnership, year: str) -> PublishedReport:
    """Freeze the report as it is now: its HTML, narrative versions and figures.

    Every narrative block must have been written (no draft placeholder may be
    published). The bulleted lines of the focus block become commitments for the
    next year's report. The PDF is rendered afterwards by a background task.
    """
    if not actor.has_perm("reports.publish", partnership):
        raise PermissionDenied
    period = selectors.report_year(_year(year))
    versions = selectors.current_narrative(partnership, period.label)
    drafts = [narrative.spec(b).label for b, v in versions.items() if v is None]
    if drafts:
        raise ValidationError(
            "Write every narrative block before publishing. Still draft: " + ", ".join(drafts))
    # One publisher at a time per partnership, so version numbers follow each other.
    Partnership.objects.select_for_update().filter(pk=partnership.pk).first()
    latest = selectors.latest_publication(partnership, period.label)
    number = latest.number + 1 if latest is not None else 1
    now = timezone.now()
    report = builder.build(partnership, period, narrative=versions,
                           published={"number": number, "at": timezone.localtime(now)})
    html = builder.render_body(report)
    published = PublishedReport.objects.create(
        partnership=partnership, year=period.label, number=number, html=html,
        content_hash=hashlib.sha256(html.encode()).hexdigest(), figures=report.figures_data(),
        published_by=actor, published_at=now)
    published.narrative_versions.set(report.narrative_versions())
    focus = versions[Block.FOCUS]
    made = _commitments_sync(published, focus.text if focus is not None else "")
    audit_append(actor=actor, action=AuditEvent.Action.CREATE,
                 object_type="reports.publishedreport", object_id=str(published.pk),
                 purpose="publish the yearly report",
                 detail={"partnership": partnership.code, "year": period.label,
                         "number": number, "sha256": published.content_hash,
                         "commitments": made})
    from safeguarding.reports.tasks import render_published_pdf

    transaction.on_commit(lambda: render_published_pdf.enqueue(published.pk))
    return published


def _commitments_sync(published: PublishedReport, focus_text: str) -> int:
    """Commitments for the year follow the newest publication's focus block. Ones nobody
    has updated yet are replaced; ones with recorded progress are kept."""
    lines = narrative.commitments_in(focus_text)
    existing = {c.text: c for c in Commitment.objects.filter(
        partnership=published.partnership, year_made=published.year)}
    for position, text in enumerate(lines):
        found = existing.pop(text, None)
        if found is None:
            Commitment.objects.create(partnership=published.partnership,
                                      year_made=published.year, position=position, text=text,
                                      made_in=published)
        else:
            found.position = position
            found.save(update_fields=["position"])
    for gone in existing.values():
        if not gone.touched:
            gone.delete()
    return len(lines)


@transaction.atomic
def commitment_update(*, actor: User, commitment: Commitment, status: str,
                      evidence: str) -> Commitment:
    if not actor.has_perm("reports.update_commitments", commitment.partnership):
        raise PermissionDenied
    if status not in CommitmentStatus.values:
        raise ValidationError({"status": ["Choose a status"]})
    evidence = (evidence or "").strip()
    if status == CommitmentStatus.DONE and not evidence:
        raise ValidationError({"evidence": ["Say what shows it was done"]})
    commitment.status = status
    commitment.evidence = evidence
    commitment.updated_by = actor
    commitment.updated_at = timezone.now()
    commitment.save(update_fields=["status", "evidence", "updated_by", "updated_at"])
    audit_append(actor=actor, action=AuditEvent.Action.UPDATE,
                 object_type="reports.commitment", object_id=str(commitment.pk),
                 purpose="track a yearly report commitment", detail={"status": status})
    return commitment


def published_pdf_store(published: PublishedReport, pdf: bytes) -> None:
    PublishedReport.objects.filter(pk=published.pk).update(pdf=pdf,
                                                           pdf_rendered_at=timezone.now())
