"""Pages for practice reviews (local and thematic), findings, recommendations and actions."""

from __future__ import annotations

from django.contrib import messages
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from rules.contrib.views import permission_required

from safeguarding.core.forms_govuk import apply_service
from safeguarding.reviews import selectors, services
from safeguarding.reviews import steps as step_builders
from safeguarding.reviews.forms import (
    ActionForm,
    DeferForm,
    FindingForm,
    PracticeReviewCreateForm,
    PracticeReviewForm,
    PublishForm,
    RecommendationForm,
)
from safeguarding.reviews.models import Finding, Recommendation, ReviewKind
from safeguarding.reviews.rules import Level, partnership_of
from safeguarding.reviews.views._helpers import (
    agencies_for,
    check,
    form_page,
    paginate,
    partnerships_at,
    query_without_page,
    today,
)


@permission_required("reviews.list_records", raise_exception=True)
def practice_review_list(request):
    on = today()
    kind = request.GET.get("kind", "")
    kind = kind if kind in ReviewKind.values else ""
    page = paginate(request, selectors.practice_review_list(actor=request.user, kind=kind))
    memo: dict = {}
    rows = [{"review": r, "publication": step_builders.practice_review_steps(r)[0].view(on, memo)}
            for r in page]
    return render(request, "reviews/practice_review_list.html", {
        "rows": rows, "page": page, "query": query_without_page(request), "kind": kind,
        "kinds": ReviewKind.choices, "can_add": request.user.has_perm("reviews.add_incident"),
    })


@permission_required("reviews.add_incident", raise_exception=True)
def practice_review_add(request):
    partnerships = partnerships_at(request, Level.FULL)
    incidents = selectors.incidents_for_choice(
        actor=request.user, partnership_ids=set(partnerships.values_list("pk", flat=True)))
    initial = {"partnership": partnerships.first(), "kind": ReviewKind.LOCAL}
    chosen = request.GET.get("incident")
    if chosen and chosen.isdigit():
        incident = incidents.filter(pk=int(chosen)).first()
        review = getattr(incident, "rapid_review", None) if incident else None
        if incident is not None:
            initial.update({"incidents": [incident], "partnership": incident.partnership})
        if review is not None and review.decision_on:
            initial["decided_on"] = review.decision_on
    form = PracticeReviewCreateForm(request.POST or None, partnerships=partnerships,
                                    incidents=incidents, initial=initial)
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        review = apply_service(form, lambda: services.practice_review_create(
            actor=request.user, partnership=data["partnership"], kind=data["kind"],
            title=data["title"], decided_on=data["decided_on"],
            incidents=list(data["incidents"]), themes=list(data["themes"]),
            scope=data["scope"], reviewer=data["reviewer"],
            commissioned_on=data["commissioned_on"]))
        if review:
            messages.success(request, f"Practice review {review.reference} started")
            return redirect("reviews:practice-review-detail", pk=review.pk)
    return form_page(request, form, "Start a practice review",
                     cancel_url=reverse("reviews:practice-review-list"),
                     intro="A thematic review can group several serious incidents. Publication is "
                           "due six months after the decision to carry out the review.")


def practice_review_detail(request, pk):
    review = selectors.practice_review_get(actor=request.user, pk=pk)
    on = today()
    memo: dict = {}
    return render(request, "reviews/practice_review_detail.html", {
        "review": review,
        "clocks": [s.view(on, memo) for s in step_builders.practice_review_steps(review)],
        "findings": selectors.practice_review_findings(review=review),
        "incidents": list(review.incidents.all()),
        "learning_events": list(review.learning_events.all()),
        "full": request.user.has_perm("reviews.view_record", review),
        "can_manage": request.user.has_perm("reviews.manage_record", review),
        "can_contribute": request.user.has_perm("reviews.contribute_record", review),
        "on": on,
    })


def _managed_review(request, pk):
    review = selectors.practice_review_get(actor=request.user, pk=pk)
    check(request, "reviews.manage_record", review)
    return review


def practice_review_edit(request, pk):
    review = _managed_review(request, pk)
    fields = ["title", "scope", "reviewer", "terms_of_reference", "commissioned_on",
              "terms_agreed_on", "draft_on", "final_on", "planned_publication_on",
              "panel_notice_on"]
    initial = {f: getattr(review, f) for f in fields}
    initial["themes"] = review.themes.all()
    form = PracticeReviewForm(request.POST or None, initial=initial)
    if request.method == "POST" and form.is_valid():
        data = dict(form.cleaned_data)
        data["themes"] = list(data["themes"])
        if apply_service(form, lambda: services.practice_review_update(
                actor=request.user, review=review, **data)):
            messages.success(request, "Practice review saved")
            return redirect("reviews:practice-review-detail", pk=review.pk)
    return form_page(request, form, f"Edit {review.reference}", caption=review.title,
                     cancel_url=reverse("reviews:practice-review-detail", args=[review.pk]))


def practice_review_publish(request, pk):
    review = _managed_review(request, pk)
    form = PublishForm(request.POST or None, initial={"published_on": review.published_on,
                                                      "published_url": review.published_url})
    if request.method == "POST" and form.is_valid():
        if apply_service(form, lambda: services.practice_review_publish(
                actor=request.user, review=review, **form.cleaned_data)):
            messages.success(request, "Publication recorded")
            return redirect("reviews:practice-review-detail", pk=review.pk)
    return form_page(request, form, "Record publication", caption=review.reference,
                     cancel_url=reverse("reviews:practice-review-detail", args=[review.pk]),
                     intro=f"Publication is due by {review.publication_due:%A %-d %B %Y}.")


def practice_review_defer(request, pk):
    review = _managed_review(request, pk)
    form = DeferForm(request.POST or None, initial={
        "deferral_reason": review.deferral_reason, "deferral_detail": review.deferral_detail,
        "deferred_on": review.deferred_on or today(),
        "deferral_review_on": review.deferral_review_on})
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        if apply_service(form, lambda: services.practice_review_defer(
                actor=request.user, review=review, reason=data["deferral_reason"],
                detail=data["deferral_detail"], deferred_on=data["deferred_on"],
                review_on=data["deferral_review_on"])):
            messages.success(request, "Publication deferred")
            return redirect("reviews:practice-review-detail", pk=review.pk)
    return form_page(request, form, "Defer publication", caption=review.reference,
                     cancel_url=reverse("reviews:practice-review-detail", args=[review.pk]))


def practice_review_finding_add(request, pk):
    review = selectors.practice_review_get(actor=request.user, pk=pk)
    check(request, "reviews.contribute_record", review)
    form = FindingForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        if apply_service(form, lambda: services.finding_add(
                actor=request.user, review=review, text=data["text"],
                themes=list(data["themes"]))):
            messages.success(request, "Finding added")
            return redirect("reviews:practice-review-detail", pk=review.pk)
    return form_page(request, form, "Add a finding", caption=review.reference,
                     submit_label="Add finding",
                     cancel_url=reverse("reviews:practice-review-detail", args=[review.pk]))


def _back_to(finding: Finding) -> str:
    if finding.practice_review_id:
        return reverse("reviews:practice-review-detail", args=[finding.practice_review_id])
    assert finding.rapid_review is not None
    return reverse("reviews:rapid-review", args=[finding.rapid_review.incident_id])


def recommendation_add(request, pk):
    finding = get_object_or_404(Finding.objects.select_related(
        "practice_review", "rapid_review__incident"), pk=pk)
    check(request, "reviews.contribute_record", finding)
    form = RecommendationForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        if apply_service(form, lambda: services.recommendation_add(
                actor=request.user, finding=finding, text=form.cleaned_data["text"])):
            messages.success(request, "Recommendation added")
            return redirect(_back_to(finding))
    return form_page(request, form, f"Add a recommendation to finding {finding.number}",
                     caption=finding.review.__str__(), submit_label="Add recommendation",
                     cancel_url=_back_to(finding))


def action_add(request, pk):
    recommendation = get_object_or_404(Recommendation.objects.select_related(
        "finding__practice_review", "finding__rapid_review__incident"), pk=pk)
    check(request, "reviews.contribute_record", recommendation)
    from safeguarding.core.models import Partnership

    partnership = Partnership.objects.get(pk=partnership_of(recommendation) or 0)
    form = ActionForm(request.POST or None, agencies=agencies_for(partnership))
    if request.method == "POST" and form.is_valid():
        if apply_service(form, lambda: services.action_add(
                actor=request.user, recommendation=recommendation, **form.cleaned_data)):
            messages.success(request, "Action added")
            return redirect(_back_to(recommendation.finding))
    return form_page(request, form, f"Add an action to recommendation {recommendation}",
                     caption=recommendation.text[:120], submit_label="Add action",
                     cancel_url=_back_to(recommendation.finding),
                     intro="The owning agency is reminded two working days before the due date, "
                           "and again if the action becomes overdue.")
