"""The linkage review queue: pending pairs, and a side-by-side page to accept or reject one."""

from __future__ import annotations

from django.contrib import messages
from django.core.exceptions import ValidationError
from django.core.paginator import Paginator
from django.shortcuts import get_object_or_404, redirect, render
from django.views.decorators.http import require_http_methods
from rules.contrib.views import permission_required

from safeguarding.children.linkage import selectors, services
from safeguarding.children.models import LinkCandidate

PAGE_SIZE = 50


@permission_required("children.review_links", raise_exception=True)
def review_list(request):
    page = Paginator(selectors.review_queue(actor=request.user), PAGE_SIZE).get_page(
        request.GET.get("page"))
    for candidate in page:
        candidate.summary = selectors.evidence_summary(candidate.evidence)
    return render(request, "children/linkage/review_list.html", {
        "page": page, "models": selectors.models_in_use(actor=request.user)})


@require_http_methods(["GET", "POST"])
def review_decide(request, pk):
    if request.method == "POST":
        candidate = get_object_or_404(LinkCandidate, pk=pk)
        decision = request.POST.get("decision")
        if decision not in ("accept", "reject"):
            messages.error(request, "Choose accept or reject")
            return redirect("children:linkage-decide", pk=pk)
        try:
            services.candidate_decide(actor=request.user, candidate=candidate,
                                      accept=decision == "accept")
        except ValidationError as error:
            messages.error(request, " ".join(error.messages))
        else:
            messages.success(request, "Records linked" if decision == "accept"
                             else "Pair rejected: it will not be proposed again")
        return redirect("children:linkage-review")
    comparison = selectors.candidate_for_review(actor=request.user, candidate_id=pk)
    return render(request, "children/linkage/review_decide.html", {
        "comparison": comparison, "candidate": comparison.candidate,
        "record": comparison.record, "child": comparison.child,
        "pending": comparison.candidate.status == LinkCandidate.Status.PENDING,
    })
