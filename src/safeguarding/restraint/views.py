"""The restraint pages: reviewer roles only (rules.py). Aggregate roles see the measures on
the dashboard and in the yearly report, never these pages."""

from __future__ import annotations

import datetime as dt

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils import timezone
from django.utils.html import format_html, format_html_join
from django.utils.safestring import SafeString

from safeguarding.core.forms_govuk import apply_service
from safeguarding.core.views.imports import csv_import_page
from safeguarding.measures.periods import PeriodError, financial_year_of, parse
from safeguarding.restraint import config, forms, importer, selectors, services
from safeguarding.restraint.models import Review


def _reviewer(request) -> None:
    if not request.user.has_perm("restraint.view_incident"):
        raise PermissionDenied


def _form_page(request, form, title, *, cancel_url, caption="", intro="", submit="Save",
               multipart=False):
    return render(request, "form_page.html", {
        "breadcrumbs": "restraint/_breadcrumbs.html",
        "form": form, "title": title, "cancel_url": cancel_url, "caption": caption,
        "intro": intro, "submit_label": submit, "multipart": multipart})


@login_required
def home(request):
    _reviewer(request)
    today = timezone.localdate()
    overdue = selectors.overdue_counts(today)
    rows = [(est, overdue.get(est.pk, 0)) for est in selectors.establishments_for(request.user)]
    return render(request, "restraint/home.html", {"rows": rows})


def _month(request) -> dt.date | None:
    text = request.GET.get("month", "")
    try:
        period = parse(text) if text else None
    except PeriodError:
        return None
    return period.start if period is not None and period.kind == "month" else None


@login_required
def incident_list(request, est):
    establishment = selectors.establishment_get(actor=request.user, pk=est)
    month = _month(request)
    if month is None:
        month = (selectors.latest_day(establishment) or timezone.localdate()).replace(day=1)
    found = selectors.incidents(actor=request.user, establishment=establishment, month=month)
    previous = (month - dt.timedelta(days=1)).replace(day=1)
    following = (month + dt.timedelta(days=32)).replace(day=1)
    return render(request, "restraint/incident_list.html", {
        "establishment": establishment, "incidents": found, "month": month,
        "previous": previous, "following": following})


@login_required
def incident_add(request, est):
    establishment = selectors.establishment_get(actor=request.user, pk=est)
    form = forms.IncidentForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        incident = apply_service(form, lambda: services.incident_record(
            actor=request.user, establishment=establishment, values=form.values()))
        if incident:
            messages.success(request, f"Restraint {incident.reference} recorded")
            return redirect("restraint:incident-detail", pk=incident.pk)
    return _form_page(request, form, "Record a restraint", caption=establishment.name,
                      cancel_url=reverse("restraint:incident-list", args=[est]),
                      intro="The social worker's review is due by the next working day.")


@login_required
def incident_import(request, est):
    establishment = selectors.establishment_get(actor=request.user, pk=est)
    form = forms.ImportForm(request.POST or None, request.FILES or None)

    def loaded(record):
        messages.success(request, f"{record.file_name}: {record.added} added, "
                                  f"{record.changed} changed, {record.unchanged} unchanged")
        return redirect("restraint:incident-list", est=est)

    return csv_import_page(
        request, form, lambda content, name: services.incidents_import(
            actor=request.user, establishment=establishment, content=content, file_name=name),
        succeeded=loaded, template="restraint/import.html", context={
            "title": "Import restraint incidents", "caption": establishment.name,
            "establishment": establishment, "columns": importer.columns()})


@login_required
def incident_detail(request, pk):
    incident = selectors.incident_get(actor=request.user, pk=pk)
    child = selectors.incident_child(actor=request.user, incident=incident)
    codes = {name: config.codes(name) for name in ("reasons", "positions", "techniques",
                                                   "locations", "pain_inducing_techniques")}
    return render(request, "restraint/incident_detail.html", {
        "incident": incident, "child": child, "review": getattr(incident, "review", None),
        "history": selectors.incident_history(incident), "staff": list(incident.staff.all()),
        "reasons": [codes["reasons"].get(r, r) for r in incident.reasons],
        "positions": [codes["positions"].get(p, p) for p in incident.positions],
        "techniques": [codes["techniques"].get(t, t) for t in incident.techniques],
        "location": codes["locations"].get(incident.location, incident.location),
        "pit": codes["pain_inducing_techniques"].get(incident.pit_technique, ""),
        "concerns": Review.CONCERNS, "today": timezone.localdate()})


@login_required
def incident_edit(request, pk):
    incident = selectors.incident_get(actor=request.user, pk=pk, purpose="edit restraint")
    fields = [f for f in forms.IncidentEditForm.base_fields if f != "reason"]
    form = forms.IncidentEditForm(request.POST or None,
                                  initial={f: getattr(incident, f) for f in fields})
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        changes = {f: data[f] for f in fields if data[f] != getattr(incident, f)}
        if not changes:
            form.add_error(None, "Change at least one answer, or cancel")
        elif apply_service(form, lambda: services.incident_edit(
                actor=request.user, incident=incident, reason=data["reason"], **changes)):
            messages.success(request, f"Restraint {incident.reference} changed")
            return redirect("restraint:incident-detail", pk=pk)
    return _form_page(request, form, f"Change restraint {incident.reference}",
                      cancel_url=reverse("restraint:incident-detail", args=[pk]),
                      intro="Each change is kept in the incident's history with its reason.")


@login_required
def incident_review(request, pk):
    incident = selectors.incident_get(actor=request.user, pk=pk, purpose="review restraint")
    existing = getattr(incident, "review", None)
    initial = ({"reviewed_on": existing.reviewed_on, "proportionate": existing.proportionate,
                "concerns": existing.concerns, "referral": existing.referral,
                "follow_up": existing.follow_up} if existing else
               {"reviewed_on": timezone.localdate()})
    form = forms.ReviewForm(request.POST or None, initial=initial)
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        if apply_service(form, lambda: services.review_record(
                actor=request.user, incident=incident, reviewed_on=data["reviewed_on"],
                proportionate=data["proportionate"], concerns=data["concerns"],
                referral=data["referral"], follow_up=data["follow_up"])):
            messages.success(request, f"Review of {incident.reference} saved")
            return redirect("restraint:incident-detail", pk=pk)
    return _form_page(request, form, f"Review restraint {incident.reference}",
                      caption=f"Due by {incident.review_due:%-d %B %Y}",
                      cancel_url=reverse("restraint:incident-detail", args=[pk]))


@login_required
def due(request, est):
    establishment = selectors.establishment_get(actor=request.user, pk=est)
    lists = selectors.reviews_due(actor=request.user, establishment=establishment)
    return render(request, "restraint/due.html", {"establishment": establishment, **lists,
                                                  "rule": config.config()["review_deadline"]})


@login_required
def sample_list(request, est):
    establishment = selectors.establishment_get(actor=request.user, pk=est)
    form = forms.SampleDrawForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        sample = apply_service(form, lambda: services.sample_draw(
            actor=request.user, establishment=establishment, quarter=data["quarter"],
            seed=data["seed"], size=data["size"]))
        if sample:
            messages.success(request, f"Sample for {sample.quarter} drawn with seed {sample.seed}")
            return redirect("restraint:sample-detail", pk=sample.pk)
    return render(request, "restraint/sample_list.html", {
        "establishment": establishment, "samples": selectors.samples_for(establishment),
        "form": form, "rule": config.sample_rule()})


@login_required
def sample_detail(request, pk):
    sample = selectors.sample_get(actor=request.user, pk=pk)
    notes = forms.SampleNotesForm(request.POST if "notes" in request.POST else None,
                                  initial={"reflective_notes": sample.reflective_notes,
                                           "good_practice": sample.good_practice,
                                           "learning": sample.learning})
    action = forms.SampleActionForm(request.POST if "action_add" in request.POST else None)
    if request.method == "POST":
        if "notes" in request.POST and notes.is_valid():
            services.sample_notes_update(actor=request.user, sample=sample, **notes.cleaned_data)
            messages.success(request, "Notes saved")
            return redirect("restraint:sample-detail", pk=pk)
        if "action_add" in request.POST and action.is_valid() and apply_service(
                action, lambda: services.sample_action_add(actor=request.user, sample=sample,
                                                           **action.cleaned_data)):
            messages.success(request, "Action added")
            return redirect("restraint:sample-detail", pk=pk)
    items = list(sample.items.select_related("incident"))
    return render(request, "restraint/sample_detail.html", {
        "sample": sample, "items": items, "checks": services.sample_check(sample),
        "notes_form": notes, "action_form": action, "actions": list(sample.actions.all()),
        "themes": config.codes("themes"), "points": len(config.checklist())})


@login_required
def sample_item(request, pk):
    from safeguarding.restraint.models import SampleItem

    item = SampleItem.objects.select_related("sample__establishment", "incident").filter(
        pk=pk).first()
    if item is None or not request.user.has_perm("restraint.view_sample",
                                                 item.sample.establishment):
        raise PermissionDenied
    initial = {"footage_reviewed": item.footage_reviewed,
               "paperwork_reviewed": item.paperwork_reviewed, "notes": item.notes,
               **{f"check_{k}": v for k, v in item.checklist.items()}}
    form = forms.SampleItemForm(request.POST or None, initial=initial)
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        if apply_service(form, lambda: services.sample_item_review(
                actor=request.user, item=item, footage_reviewed=data["footage_reviewed"],
                paperwork_reviewed=data["paperwork_reviewed"], checklist=form.checklist(),
                notes=data["notes"])):
            messages.success(request, f"Footage review of {item.incident.reference} saved")
            return redirect("restraint:sample-detail", pk=item.sample_id)
    return _form_page(request, form, f"Footage review: {item.incident.reference}",
                      caption=f"Sample {item.sample.quarter}",
                      cancel_url=reverse("restraint:sample-detail", args=[item.sample_id]),
                      intro=config.config()["footage_checklist"]["source"])


def heat_map_svg(heat: dict) -> SafeString:
    """The location x time-of-day counts as an SVG; the page shows the same as a table."""
    cell_w, cell_h, left, top = 70, 26, 170, 60
    width = left + cell_w * len(heat["bands"]) + 10
    height = top + cell_h * len(heat["rows"]) + 10
    peak = heat["max"] or 1
    parts = []
    for i, band in enumerate(heat["bands"]):
        parts.append(format_html(
            '<text x="{}" y="{}" font-size="11" text-anchor="middle">{}</text>',
            left + cell_w * i + cell_w // 2, top - 10, band.split(" to ")[0]))
    for r, (_code, label, counts) in enumerate(heat["rows"]):
        y = top + cell_h * r
        parts.append(format_html('<text x="{}" y="{}" font-size="12" text-anchor="end">{}</text>',
                                 left - 8, y + 17, label))
        for c, n in enumerate(counts):
            shade = 255 - int(200 * n / peak)
            parts.append(format_html(
                '<rect x="{}" y="{}" width="{}" height="{}" fill="rgb(255,{},{})" '
                'stroke="#b1b4b6"/><text x="{}" y="{}" font-size="12" text-anchor="middle" '
                'fill="{}">{}</text>', left + cell_w * c, y, cell_w, cell_h, shade, shade,
                left + cell_w * c + cell_w // 2, y + 17,
                "#ffffff" if shade < 130 else "#0b0c0c", n))
    return format_html(
        '<svg role="img" aria-labelledby="heat-title" viewBox="0 0 {} {}" width="100%" '
        'xmlns="http://www.w3.org/2000/svg"><title id="heat-title">Restraints by location '
        'and time of day (the table below gives the same figures)</title>{}</svg>',
        width, height, format_html_join("", "{}", ((p,) for p in parts)))


@login_required
def insight(request, est):
    establishment = selectors.establishment_get(actor=request.user, pk=est)
    # The financial year of the latest restraint recorded (this year's, before the first).
    period = financial_year_of(selectors.latest_day(establishment) or timezone.localdate())
    text, error = request.GET.get("period", "").strip(), ""
    if text:
        try:
            period = parse(text)
        except PeriodError as problem:
            error = f"{problem}: showing {period.label}"
    heat = selectors.heat_map(establishment, period.start, period.end)
    return render(request, "restraint/insight.html", {
        "establishment": establishment, "period": period, "heat": heat, "error": error,
        "asked": text,
        "svg": heat_map_svg(heat),
        "repeat": selectors.repeat_involvement(establishment, period.start, period.end),
        "dispro": selectors.disproportionality(establishment, period.start, period.end),
        "voices": selectors.child_voices(establishment, period.start, period.end)})
