"""The Covid-19 follow-up pages: the weekly counts (no child named), each week's list of
vulnerable children who did not attend (the business unit and each school's key adult, every
read audited), the follow-up form, and the business unit's import of the weekly extract."""

from __future__ import annotations

import datetime as dt

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied
from django.http import Http404
from django.shortcuts import redirect, render
from django.urls import reverse

from safeguarding.core.forms_govuk import apply_service
from safeguarding.core.models import Partnership
from safeguarding.core.views.imports import csv_import_page
from safeguarding.covid_followup import forms, importer, selectors, services
from safeguarding.covid_followup.rules import business_partnerships


def _need(request, permission: str) -> None:
    if not request.user.has_perm(permission):
        raise PermissionDenied


@login_required
def home(request):
    _need(request, "covid_followup.view")
    return render(request, "covid_followup/home.html", {
        "weeks": selectors.weekly_counts(request.user),
        "works": request.user.has_perm("covid_followup.view_record"),
        "imports": request.user.has_perm("covid_followup.import")})


@login_required
def week(request, week):
    _need(request, "covid_followup.view_record")
    try:
        day = dt.date.fromisoformat(week)
    except ValueError:
        raise Http404("No such week") from None
    return render(request, "covid_followup/week.html", {
        "week": day, "records": selectors.not_attending(actor=request.user, week=day)})


@login_required
def follow_up(request, pk):
    _need(request, "covid_followup.view_record")
    record = selectors.record_get(actor=request.user, pk=pk)
    current = getattr(record, "follow_up", None)
    form = forms.FollowUpForm(request.POST or None, initial={
        "made_on": current.made_on if current else None,
        "method": current.method if current else None,
        "outcome": current.outcome if current else None})
    if request.method == "POST" and form.is_valid():
        d = form.cleaned_data
        if apply_service(form, lambda: services.follow_up_record(
                actor=request.user, record=record, made_on=d["made_on"], method=d["method"],
                outcome=d["outcome"], note=d["note"])):
            messages.success(request, "Follow-up recorded")
            return redirect("covid_followup:week", week=record.week.isoformat())
    return render(request, "form_page.html", {
        "breadcrumbs": "covid_followup/_breadcrumbs.html", "form": form,
        "title": "Record the school's follow-up",
        "caption": f"{record.school.name}, week of {record.week:%-d %B %Y}",
        "intro": f"Child {record.child_id} ({record.get_status_display().lower()}) did not "
                 "attend school this week.",
        "cancel_url": reverse("covid_followup:week", args=[record.week.isoformat()])})


@login_required
def import_extract(request):
    _need(request, "covid_followup.import")
    partnerships = Partnership.objects.filter(pk__in=business_partnerships(request.user))
    form = forms.ImportForm(request.POST or None, request.FILES or None,
                            partnerships=partnerships)

    def loaded(result):
        record, new = result
        messages.success(request, f"{record.rows} rows loaded ({record.added} new)" if new
                         else f"{record.file_name} was loaded before: nothing changed")
        return redirect("covid_followup:home")

    return csv_import_page(
        request, form, lambda content, name: services.attendance_import(
            actor=request.user, partnership=form.cleaned_data["partnership"], content=content,
            file_name=name),
        succeeded=loaded, template="covid_followup/import.html", context={
            "title": "Import a weekly extract", "header": importer.template_header(),
            "columns": importer.columns()})
