"""The yearly report pages: choose, preview, write, publish, read published versions."""

from __future__ import annotations

from django.contrib import messages
from django.core.exceptions import PermissionDenied, ValidationError
from django.http import Http404, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.utils.text import slugify
from django.views.decorators.http import require_http_methods
from rules.contrib.views import permission_required

from safeguarding.core import modules
from safeguarding.core.forms_govuk import apply_service
from safeguarding.core.models import Partnership
from safeguarding.reports import annex, builder, narrative, pdf, selectors, services
from safeguarding.reports.forms import ChooseForm, NarrativeForm, PublishForm, SendForm
from safeguarding.reports.models import Block


def _partnership(request, code: str, permission: str) -> Partnership:
    partnership = get_object_or_404(Partnership, code=code)
    if not request.user.has_perm(permission, partnership):
        raise PermissionDenied
    return partnership


def _period(year: str):
    try:
        return selectors.report_year(year)
    except selectors.ReportYearError:
        raise Http404("No such reporting year") from None


def _block(block: str) -> str:
    if block not in Block.values:
        raise Http404("No such narrative block")
    return block


def _context(request, partnership, period, **extra) -> dict:
    user = request.user
    return {"partnership": partnership, "period": period, "year": period.label,
            "can_edit": user.has_perm("reports.edit_narrative", partnership),
            "can_publish": user.has_perm("reports.publish", partnership), **extra}


def _pdf_response(data: bytes, name: str) -> HttpResponse:
    response = HttpResponse(data, content_type="application/pdf")
    response["Content-Disposition"] = f'attachment; filename="{name}"'
    return response


@permission_required("reports.open", raise_exception=True)
def home(request):
    partnerships = list(selectors.readable_partnerships(request.user))
    if not partnerships:
        raise PermissionDenied
    years = selectors.year_choices()
    form = ChooseForm(request.GET or None, partnerships=partnerships, years=years)
    if request.GET and form.is_valid():
        return redirect("reports:report", code=form.cleaned_data["partnership"],
                        year=form.cleaned_data["year"])
    published = {p.pk: list(selectors.publications_for(p)) for p in partnerships}
    return render(request, "reports/home.html", {
        "form": form, "partnerships": [(p, published[p.pk]) for p in partnerships]})


def report(request, code, year):
    partnership = _partnership(request, code, "reports.preview")
    period = _period(year)
    built = builder.build(partnership, period)
    return render(request, "reports/report.html", _context(
        request, partnership, period, report=built, body=builder.render_body(built),
        commitments_year=period.previous().label))


def report_pdf(request, code, year):
    partnership = _partnership(request, code, "reports.preview")
    period = _period(year)
    built = builder.build(partnership, period)
    data = pdf.render_pdf(builder.render_body(built), pdf.meta(built))
    return _pdf_response(data, f"{slugify(partnership.code)}-yearly-report-{period.label}"
                               "-draft.pdf")


def narrative_list(request, code, year):
    partnership = _partnership(request, code, "reports.edit_narrative")
    period = _period(year)
    current = selectors.current_narrative(partnership, period.label)
    blocks = [(narrative.spec(b), current[b]) for b in Block.values]
    return render(request, "reports/narrative_list.html", _context(
        request, partnership, period, blocks=blocks))


@require_http_methods(["GET", "POST"])
def narrative_edit(request, code, year, block):
    partnership = _partnership(request, code, "reports.edit_narrative")
    period = _period(year)
    spec = narrative.spec(_block(block))
    current = selectors.current_narrative(partnership, period.label)[block]
    form = NarrativeForm(request.POST if request.method == "POST" else None, label=spec.label,
                         guidance=spec.guidance, initial={"text": current.text if current else ""})
    if request.method == "POST" and form.is_valid():
        version = apply_service(form, lambda: services.narrative_save(
            actor=request.user, partnership=partnership, year=period.label, block=block,
            **form.cleaned_data))
        if version is not None:
            messages.success(request, f"{spec.label}: saved as version {version.number}")
            return redirect("reports:narrative", code=code, year=period.label)
    return render(request, "reports/narrative_edit.html", _context(
        request, partnership, period, form=form, spec=spec, current=current))


def narrative_history(request, code, year, block):
    partnership = _partnership(request, code, "reports.edit_narrative")
    period = _period(year)
    spec = narrative.spec(_block(block))
    return render(request, "reports/narrative_history.html", _context(
        request, partnership, period, spec=spec,
        versions=selectors.narrative_history(partnership, period.label, block)))


@require_http_methods(["GET", "POST"])
def narrative_version(request, code, year, block, number):
    partnership = _partnership(request, code, "reports.edit_narrative")
    period = _period(year)
    spec = narrative.spec(_block(block))
    version = selectors.narrative_version(partnership, period.label, block, number)
    if version is None:
        raise Http404("No such version")
    current = selectors.current_narrative(partnership, period.label)[block]
    if request.method == "POST":
        try:
            restored = services.narrative_restore(actor=request.user, version=version)
        except ValidationError as error:
            messages.error(request, " ".join(error.messages))
        else:
            messages.success(request, f"{spec.label}: version {number} restored as version "
                                      f"{restored.number}")
            return redirect("reports:narrative", code=code, year=period.label)
    return render(request, "reports/narrative_version.html", _context(
        request, partnership, period, spec=spec, version=version,
        is_current=current is not None and current.pk == version.pk,
        html=narrative.render(version.text),
        publications=version.publications.order_by("number")))


@require_http_methods(["GET", "POST"])
def publish(request, code, year):
    partnership = _partnership(request, code, "reports.publish")
    period = _period(year)
    current = selectors.current_narrative(partnership, period.label)
    drafts = [narrative.spec(b) for b, v in current.items()
              if v is None and narrative.required(b)]
    form = PublishForm(request.POST if request.method == "POST" else None)
    if request.method == "POST" and form.is_valid():
        published = apply_service(form, lambda: services.report_publish(
            actor=request.user, partnership=partnership, year=period.label))
        if published is not None:
            messages.success(request, f"Version {published.number} of the {period.label} "
                                      "report is published")
            return redirect("reports:published", code=code, year=period.label,
                            number=published.number)
    return render(request, "reports/publish.html", _context(
        request, partnership, period, form=form, drafts=drafts,
        commitments=[line for _k, _t, lines in services.focus_commitments(current)
                     for line in lines],
        next_year=period.end.year, publications=selectors.publications(partnership,
                                                                        period.label)))


def published_list(request, code, year):
    partnership = _partnership(request, code, "reports.view_published")
    period = _period(year)
    return render(request, "reports/published_list.html", _context(
        request, partnership, period,
        publications=selectors.publications(partnership, period.label)))


def published(request, code, year, number):
    partnership = _partnership(request, code, "reports.view_published")
    period = _period(year)
    found = selectors.publication(partnership, period.label, number)
    if found is None:
        raise Http404("No such published version")
    return render(request, "reports/published.html", _context(
        request, partnership, period, published=found,
        versions=[(Block(v.block).label, v) for v in sorted(
            found.narrative_versions.select_related("created_by"),
            key=lambda v: Block.values.index(v.block))]))


def published_pdf(request, code, year, number):
    partnership = _partnership(request, code, "reports.view_published")
    period = _period(year)
    found = selectors.publication(partnership, period.label, number)
    if found is None:
        raise Http404("No such published version")
    data = bytes(found.pdf) if found.pdf else None
    if data is None:  # the background task has not run yet: render it now, once
        data = pdf.render_pdf(found.html, {"title": f"Yearly report {period.label}",
                                           "partnership": partnership, "period": period})
        services.published_pdf_store(found, data)
    return _pdf_response(data, f"{slugify(partnership.code)}-yearly-report-{period.label}"
                               f"-v{found.number}.pdf")


def commitments(request, code, year):
    """The commitments the year's report made, with their outcome so far. They are kept,
    owned and updated in the business plan (governance), which each row links to."""
    partnership = _partnership(request, code, "reports.preview")
    period = _period(year)
    made = modules.report_commitments(partnership, period.label)
    return render(request, "reports/commitments.html", _context(
        request, partnership, period, made=made or [], kept_anywhere=made is not None,
        next_year=selectors.report_year(f"{period.end.year}-{str(period.end.year + 1)[2:]}")))


@require_http_methods(["GET", "POST"])
def sends(request, code, year):
    """The record of publication: when the report was published, and when it was sent to
    the national Panel and the What Works Centre."""
    partnership = _partnership(request, code, "reports.publish")
    period = _period(year)
    form = SendForm(request.POST if request.method == "POST" else None)
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        if apply_service(form, lambda: services.report_send_record(
                actor=request.user, partnership=partnership, year=period.label,
                recipient=data["recipient"], sent_on=data["sent_on"],
                published_url=data["published_url"])):
            messages.success(request, "Sending recorded")
            return redirect("reports:sends", code=code, year=period.label)
    record = annex.publication_record(partnership, period)
    return render(request, "reports/sends.html", _context(
        request, partnership, period, form=form, record=record))
