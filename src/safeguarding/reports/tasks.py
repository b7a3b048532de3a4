"""Background work: render a published report's PDF from its frozen HTML."""

from __future__ import annotations

from django_tasks import task


@task()
def render_published_pdf(published_id: int) -> dict:
    from safeguarding.reports import pdf, selectors, services
    from safeguarding.reports.models import PublishedReport

    published = PublishedReport.objects.select_related("partnership").get(pk=published_id)
    period = selectors.report_year(published.year)
    data = pdf.render_pdf(published.html, {"title": f"Yearly report {period.label}",
                                           "partnership": published.partnership,
                                           "period": period})
    services.published_pdf_store(published, data)
    return {"published": published_id, "bytes": len(data)}
