"""The missing children pages. Worker roles (rules.py) record and follow episodes; board
members and analysts open only the Strategic Missing Group page, as counts."""

from __future__ import annotations

from functools import partial

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils import timezone
from django.utils.http import urlencode

from safeguarding.core.forms_govuk import apply_service
from safeguarding.core.views.imports import csv_import_page
from safeguarding.core.views.pages import form_page
from safeguarding.measures.periods import PeriodError, parse
from safeguarding.missing import config, forms, importer, selectors, services
from safeguarding.missing.rules import Level, level_for

_form_page = partial(form_page, breadcrumbs="missing/_breadcrumbs.html")


@login_required
def home(request):
    if not request.user.has_perm("missing.view_figures"):
        raise PermissionDenied
    overdue = selectors.overdue_counts()
    rows = [(p, level_for(request.user, p.pk) >= Level.WORK, overdue.get(p.pk, 0))
            for p in selectors.partnerships_for(request.user, Level.AGGREGATE)]
    return render(request, "missing/home.html", {"rows": rows})


@login_required
def episode_list(request, code):
    partnership = selectors.partnership_get(actor=request.user, code=code)
    found = selectors.episodes(actor=request.user, partnership=partnership)
    return render(request, "missing/episode_list.html", {
        "partnership": partnership, "episodes": found, "now": timezone.now(),
        "categories": config.codes("categories")})


@login_required
def episode_add(request, code):
    partnership = selectors.partnership_get(actor=request.user, code=code)
    form = forms.EpisodeForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        episode = apply_service(form, lambda: services.episode_record(
            actor=request.user, partnership=partnership, values=form.values()))
        if episode:
            messages.success(request, f"Episode {episode.force_reference} recorded")
            return redirect("missing:episode-detail", pk=episode.pk)
    return _form_page(request, form, "Record a missing episode", caption=partnership.name,
                      cancel_url=reverse("missing:episode-list", args=[code]),
                      intro="A return home interview is due within 72 hours of the child's "
                            "return from a missing episode.")


@login_required
def episode_import(request, code):
    partnership = selectors.partnership_get(actor=request.user, code=code)
    form = forms.ImportForm(request.POST or None, request.FILES or None)

    def loaded(record):
        messages.success(request, f"{record.file_name}: {record.added} added, "
                                  f"{record.changed} changed, {record.unchanged} unchanged")
        return redirect("missing:episode-list", code=code)

    return csv_import_page(
        request, form, lambda content, name: services.episodes_import(
            actor=request.user, partnership=partnership, content=content, file_name=name),
        succeeded=loaded, template="missing/import.html", context={
            "title": "Import missing episodes", "caption": partnership.name,
            "partnership": partnership, "columns": importer.columns()})


@login_required
def episode_detail(request, pk):
    episode = selectors.episode_get(actor=request.user, pk=pk)
    history = selectors.child_episodes(actor=request.user, episode=episode)
    return render(request, "missing/episode_detail.html", {
        "episode": episode, "partnership": episode.partnership,
        "child": selectors.episode_child(actor=request.user, episode=episode),
        "interview": getattr(episode, "interview", None), "history": history,
        "repeat": selectors.repeat_status(episode, history), "now": timezone.now(),
        "where_found_label": config.codes("where_found").get(episode.where_found, ""),
        "outcome_label": config.codes("outcomes").get(
            getattr(getattr(episode, "interview", None), "outcome", ""), ""),
        "rule": config.rhi_rule(),
        "mace_url": _mace_url(request.user, episode)})


def _mace_url(user, episode) -> str | None:
    """A MACE referral for this child (exploitation app): the index child when linked, else
    the episode's force reference as the child's reference. Only for people who may refer."""
    if not user.has_perm("exploitation.refer", episode.partnership):
        return None
    url = reverse("exploitation:case-refer", args=[episode.partnership.code])
    query = {"reference": f"Missing {episode.force_reference}"}
    if episode.child_id:
        query["child"] = str(episode.child_id)
    return f"{url}?{urlencode(query)}"


@login_required
def episode_return(request, pk):
    episode = selectors.episode_get(actor=request.user, pk=pk, purpose="record return")
    form = forms.ReturnForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        if apply_service(form, lambda: services.episode_return(
                actor=request.user, episode=episode,
                returned_at=forms.aware_at(data["returned_on"], data["returned_time"]),
                where_found=data["where_found"])):
            messages.success(request, f"Return recorded for {episode.force_reference}")
            return redirect("missing:episode-detail", pk=pk)
    return _form_page(request, form, f"Record the return: {episode.force_reference}",
                      caption=episode.partnership.name,
                      cancel_url=reverse("missing:episode-detail", args=[pk]))


@login_required
def interview(request, pk):
    episode = selectors.episode_get(actor=request.user, pk=pk, purpose="record return interview")
    held = getattr(episode, "interview", None)
    initial = {}
    if held is not None:
        offered = timezone.localtime(held.offered_at)
        initial = {"offered_on": offered.date(), "offered_time": offered.strftime("%H:%M"),
                   "accepted": {True: "Y", False: "N"}.get(held.accepted, ""),
                   "interviewer": held.interviewer, "outcome": held.outcome, "notes": held.notes}
        if held.interview_at:
            at = timezone.localtime(held.interview_at)
            initial |= {"interview_on": at.date(), "interview_time": at.strftime("%H:%M")}
    form = forms.InterviewForm(request.POST or None, initial=initial)
    if request.method == "POST" and form.is_valid():
        if apply_service(form, lambda: services.interview_record(
                actor=request.user, episode=episode, **form.values())):
            messages.success(request, f"Return interview saved for {episode.force_reference}")
            return redirect("missing:episode-detail", pk=pk)
    due = (f"Offer due by {timezone.localtime(episode.rhi_due_at):%-d %B %Y %H:%M}"
           if episode.rhi_due_at else "")
    return _form_page(request, form, f"Return home interview: {episode.force_reference}",
                      caption=due, cancel_url=reverse("missing:episode-detail", args=[pk]))


@login_required
def due(request, code):
    partnership = selectors.partnership_get(actor=request.user, code=code)
    lists = selectors.interviews_due(actor=request.user, partnership=partnership)
    return render(request, "missing/due.html", {"partnership": partnership, **lists,
                                                "rule": config.rhi_rule()})


@login_required
def smg(request, code):
    partnership = selectors.partnership_get(actor=request.user, code=code,
                                            at_least=Level.AGGREGATE)
    text = request.GET.get("period", "")
    try:
        period = parse(text) if text else None
    except PeriodError:
        period = None
    if period is None:
        period = selectors.default_period(partnership)
    summary = selectors.smg_summary(actor=request.user, partnership=partnership,
                                    start=period.start, end=period.end)
    return render(request, "missing/smg.html", {
        "partnership": partnership, "period": period, "summary": summary,
        "works": level_for(request.user, partnership.pk) >= Level.WORK})
