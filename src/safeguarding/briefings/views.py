"""The briefings pages. The business unit issues briefings and runs campaigns and reads
every agency's record of use; practitioners, sub-group and board members read the
briefings and campaigns and record their own agency's use (rules.py)."""

from __future__ import annotations

from functools import partial

from django.contrib import messages
from django.core.exceptions import PermissionDenied
from django.http import Http404, HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse

from safeguarding.briefings import forms, selectors, services
from safeguarding.briefings.rules import managed
from safeguarding.core.forms_govuk import apply_service
from safeguarding.core.models import Partnership
from safeguarding.core.views.pages import form_page, permission_view

reader = permission_view("briefings.view")


def _managed_partnership(request) -> Partnership:
    found = Partnership.objects.filter(pk__in=managed(request.user)).order_by("code")
    if not found:
        raise PermissionDenied
    chosen = found.filter(code=request.GET.get("partnership")).first() or found.first()
    assert chosen is not None
    return chosen


_form_page = partial(form_page, breadcrumbs="briefings/_breadcrumbs.html")


@reader
def home(request):
    query = request.GET.get("q", "")
    return render(request, "briefings/home.html", {
        "briefings": selectors.search(selectors.briefings_for(request.user), query),
        "q": query, "pending": selectors.pending_for(request.user),
        "manages": bool(managed(request.user))})


@reader
def briefing_add(request):
    partnership = _managed_partnership(request)
    form = forms.BriefingForm(request.POST or None, request.FILES or None,
                              partnership=partnership)
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        upload = data.get("file")
        briefing = apply_service(form, lambda: services.briefing_issue(
            actor=request.user, partnership=partnership, title=data["title"],
            source=data["source"], source_reference=data["source_reference"],
            themes=form.all_themes(), summary=data["summary"], issued_on=data["issued_on"],
            file_name=upload.name if upload else "", content=upload.read() if upload else b"",
            expected=list(data["expected"]) or None))
        if briefing:
            messages.success(request, f"Briefing \u201c{briefing.title}\u201d issued")
            return redirect("briefings:detail", pk=briefing.pk)
    return _form_page(request, form, "Issue a learning briefing", caption=partnership.name,
                      cancel_url=reverse("briefings:home"), template="briefings/upload.html")


@reader
def briefing_detail(request, pk):
    briefing = selectors.briefing_get(actor=request.user, pk=pk)
    manages = briefing.partnership_id in managed(request.user)
    return render(request, "briefings/detail.html", {
        "briefing": briefing, "uses": selectors.uses_for(request.user, briefing),
        "status": selectors.agencies_status(briefing) if manages else None,
        "can_record": selectors.recording_agencies(request.user, briefing).exists()})


@reader
def briefing_file(request, pk):
    briefing = selectors.briefing_get(actor=request.user, pk=pk, with_file=True)
    if not briefing.file:
        return HttpResponse("This briefing has no file", status=404, content_type="text/plain")
    response = HttpResponse(bytes(briefing.file), content_type=briefing.file_type)
    response["Content-Disposition"] = f'attachment; filename="{briefing.file_name}"'
    return response


@reader
def use_add(request, pk):
    briefing = selectors.briefing_get(actor=request.user, pk=pk)
    agencies = selectors.recording_agencies(request.user, briefing)
    if not agencies.exists():
        raise PermissionDenied
    form = forms.UseForm(request.POST or None, agencies=agencies,
                         initial={"agency": agencies.first()} if agencies.count() == 1 else None)
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        use = apply_service(form, lambda: services.use_record(
            actor=request.user, briefing=briefing, agency=data["agency"], team=data["team"],
            used_on=data["used_on"], attendees=data["attendees"],
            reflections=data["reflections"], actions=data["actions"]))
        if use:
            messages.success(request, f"Use of the briefing by {use.agency} recorded")
            return redirect("briefings:detail", pk=briefing.pk)
    return _form_page(request, form, "Record how a team used the briefing", caption=briefing.title,
                      intro="Which team used the briefing, when, how many attended, the team's "
                            "key reflections and the actions it agreed.",
                      cancel_url=reverse("briefings:detail", args=[briefing.pk]))


@reader
def campaign_list(request):
    return render(request, "briefings/campaigns.html", {
        "campaigns": selectors.campaigns_for(request.user),
        "manages": bool(managed(request.user))})


@reader
def campaign_add(request):
    partnership = _managed_partnership(request)
    form = forms.CampaignForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        campaign = apply_service(form, lambda: services.campaign_add(
            actor=request.user, partnership=partnership, **data))
        if campaign:
            messages.success(request, f"Campaign {campaign.name} added")
            return redirect("briefings:campaigns")
    return _form_page(request, form, "Add a campaign", caption=partnership.name,
                      cancel_url=reverse("briefings:campaigns"))


@reader
def campaign_edit(request, pk):
    if not managed(request.user):
        raise PermissionDenied  # no partnership's campaigns to manage
    campaign = selectors.campaign_get(actor=request.user, pk=pk)
    if campaign.partnership_id not in managed(request.user):
        raise Http404("No such campaign")
    form = forms.CampaignUpdateForm(request.POST or None, initial={
        "reach": campaign.reach, "reach_note": campaign.reach_note, "ends_on": campaign.ends_on})
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        if apply_service(form, lambda: services.campaign_update(
                actor=request.user, campaign=campaign, reach=data["reach"],
                ends_on=data["ends_on"], reach_note=data["reach_note"])):
            messages.success(request, f"Campaign {campaign.name} updated")
            return redirect("briefings:campaigns")
    return _form_page(request, form, "Update a campaign's reach", caption=campaign.name,
                      cancel_url=reverse("briefings:campaigns"))
