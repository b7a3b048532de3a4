"""Writes for the yearly report: narrative versions, publishing, the record of where the
published report was sent. Commitments are kept by governance (core.signals.report_published)."""

from __future__ import annotations

import hashlib

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import IntegrityError, transaction
from django.utils import timezone

from safeguarding.core import signals
from safeguarding.core.audit import audit_append
from safeguarding.core.models import AuditEvent, Partnership, User
from safeguarding.reports import builder, narrative, selectors
from safeguarding.reports.models import (
    Block,
    NarrativeVersion,
    PublishedReport,
    ReportSend,
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
    drafts = [narrative.spec(b).label for b, v in versions.items()
              if v is None and narrative.required(b)]
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
    focus = focus_commitments(versions)
    made = sum(len(lines) for _key, _title, lines in focus)
    audit_append(actor=actor, action=AuditEvent.Action.CREATE,
                 object_type="reports.publishedreport", object_id=str(published.pk),
                 purpose="publish the yearly report",
                 detail={"partnership": partnership.code, "year": period.label,
                         "number": number, "sha256": published.content_hash,
                         "commitments": made})
    # The app keeping the business plan (governance) makes the commitments, in this
    # transaction, so a failed publication makes none.
    signals.report_published.send(sender=PublishedReport, partnership=partnership,
                                  year=period.label, number=number, actor=actor, focus=focus)
    from safeguarding.reports.tasks import render_published_pdf

    transaction.on_commit(lambda: render_published_pdf.enqueue(published.pk))
    return published


def focus_commitments(versions: dict) -> list[tuple[str, str, list[str]]]:
    """(section key, section title, commitment lines) for every focus block written."""
    found = []
    for block, section in narrative.FOCUS_BLOCKS.items():
        version = versions.get(block)
        lines = narrative.commitments_in(version.text) if version is not None else []
        if lines:
            title = ("The partnership" if block == Block.FOCUS
                     else narrative.spec(block).label.split(":")[0])
            found.append((section, title, lines))
    return found


@transaction.atomic
def report_send_record(*, actor: User, partnership: Partnership, year: str, recipient: str,
                       sent_on, published_url: str = "") -> ReportSend:
    """Record that the published report was sent to the Panel or the What Works Centre
    (a second record for the same recipient replaces the date)."""
    if not actor.has_perm("reports.publish", partnership):
        raise PermissionDenied
    year = _year(year)
    if recipient not in ReportSend.Recipient.values:
        raise ValidationError({"recipient": ["Choose who it was sent to"]})
    first = selectors.first_publication(partnership, year)
    if first is None:
        raise ValidationError("Publish the report before recording where it was sent")
    if sent_on < timezone.localtime(first.published_at).date():
        raise ValidationError({"sent_on": ["The date sent must be on or after the day the "
                                           "report was published"]})
    if sent_on > timezone.localdate():
        raise ValidationError({"sent_on": ["The date sent cannot be in the future"]})
    send, _created = ReportSend.objects.update_or_create(
        partnership=partnership, year=year, recipient=recipient,
        defaults={"sent_on": sent_on, "published_url": (published_url or "").strip(),
                  "recorded_by": actor, "recorded_at": timezone.now()})
    audit_append(actor=actor, action=AuditEvent.Action.UPDATE,
                 object_type="reports.reportsend", object_id=str(send.pk),
                 purpose="record where the yearly report was sent",
                 detail={"partnership": partnership.code, "year": year,
                         "recipient": recipient, "sent_on": sent_on.isoformat()})
    return send


def published_pdf_store(published: PublishedReport, pdf: bytes) -> None:
    PublishedReport.objects.filter(pk=published.pk).update(pdf=pdf,
                                                           pdf_rendered_at=timezone.now())
