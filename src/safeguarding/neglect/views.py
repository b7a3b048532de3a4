"""The GCP2 pages. The business unit manages champions and licences and reads every
agency's summaries; a practitioner or sub-group member reads the champions, their own
agency's licences and records their agency's summaries (rules.py). Anything else is not
found (404) or refused (403)."""

from __future__ import annotations

from functools import partial

from django.contrib import messages
from django.core.exceptions import PermissionDenied
from django.http import Http404
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils import timezone

from safeguarding.core.forms_govuk import apply_service
from safeguarding.core.models import Partnership
from safeguarding.core.views.pages import form_page, permission_view
from safeguarding.neglect import config, forms, selectors, services
from safeguarding.neglect.rules import managed

# Signed in with a GCP2 seat (403 otherwise).
reader = permission_view("neglect.view")


def _managed_partnership(request) -> Partnership:
    """The partnership the business unit works on: ``?partnership=CODE`` among those it
    manages, else the first (403 for anyone who manages none)."""
    found = Partnership.objects.filter(pk__in=managed(request.user)).order_by("code")
    if not found:
        raise PermissionDenied
    code = request.GET.get("partnership") or request.POST.get("partnership_code")
    chosen = found.filter(code=code).first() or found.first()
    assert chosen is not None
    return chosen


_form_page = partial(form_page, breadcrumbs="neglect/_breadcrumbs.html")


@reader
def home(request):
    today = timezone.localdate()
    licences = selectors.licences_for(request.user)
    return render(request, "neglect/home.html", {
        "champions": selectors.champions_for(request.user).filter(
            stepped_down_on__isnull=True).count(),
        "current": selectors.current_licences(licences, today).count(),
        "expiring": selectors.expiring(licences, today).count(),
        "owed": selectors.owed(selectors.agencies_for(request.user), today),
        "manages": bool(managed(request.user)), "today": today,
        "soon_days": config.expiring_soon_days()})


@reader
def champion_list(request):
    return render(request, "neglect/champions.html", {
        "champions": selectors.champions_for(request.user),
        "manages": bool(managed(request.user))})


@reader
def champion_add(request):
    partnership = _managed_partnership(request)
    form = forms.ChampionForm(request.POST or None, partnership=partnership)
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        champion = apply_service(form, lambda: services.champion_add(
            actor=request.user, partnership=partnership, name=data["name"],
            agency=data["agency"], trained_on=data["trained_on"], email=data["email"],
            job_title=data["job_title"]))
        if champion:
            messages.success(request, f"{champion.name} added as a GCP2 champion")
            return redirect("neglect:champions")
    return _form_page(request, form, "Add a GCP2 champion", caption=partnership.name,
                      cancel_url=reverse("neglect:champions"))


@reader
def champion_step_down(request, pk):
    champion = selectors.champion_get(actor=request.user, pk=pk)
    form = forms.StepDownForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        if apply_service(form, lambda: services.champion_step_down(
                actor=request.user, champion=champion, on=form.cleaned_data["on"])):
            messages.success(request, f"{champion.name} stepped down")
            return redirect("neglect:champions")
    return _form_page(request, form, "A champion steps down", caption=str(champion),
                      cancel_url=reverse("neglect:champions"))


@reader
def licence_list(request):
    today = timezone.localdate()
    licences = selectors.licences_for(request.user)
    show = request.GET.get("show", "current")
    if show == "current":
        licences = selectors.current_licences(licences, today)
    return render(request, "neglect/licences.html", {
        "licences": licences, "today": today, "show": show,
        "title": "Current GCP2 licences" if show == "current" else "Every GCP2 licence",
        "manages": bool(managed(request.user))})


@reader
def expiring(request):
    today = timezone.localdate()
    return render(request, "neglect/licences.html", {
        "licences": selectors.expiring(selectors.licences_for(request.user), today),
        "today": today, "expiring_view": True,
        "title": f"GCP2 licences expiring in the next {config.expiring_soon_days()} days",
        "manages": bool(managed(request.user))})


@reader
def licence_add(request):
    partnership = _managed_partnership(request)
    form = forms.LicenceForm(request.POST or None, partnership=partnership)
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        licence = apply_service(form, lambda: services.licence_issue(
            actor=request.user, partnership=partnership, practitioner=data["practitioner"],
            agency=data["agency"], issued_on=data["issued_on"], email=data["email"],
            expires_on=data["expires_on"]))
        if licence:
            messages.success(request, f"Licence issued to {licence.practitioner}, expiring "
                                      f"{licence.expires_on:%-d %B %Y}")
            return redirect("neglect:licences")
    return _form_page(request, form, "Issue a GCP2 licence", caption=partnership.name,
                      cancel_url=reverse("neglect:licences"))


def _licence_for_manager(request, pk):
    """Refused (403) to anyone who manages no partnership's GCP2; else a licence outside
    the partnerships they manage is not found (404)."""
    if not managed(request.user):
        raise PermissionDenied
    licence = selectors.licence_get(actor=request.user, pk=pk)
    if licence.partnership_id not in managed(request.user):
        raise Http404("No such licence")
    return licence


@reader
def licence_renew(request, pk):
    licence = _licence_for_manager(request, pk)
    form = forms.RenewForm(request.POST or None, initial={"issued_on": timezone.localdate()})
    if request.method == "POST" and form.is_valid():
        renewed = apply_service(form, lambda: services.licence_renew(
            actor=request.user, licence=licence, issued_on=form.cleaned_data["issued_on"]))
        if renewed:
            messages.success(request, f"Licence renewed to {renewed.expires_on:%-d %B %Y}")
            return redirect("neglect:licences")
    return _form_page(request, form, "Renew a GCP2 licence", caption=str(licence),
                      cancel_url=reverse("neglect:licences"))


@reader
def licence_withdraw(request, pk):
    licence = _licence_for_manager(request, pk)
    form = forms.WithdrawForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        if apply_service(form, lambda: services.licence_withdraw(
                actor=request.user, licence=licence, on=form.cleaned_data["on"],
                reason=form.cleaned_data["reason"])):
            messages.success(request, f"Licence of {licence.practitioner} withdrawn")
            return redirect("neglect:licences")
    return _form_page(request, form, "Withdraw a GCP2 licence", caption=str(licence),
                      cancel_url=reverse("neglect:licences"))


@reader
def summary_list(request):
    summaries = selectors.summaries_for(request.user)
    year = request.GET.get("year", "")
    if year:
        summaries = summaries.filter(period__startswith=year[:4])
    summaries = list(summaries)
    return render(request, "neglect/summaries.html", {
        "summaries": summaries, "totals": selectors.by_agency(summaries), "year": year,
        "owed": selectors.owed(selectors.agencies_for(request.user), timezone.localdate())})


@reader
def summary_add(request):
    pairs = selectors.agencies_for(request.user)
    initial = {}
    if "agency" in request.GET:
        initial["agency"] = f"{request.GET.get('partnership')}-{request.GET['agency']}"
    if "period" in request.GET:
        initial["period"] = request.GET["period"]
    form = forms.SummaryForm(request.POST or None, pairs=pairs, initial=initial)
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        partnership, agency = form.pairs[data["agency"]]
        summary = apply_service(form, lambda: services.summary_record(
            actor=request.user, partnership=partnership, agency=agency, period=data["period"],
            completed=data["completed"], children=data["children"], grades=form.grades(),
            reviewed=data["reviewed"], improved=data["improved"], outcomes=form.outcomes()))
        if summary:
            messages.success(request, f"Summary for {summary.agency}, {summary.period} recorded")
            return redirect("neglect:summary-detail", pk=summary.pk)
    return _form_page(
        request, form, "Record a GCP2 assessment summary",
        intro="Counts only: how many Graded Care Profile 2 assessments the agency completed "
              "in the quarter, their overall grades and what followed. Do not enter a child's "
              "details or the tool's text. Recording a quarter again replaces its figures.",
        cancel_url=reverse("neglect:summaries"))


@reader
def summary_detail(request, pk):
    summary = selectors.summary_get(actor=request.user, pk=pk)
    labels = dict(config.outcomes())
    return render(request, "neglect/summary_detail.html", {
        "summary": summary, "grades": list(enumerate(summary.grades, start=1)),
        "outcomes": [(labels.get(k, k), v) for k, v in summary.outcomes.items()],
        "concern_from": config.concern_from()})
