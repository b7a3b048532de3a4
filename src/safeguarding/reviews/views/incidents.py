"""Pages for serious incidents and rapid reviews."""

from __future__ import annotations

from django.contrib import messages
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from rules.contrib.views import permission_required

from safeguarding.core import deadlines
from safeguarding.core.forms_govuk import apply_service
from safeguarding.measures.periods import financial_years_since, parse_financial_year
from safeguarding.reviews import selectors, services
from safeguarding.reviews import steps as step_builders
from safeguarding.reviews.forms import (
    AgencyReturnForm,
    AgencyReturnRequestForm,
    ChronologyForm,
    DecisionForm,
    FindingForm,
    IncidentForm,
    NotificationForm,
    PanelResponseForm,
    RapidReviewForm,
)
from safeguarding.reviews.models import AgencyReturn, RapidReview
from safeguarding.reviews.rules import Level, review_access
from safeguarding.reviews.views._helpers import (
    agencies_for,
    check,
    form_page,
    paginate,
    partnerships_at,
    query_without_page,
    today,
)


@permission_required("reviews.open", raise_exception=True)
def home(request):
    user = request.user
    rights = review_access(user)
    return render(request, "reviews/home.html", {
        "lists_records": user.has_perm("reviews.list_records"),
        "adds_incidents": user.has_perm("reviews.add_incident"),
        "lists_actions": user.has_perm("reviews.list_actions"),
        "sees_statistics": user.has_perm("reviews.view_statistics"),
        "manages_themes": user.has_perm("reviews.manage_themes"),
        "owns_actions_only": bool(rights.action_seats) and rights.best() < Level.SUMMARY,
    })


@permission_required("reviews.list_records", raise_exception=True)
def incident_list(request):
    on = today()
    partnerships = partnerships_at(request, Level.SUMMARY)
    code = request.GET.get("partnership", "")
    partnership = partnerships.filter(code=code).first() if code else None
    year = request.GET.get("year", "")
    try:
        year = parse_financial_year(year).label if year else ""
    except ValueError:
        year = ""
    incidents = selectors.incident_list(actor=request.user, partnership=partnership,
                                        financial_year=year,
                                        open_only=request.GET.get("open") == "1")
    page = paginate(request, incidents)
    memo: dict = {}
    rows = []
    for incident in page:
        review = getattr(incident, "rapid_review", None)
        rows.append({
            "incident": incident,
            "notification": step_builders.notification_step(incident).view(on, memo),
            "rapid_review": (step_builders.rapid_review_step(review, incident).view(on, memo)
                             if review else None),
            "decision": review.get_decision_display() if review and review.decision else "",
        })
    years = [p.label for p in financial_years_since(today=on)]
    return render(request, "reviews/incident_list.html", {
        "rows": rows, "page": page, "query": query_without_page(request),
        "partnerships": partnerships, "partnership_code": code, "years": years, "year": year,
        "open_only": request.GET.get("open") == "1",
        "can_add": request.user.has_perm("reviews.add_incident"),
    })


@permission_required("reviews.add_incident", raise_exception=True)
def incident_add(request):
    partnerships = partnerships_at(request, Level.FULL)
    form = IncidentForm(request.POST or None, partnerships=partnerships,
                        initial={"partnership": partnerships.first()})
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        incident = apply_service(form, lambda: services.incident_create(
            actor=request.user, partnership=data["partnership"], aware_on=data["aware_on"],
            harm=data["harm"], abuse_or_neglect=data["abuse_or_neglect"],
            looked_after=data["looked_after"], summary=data["summary"],
            child_identifiers=data["children"], themes=list(data["themes"]),
            notification_sent_on=data["notification_sent_on"]))
        if incident:
            messages.success(request, f"Serious incident {incident.reference} recorded")
            return redirect("reviews:incident-detail", pk=incident.pk)
    return form_page(request, form, "Record a serious incident",
                     cancel_url=reverse("reviews:incident-list"),
                     intro="The notification to the Panel is due 5 working days after the local "
                           "authority became aware. The day it became aware is day 0.",
                     guidance_key="serious_incident_notification")


def incident_detail(request, pk):
    incident, full = selectors.incident_get(actor=request.user, pk=pk,
                                            purpose="view serious incident")
    on = today()
    memo: dict = {}
    context = {
        "incident": incident, "full": full, "on": on,
        "timeline": [s.view(on, memo) for s in step_builders.incident_timeline(incident)],
        "rapid_review": getattr(incident, "rapid_review", None),
        "practice_reviews": list(incident.practice_reviews.all()),
        "can_manage": request.user.has_perm("reviews.manage_record", incident),
    }
    if full:
        context["children"] = selectors.incident_children(
            actor=request.user, incident=incident, purpose="view serious incident")
    return render(request, "reviews/incident_detail.html", context)


def incident_edit(request, pk):
    incident, _ = selectors.incident_get(actor=request.user, pk=pk, purpose="edit serious incident")
    check(request, "reviews.manage_record", incident)
    identifiers = selectors.child_identifiers(actor=request.user, incident=incident,
                                              purpose="edit serious incident")
    form = IncidentForm(request.POST or None, editing=True, initial={
        "children": "\n".join(identifiers), "aware_on": incident.aware_on, "harm": incident.harm,
        "abuse_or_neglect": incident.abuse_or_neglect,
        "looked_after": "yes" if incident.looked_after else "no", "summary": incident.summary,
        "themes": incident.themes.all()})
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        if apply_service(form, lambda: services.incident_update(
                actor=request.user, incident=incident, aware_on=data["aware_on"],
                harm=data["harm"], abuse_or_neglect=data["abuse_or_neglect"],
                looked_after=data["looked_after"], summary=data["summary"],
                themes=list(data["themes"]), child_identifiers=data["children"])):
            messages.success(request, "Serious incident saved")
            return redirect("reviews:incident-detail", pk=incident.pk)
    return form_page(request, form, f"Edit serious incident {incident.reference}",
                     cancel_url=reverse("reviews:incident-detail", args=[incident.pk]))


def incident_notify(request, pk):
    incident, _ = selectors.incident_get(actor=request.user, pk=pk,
                                         purpose="record serious incident notification")
    check(request, "reviews.manage_record", incident)
    form = NotificationForm(request.POST or None,
                            initial={"notification_sent_on": incident.notification_sent_on})
    if request.method == "POST" and form.is_valid():
        if apply_service(form, lambda: services.incident_notify(
                actor=request.user, incident=incident,
                sent_on=form.cleaned_data["notification_sent_on"])):
            messages.success(request, "Notification recorded. The rapid review clock has started")
            return redirect("reviews:incident-detail", pk=incident.pk)
    return form_page(
        request, form, "Record the notification to the Panel", caption=incident.reference,
        cancel_url=reverse("reviews:incident-detail", args=[incident.pk]),
        intro=f"Due by {incident.notification_due:%A %-d %B %Y}. The rapid review is due "
              f"{deadlines.rule('rapid_review').span()} after the notification.",
        guidance_key="serious_incident_notification")


def _rapid_review_or_404(incident) -> RapidReview:
    review = getattr(incident, "rapid_review", None)
    if review is None:
        from django.http import Http404

        raise Http404("The rapid review starts when the notification is recorded")
    return review


def rapid_review(request, pk):
    incident, full = selectors.incident_get(actor=request.user, pk=pk, purpose="view rapid review")
    detail = selectors.rapid_review_detail(incident=incident)
    review = detail["review"]
    on = today()
    memo: dict = {}
    context = {"incident": incident, "full": full, **detail}
    if review is not None:
        context["clock"] = step_builders.rapid_review_step(review, incident).view(on, memo)
        context["return_rows"] = [
            {"item": item, "clock": step_builders.agency_return_step(item, incident).view(on, memo)}
            for item in detail["returns"]]
        context["can_manage"] = request.user.has_perm("reviews.manage_record", review)
        context["can_contribute"] = request.user.has_perm("reviews.contribute_record", review)
    return render(request, "reviews/rapid_review.html", context)


def _rapid_review_form(request, pk, purpose, permission):
    incident, _ = selectors.incident_get(actor=request.user, pk=pk, purpose=purpose)
    review = _rapid_review_or_404(incident)
    check(request, permission, review)
    return incident, review


def rapid_review_edit(request, pk):
    incident, review = _rapid_review_form(request, pk, "edit rapid review",
                                          "reviews.manage_record")
    form = RapidReviewForm(request.POST or None, initial={
        "meeting_on": review.meeting_on, "completed_on": review.completed_on})
    if request.method == "POST" and form.is_valid():
        if apply_service(form, lambda: services.rapid_review_update(
                actor=request.user, rapid_review=review, **form.cleaned_data)):
            messages.success(request, "Rapid review saved")
            return redirect("reviews:rapid-review", pk=incident.pk)
    return form_page(request, form, "Rapid review meeting and completion",
                     caption=incident.reference,
                     cancel_url=reverse("reviews:rapid-review", args=[incident.pk]),
                     intro=f"Due by {review.due_on:%A %-d %B %Y}: "
                           f"{deadlines.rule('rapid_review').span()} after the notification on "
                           f"{review.started_on:%-d %B %Y}.")


def rapid_review_decision(request, pk):
    incident, review = _rapid_review_form(request, pk, "record rapid review decision",
                                          "reviews.manage_record")
    form = DecisionForm(request.POST or None, initial={
        "decision": review.decision, "decision_on": review.decision_on,
        "rationale": review.rationale})
    if request.method == "POST" and form.is_valid():
        if apply_service(form, lambda: services.rapid_review_decide(
                actor=request.user, rapid_review=review, **form.cleaned_data)):
            messages.success(request, "Decision recorded")
            return redirect("reviews:rapid-review", pk=incident.pk)
    return form_page(request, form, "Record the rapid review decision", caption=incident.reference,
                     cancel_url=reverse("reviews:rapid-review", args=[incident.pk]),
                     guidance_key="rapid_review_decision")


def rapid_review_panel_response(request, pk):
    incident, review = _rapid_review_form(request, pk, "record Panel response",
                                          "reviews.manage_record")
    form = PanelResponseForm(request.POST or None, initial={
        "panel_response_on": review.panel_response_on, "panel_response": review.panel_response})
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        if apply_service(form, lambda: services.rapid_review_panel_response(
                actor=request.user, rapid_review=review, response_on=data["panel_response_on"],
                response=data["panel_response"])):
            messages.success(request, "The Panel's response recorded")
            return redirect("reviews:rapid-review", pk=incident.pk)
    return form_page(request, form, "Record the Panel's response", caption=incident.reference,
                     cancel_url=reverse("reviews:rapid-review", args=[incident.pk]))


def agency_return_add(request, pk):
    incident, review = _rapid_review_form(request, pk, "request agency return",
                                          "reviews.contribute_record")
    form = AgencyReturnRequestForm(request.POST or None, agencies=agencies_for(incident.partnership),
                                   initial={"requested_on": today()})
    if request.method == "POST" and form.is_valid():
        if apply_service(form, lambda: services.agency_return_request(
                actor=request.user, rapid_review=review, **form.cleaned_data)):
            messages.success(request, "Return requested")
            return redirect("reviews:rapid-review", pk=incident.pk)
    return form_page(request, form, "Request an agency's information return",
                     caption=incident.reference, submit_label="Request return",
                     cancel_url=reverse("reviews:rapid-review", args=[incident.pk]),
                     intro="Returns are due 10 working days after the notification.")


def agency_return_edit(request, pk):
    item = get_object_or_404(AgencyReturn.objects.select_related(
        "agency", "rapid_review__incident"), pk=pk)
    incident, _ = selectors.incident_get(actor=request.user, pk=item.rapid_review.incident_id,
                                         purpose="record agency return")
    check(request, "reviews.contribute_record", item)
    form = AgencyReturnForm(request.POST or None, initial={
        "received_on": item.received_on, "attended_meeting": item.attended_meeting})
    if request.method == "POST" and form.is_valid():
        if apply_service(form, lambda: services.agency_return_update(
                actor=request.user, agency_return=item, **form.cleaned_data)):
            messages.success(request, f"Return from {item.agency} saved")
            return redirect("reviews:rapid-review", pk=incident.pk)
    return form_page(request, form, f"Return from {item.agency}", caption=incident.reference,
                     cancel_url=reverse("reviews:rapid-review", args=[incident.pk]),
                     intro=f"Due by {item.due_on:%A %-d %B %Y}.")


def chronology_add(request, pk):
    incident, review = _rapid_review_form(request, pk, "add chronology entry",
                                          "reviews.contribute_record")
    form = ChronologyForm(request.POST or None, agencies=agencies_for(incident.partnership))
    if request.method == "POST" and form.is_valid():
        if apply_service(form, lambda: services.chronology_add(
                actor=request.user, rapid_review=review, **form.cleaned_data)):
            messages.success(request, "Chronology entry added")
            return redirect("reviews:rapid-review", pk=incident.pk)
    return form_page(request, form, "Add to the multi-agency chronology",
                     caption=incident.reference, submit_label="Add entry",
                     cancel_url=reverse("reviews:rapid-review", args=[incident.pk]))


def rapid_review_finding_add(request, pk):
    incident, review = _rapid_review_form(request, pk, "add rapid review finding",
                                          "reviews.contribute_record")
    form = FindingForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        if apply_service(form, lambda: services.finding_add(
                actor=request.user, review=review, text=data["text"],
                themes=list(data["themes"]))):
            messages.success(request, "Finding added")
            return redirect("reviews:rapid-review", pk=incident.pk)
    return form_page(request, form, "Add a finding from the rapid review",
                     caption=incident.reference, submit_label="Add finding",
                     cancel_url=reverse("reviews:rapid-review", args=[incident.pk]))
