"""Partnerships, agencies, people, the calendar, the audit log and API tokens."""

from __future__ import annotations

import datetime as dt

from django.contrib import messages
from django.core.exceptions import PermissionDenied, ValidationError
from django.core.paginator import Paginator
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from rules.contrib.views import permission_required

from safeguarding.core import selectors, services
from safeguarding.core.calendar import non_working_days
from safeguarding.core.forms import (
    AgencyForm,
    ApiTokenForm,
    AuditSearchForm,
    LocalAuthorityForm,
    MembershipForm,
    NonWorkingDayForm,
    PartnershipEditForm,
    PartnershipForm,
    PersonForm,
    ShareForm,
    SubGroupForm,
)
from safeguarding.core.forms_govuk import apply_service
from safeguarding.core.models import Agency, ApiToken, Membership, Partnership, User


def _form_page(request, form, title, *, cancel_url, submit_label="Save", intro=""):
    return render(request, "core/form_page.html", {
        "form": form, "title": title, "cancel_url": cancel_url, "submit_label": submit_label,
        "intro": intro,
    })


def home(request):
    from safeguarding.core.capabilities import capabilities_for
    from safeguarding.core.home import home_queue, partnership_picture

    return render(request, "core/home.html", {
        "capabilities": capabilities_for(request.user),
        "queue": home_queue(request.user),
        "picture": partnership_picture(request.user),
        "memberships": request.user.memberships.select_related("agency", "partnership", "sub_group"),
    })


@permission_required("core.list_partnerships", raise_exception=True)
def partnership_list(request):
    return render(request, "core/partnership_list.html", {
        "partnerships": selectors.partnership_list(actor=request.user),
        "can_manage": request.user.has_perm("core.manage_partnerships"),
    })


@permission_required("core.manage_partnerships", raise_exception=True)
def partnership_add(request):
    form = PartnershipForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        partnership = apply_service(form, lambda: services.partnership_add(
            actor=request.user, code=data["code"], name=data["name"],
            local_authorities=data["local_authorities"]))
        if partnership:
            messages.success(request, f"{partnership.name} added")
            return redirect("core:partnership-detail", code=partnership.code)
    return _form_page(request, form, "Add a partnership", cancel_url=reverse("core:partnership-list"))


def _partnership(request, code) -> Partnership:
    partnership = get_object_or_404(Partnership, code=code)
    if not request.user.has_perm("core.view_partnership", partnership):
        raise PermissionDenied
    return partnership


def partnership_detail(request, code):
    partnership = _partnership(request, code)
    return render(request, "core/partnership_detail.html", {
        "partnership": partnership,
        "detail": selectors.partnership_detail(partnership=partnership),
        "can_manage": request.user.has_perm("core.manage_partnerships"),
    })


@permission_required("core.manage_partnerships", raise_exception=True)
def partnership_edit(request, code):
    partnership = _partnership(request, code)
    form = PartnershipEditForm(request.POST or None, initial={"name": partnership.name})
    if request.method == "POST" and form.is_valid():
        if apply_service(form, lambda: services.partnership_update(
                actor=request.user, partnership=partnership, name=form.cleaned_data["name"])):
            messages.success(request, "Partnership saved")
            return redirect("core:partnership-detail", code=code)
    return _form_page(request, form, f"Edit {partnership.name}",
                      cancel_url=reverse("core:partnership-detail", args=[code]))


@permission_required("core.manage_partnerships", raise_exception=True)
def sub_group_add(request, code):
    partnership = _partnership(request, code)
    form = SubGroupForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        if apply_service(form, lambda: services.sub_group_add(
                actor=request.user, partnership=partnership, name=form.cleaned_data["name"])):
            messages.success(request, "Sub-group added")
            return redirect("core:partnership-detail", code=code)
    return _form_page(request, form, f"Add a sub-group to {partnership.name}",
                      cancel_url=reverse("core:partnership-detail", args=[code]))


@permission_required("core.manage_partnerships", raise_exception=True)
def la_add(request, code):
    partnership = _partnership(request, code)
    form = LocalAuthorityForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        if apply_service(form, lambda: services.la_add(actor=request.user, partnership=partnership,
                                                **form.cleaned_data)):
            messages.success(request, "Local authority area added")
            return redirect("core:partnership-detail", code=code)
    return _form_page(request, form, f"Add a local authority area to {partnership.name}",
                      cancel_url=reverse("core:partnership-detail", args=[code]))


@permission_required("core.manage_partnerships", raise_exception=True)
def share_add(request, code):
    partnership = _partnership(request, code)
    form = ShareForm(request.POST or None, owner=partnership)
    if request.method == "POST" and form.is_valid():
        if apply_service(form, lambda: services.partnership_share(
                actor=request.user, owner=partnership, **form.cleaned_data)):
            messages.success(request, "Joint function shared")
            return redirect("core:partnership-detail", code=code)
    return _form_page(request, form, f"Share a joint function of {partnership.name}",
                      cancel_url=reverse("core:partnership-detail", args=[code]),
                      intro="The other partnership's people can then use this partnership's "
                      "records for that function, as their roles allow.")


@permission_required("core.manage_partnerships", raise_exception=True)
def agency_add(request):
    form = AgencyForm(request.POST or None, initial={"partnerships": request.GET.getlist("p")})
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        if apply_service(form, lambda: services.agency_add(
                actor=request.user, name=data["name"], kind=data["kind"],
                partnerships=list(data["partnerships"]))):
            messages.success(request, f"{data['name']} added")
            return redirect("core:partnership-list")
    return _form_page(request, form, "Add an agency", cancel_url=reverse("core:partnership-list"))


@permission_required("core.manage_partnerships", raise_exception=True)
def agency_edit(request, pk):
    agency = get_object_or_404(Agency, pk=pk)
    form = AgencyForm(request.POST or None, initial={
        "name": agency.name, "kind": agency.kind, "partnerships": agency.partnerships.all()})
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        if apply_service(form, lambda: services.agency_update(
                actor=request.user, agency=agency, name=data["name"], kind=data["kind"],
                partnerships=list(data["partnerships"]))):
            messages.success(request, "Agency saved")
            return redirect("core:partnership-list")
    return _form_page(request, form, f"Edit {agency.name}", cancel_url=reverse("core:partnership-list"))


@permission_required("core.manage_people", raise_exception=True)
def people_list(request):
    people = Paginator(selectors.person_list(query=request.GET.get("q", "")), 50)
    return render(request, "core/people_list.html", {
        "page": people.get_page(request.GET.get("page")), "query": request.GET.get("q", ""),
    })


@permission_required("core.manage_people", raise_exception=True)
def person_add(request):
    form = PersonForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        person = apply_service(form, lambda: services.user_add(actor=request.user, **form.cleaned_data))
        if person:
            messages.success(request, f"{person} added. Give them a role next")
            return redirect("core:person-detail", pk=person.pk)
    return _form_page(request, form, "Add a person", cancel_url=reverse("core:people-list"),
                      intro="They set their password through the reset link you send them, "
                      "then set up two-factor sign-in on first use.")


@permission_required("core.manage_people", raise_exception=True)
def person_detail(request, pk):
    person = get_object_or_404(User, pk=pk)
    action = request.POST.get("action")
    if request.method == "POST" and action == "reset_two_factor":
        services.person_reset_two_factor(actor=request.user, person=person)
        messages.success(request, f"Two-factor sign-in reset. {person} sets it up again at next sign-in")
        return redirect("core:person-detail", pk=pk)
    if request.method == "POST" and action == "send_password_link":
        try:
            services.person_send_password_link(actor=request.user, person=person,
                                               base_url=request.build_absolute_uri("/")[:-1])
        except ValidationError as error:
            messages.error(request, " ".join(error.messages))
        else:
            messages.success(request, f"Password link sent to {person.email}")
        return redirect("core:person-detail", pk=pk)
    form = MembershipForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        if apply_service(form, lambda: services.membership_add(actor=request.user, user=person,
                                                        **form.cleaned_data)):
            messages.success(request, "Role added")
            return redirect("core:person-detail", pk=pk)
    return render(request, "core/person_detail.html", {
        "person": person, "form": form,
        "memberships": person.memberships.select_related("agency", "partnership", "sub_group"),
    })


@permission_required("core.manage_people", raise_exception=True)
def membership_remove(request, pk):
    membership = get_object_or_404(Membership, pk=pk)
    if request.method != "POST":
        return redirect("core:person-detail", pk=membership.user_id)
    person_id = membership.user_id
    services.membership_remove(actor=request.user, membership=membership)
    messages.success(request, "Role removed")
    return redirect("core:person-detail", pk=person_id)


@permission_required("core.manage_calendar", raise_exception=True)
def calendar(request):
    today = dt.date.today()
    form = NonWorkingDayForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        if apply_service(form, lambda: services.non_working_day_add(actor=request.user, **form.cleaned_data)):
            messages.success(request, "Non-working day added")
            return redirect("core:calendar")
    days = sorted(d for d in non_working_days([today.year, today.year + 1]) if d >= today)
    return render(request, "core/calendar.html", {
        "form": form, "upcoming": days[:20], "added": selectors.added_days(),
    })


@permission_required("core.search_audit", raise_exception=True)
def audit_log(request):
    form = AuditSearchForm(request.GET or None)
    events = selectors.audit_search(actor=request.user, filters=form.cleaned_data
                                    if form.is_valid() else {})
    page = Paginator(events, 50).get_page(request.GET.get("page"))
    query = request.GET.copy()
    query.pop("page", None)
    return render(request, "core/audit_log.html", {"form": form, "page": page,
                                                   "query": query.urlencode()})


@permission_required("core.manage_api_tokens", raise_exception=True)
def api_tokens(request):
    form = ApiTokenForm(request.POST or None)
    raw = None
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        issued = apply_service(form, lambda: services.api_token_issue(
            actor=request.user, name=data["name"], membership=data["membership"]))
        if issued:
            raw = issued[1]
            form = ApiTokenForm()
    return render(request, "core/api_tokens.html", {
        "form": form, "raw": raw,
        "tokens": ApiToken.objects.select_related("user", "membership__agency",
                                                  "membership__partnership"),
    })


@permission_required("core.manage_api_tokens", raise_exception=True)
def api_token_revoke(request, pk):
    token = get_object_or_404(ApiToken, pk=pk)
    if request.method == "POST":
        services.api_token_revoke(actor=request.user, token=token)
        messages.success(request, f"Token {token.name} revoked")
    return redirect("core:api-tokens")


@permission_required("core.view_scheduled_jobs", raise_exception=True)
def scheduled_jobs(request):
    from safeguarding.core import scheduler

    return render(request, "core/scheduled_jobs.html", {
        "jobs": scheduler.summary(), "runs": scheduler.latest_runs(),
    })
