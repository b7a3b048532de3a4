"""The Operation Encompass pages: police record incidents, Key Adults read and acknowledge
their school's notifications, the education safeguarding lead keeps the schools and watches
the escalation page. Board members and analysts see the measures on the dashboard only."""

from __future__ import annotations

from functools import partial

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied
from django.shortcuts import redirect, render
from django.urls import reverse
from django.views.decorators.http import require_POST

from safeguarding.core.forms_govuk import apply_service
from safeguarding.core.models import Partnership
from safeguarding.core.views.imports import csv_import_page
from safeguarding.core.views.pages import form_page
from safeguarding.encompass import config, forms, importer, selectors, services
from safeguarding.encompass.models import School
from safeguarding.encompass.rules import Level, key_adult_agencies

BREADCRUMBS = "encompass/_breadcrumbs.html"


_form_page = partial(form_page, breadcrumbs=BREADCRUMBS)


def _partnership(request, code: str, permission: str) -> Partnership:
    partnership = Partnership.objects.filter(code=code).first()
    if partnership is None or not request.user.has_perm(permission, partnership):
        raise PermissionDenied
    return partnership


@login_required
def home(request):
    user = request.user
    police = selectors.partnerships_for(user, Level.POLICE)
    leads = selectors.partnerships_for(user, Level.LEAD)
    key_adult = bool(key_adult_agencies(user))
    if not police.exists() and not key_adult:
        raise PermissionDenied
    notices = selectors.notifications(actor=user, purpose="Operation Encompass home") \
        if key_adult else []
    return render(request, "encompass/home.html", {
        "police": police, "leads": leads, "key_adult": key_adult, "notices": notices,
        "rule": config.config()["notification_deadline"]})


@login_required
def schools(request, code):
    partnership = _partnership(request, code, "encompass.manage_schools")
    found = School.objects.filter(partnership=partnership).select_related("local_authority")
    return render(request, "encompass/schools.html", {"partnership": partnership,
                                                      "schools": found})


@login_required
def school_add(request, code):
    partnership = _partnership(request, code, "encompass.manage_schools")
    form = forms.SchoolForm(request.POST or None, partnership=partnership)
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        school = apply_service(form, lambda: services.school_add(
            actor=request.user, partnership=partnership, la_code=data["la_code"],
            urn=data["urn"], name=data["name"], agency=data["agency"],
            key_adult_name=data["key_adult_name"], key_adult_email=data["key_adult_email"],
            holiday_contact_name=data["holiday_contact_name"],
            holiday_contact_email=data["holiday_contact_email"]))
        if school:
            messages.success(request, f"{school.name} added")
            return redirect("encompass:schools", code=code)
    return _form_page(request, form, "Add a school", caption=partnership.name,
                      cancel_url=reverse("encompass:schools", args=[code]))


@login_required
def school_edit(request, pk):
    school = selectors.school_get(actor=request.user, pk=pk)
    form = forms.SchoolForm(request.POST or None, instance=school, editing=True,
                            partnership=school.partnership)
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        if apply_service(form, lambda: services.school_update(
                actor=request.user, school=school, **{f: data[f] for f in services.SCHOOL_FIELDS})):
            messages.success(request, f"{school.name} changed")
            return redirect("encompass:schools", code=school.partnership.code)
    return _form_page(request, form, f"Change {school.name}", caption=f"URN {school.urn}",
                      cancel_url=reverse("encompass:schools", args=[school.partnership.code]))


@login_required
def incident_add(request, code):
    partnership = _partnership(request, code, "encompass.record_incident")
    schools_here = School.objects.filter(partnership=partnership).order_by("name")
    form = forms.IncidentForm(request.POST or None, schools=schools_here)
    if request.method == "POST" and form.is_valid():
        incident = apply_service(form, lambda: services.incident_record(
            actor=request.user, partnership=partnership, values=form.values()))
        if incident:
            messages.success(request, f"Incident {incident.police_reference} recorded: "
                                      f"{incident.notifications.count()} notification(s) sent")
            return redirect("encompass:incident", pk=incident.pk)
    return _form_page(request, form, "Record an incident with children present",
                      caption=partnership.name, submit="Record and notify the schools",
                      cancel_url=reverse("encompass:incidents", args=[code]),
                      intro="Each child's school is told before the start of its next school "
                            "day. The e-mail holds a sign-in link only, never the child's details.")


@login_required
def incident_import(request, code):
    partnership = _partnership(request, code, "encompass.record_incident")
    form = forms.ImportForm(request.POST or None, request.FILES or None)

    def loaded(record):
        messages.success(request, f"{record.file_name}: {record.incidents} incident(s), "
                                  f"{record.notifications} notification(s)")
        return redirect("encompass:incidents", code=code)

    return csv_import_page(
        request, form, lambda content, name: services.incidents_import(
            actor=request.user, partnership=partnership, content=content, file_name=name),
        succeeded=loaded, template="encompass/import.html", context={
            "title": "Import incidents", "caption": partnership.name,
            "partnership": partnership, "columns": importer.columns()})


@login_required
def incidents(request, code):
    partnership = _partnership(request, code, "encompass.view_incident")
    found = selectors.incidents(actor=request.user, partnership=partnership,
                                purpose="Operation Encompass incident list")
    return render(request, "encompass/incidents.html", {"partnership": partnership,
                                                        "incidents": found})


@login_required
def incident_detail(request, pk):
    incident = selectors.incident_get(actor=request.user, pk=pk)
    notices = selectors.notifications_of(actor=request.user, incident=incident)
    return render(request, "encompass/incident.html", {"incident": incident, "notices": notices})


@login_required
def notification_detail(request, pk):
    notice = selectors.notification_get(actor=request.user, pk=pk)
    return render(request, "encompass/notification.html", {
        "notice": notice,
        "may_acknowledge": request.user.has_perm("encompass.acknowledge_notification", notice)
        and notice.acknowledged_at is None})


@login_required
@require_POST
def notification_acknowledge(request, pk):
    notice = selectors.notification_get(actor=request.user, pk=pk,
                                        purpose="acknowledge Operation Encompass notification")
    if not request.user.has_perm("encompass.acknowledge_notification", notice):
        raise PermissionDenied
    if notice.acknowledged_at is None:
        services.notification_acknowledge(actor=request.user, notification=notice)
        messages.success(request, "Notification acknowledged")
    return redirect("encompass:notification", pk=pk)


@login_required
def escalation(request, code):
    partnership = _partnership(request, code, "encompass.view_escalation")
    lists = selectors.escalation(actor=request.user, partnership=partnership)
    return render(request, "encompass/escalation.html", {"partnership": partnership, **lists})
