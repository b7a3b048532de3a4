"""The policy library's pages. Everyone with a seat reads and searches the policies of their
partnerships; the business unit (and each policy's owner) adds policies, publishes versions
and records reviews (rules.py)."""

from __future__ import annotations

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied
from django.http import HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils import timezone

from safeguarding.core.audit import audit_append
from safeguarding.core.forms_govuk import apply_service
from safeguarding.core.models import AuditEvent, User
from safeguarding.policies import forms, selectors, services


def _reader(request) -> None:
    if not request.user.has_perm("policies.open"):
        raise PermissionDenied


def _form_page(request, form, title, *, cancel_url, caption="", intro="", submit="Save"):
    return render(request, "policies/form.html", {
        "form": form, "title": title, "cancel_url": cancel_url, "caption": caption,
        "intro": intro, "submit_label": submit})


@login_required
def library(request):
    _reader(request)
    today = timezone.localdate()
    form = forms.SearchForm(request.GET or None)
    query = form.cleaned_data["q"] if form.is_valid() else ""
    hits = selectors.search(request.user, query) if query else None
    rows = [{"policy": p, "version": selectors.current_version(p),
             "status": selectors.status(p, today)}
            for p in selectors.library(request.user)] if hits is None else []
    return render(request, "policies/library.html", {
        "form": form, "query": query, "hits": hits, "rows": rows,
        "full_text": selectors.uses_full_text(),
        "can_add": request.user.has_perm("policies.add"),
        "due": selectors.due_for_review(request.user, today)})


@login_required
def policy(request, pk):
    found = selectors.policy_get(actor=request.user, pk=pk)
    version = selectors.current_version(found)
    return render(request, "policies/policy.html", {
        "policy": found, "version": version,
        "status": selectors.status(found, timezone.localdate()),
        "can_manage": request.user.has_perm("policies.manage", found),
        "reviews": selectors.reviews(found)[:5]})


@login_required
def history(request, pk):
    found = selectors.policy_get(actor=request.user, pk=pk)
    return render(request, "policies/history.html", {
        "policy": found, "versions": selectors.versions(found),
        "reviews": selectors.reviews(found)})


@login_required
def version(request, pk):
    found = selectors.version_get(actor=request.user, pk=pk)
    return render(request, "policies/version.html", {"policy": found.policy, "version": found})


@login_required
def version_file(request, pk):
    found = selectors.version_get(actor=request.user, pk=pk)
    if not found.file_name:
        raise PermissionDenied
    audit_append(actor=request.user, action=AuditEvent.Action.EXPORT,
                 object_type="policies.version", object_id=str(found.pk),
                 purpose="download a policy file", detail={"policy": found.policy_id})
    response = HttpResponse(bytes(found.file_content),
                            content_type=found.file_type or "application/octet-stream")
    response["Content-Disposition"] = f'attachment; filename="{found.file_name}"'
    return response


@login_required
def policy_add(request):
    if not request.user.has_perm("policies.add"):
        raise PermissionDenied
    partnerships = selectors.managed_for(request.user)
    owners = User.objects.filter(is_active=True, memberships__partnership__in=partnerships
                                 ).distinct().order_by("first_name", "last_name", "username")
    form = forms.PolicyForm(request.POST or None, request.FILES or None,
                            partnerships=partnerships, owners=owners)
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        made = apply_service(form, lambda: services.policy_add(
            actor=request.user, title=data["title"], reference=data["reference"],
            summary=data["summary"], owner=data["owner"], partnerships=data["partnerships"],
            review_due=data["review_due"], body=data["body"],
            change_summary=data["change_summary"], published_on=data["published_on"],
            **form.file_parts()))
        if made:
            messages.success(request, f"{made} added")
            return redirect("policies:policy", pk=made.pk)
    return _form_page(request, form, "Add a policy or procedure",
                      cancel_url=reverse("policies:library"), submit="Add the policy")


@login_required
def version_add(request, pk):
    found = selectors.policy_get(actor=request.user, pk=pk)
    if not request.user.has_perm("policies.manage", found):
        raise PermissionDenied
    form = forms.VersionFields(request.POST or None, request.FILES or None)
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        made = apply_service(form, lambda: services.version_publish(
            actor=request.user, policy=found, change_summary=data["change_summary"],
            body=data["body"], published_on=data["published_on"], **form.file_parts()))
        if made:
            messages.success(request, f"Version {made.number} published")
            return redirect("policies:policy", pk=found.pk)
    return _form_page(request, form, "Publish a new version", caption=found.title,
                      intro="The new version becomes the current one; earlier versions stay "
                            "in the history. Publishing does not record a review: record the "
                            "review as well if this version is the outcome of one.",
                      cancel_url=reverse("policies:policy", args=[found.pk]), submit="Publish")


@login_required
def review(request, pk):
    found = selectors.policy_get(actor=request.user, pk=pk)
    if not request.user.has_perm("policies.manage", found):
        raise PermissionDenied
    form = forms.ReviewForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        made = apply_service(form, lambda: services.policy_review(
            actor=request.user, policy=found, reviewed_on=data["reviewed_on"],
            next_due=data["next_due"], note=data["note"]))
        if made:
            messages.success(request, f"Review recorded: next review by "
                                      f"{made.next_due:%-d %B %Y}")
            return redirect("policies:policy", pk=found.pk)
    return _form_page(request, form, "Mark as reviewed", caption=found.title,
                      intro=f"The review date is {found.review_due:%-d %B %Y}.",
                      cancel_url=reverse("policies:policy", args=[found.pk]),
                      submit="Record the review")
