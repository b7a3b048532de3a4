"""What the review pages share: form pages, service errors on forms, permission checks."""

from __future__ import annotations

from django.core.exceptions import PermissionDenied
from django.core.paginator import Paginator
from django.shortcuts import render

from safeguarding.core.guidance import guidance
from safeguarding.core.models import Agency, Partnership
from safeguarding.reviews import clocks
from safeguarding.reviews.rules import Level, review_access
from safeguarding.reviews.services._common import coordinated_partnership_ids

PAGE_SIZE = 25


def today():
    return clocks.today()


def form_page(request, form, title, *, cancel_url, caption="", submit_label="Save", intro="",
              guidance_key=""):
    """``guidance_key`` names the guidance the page's judgement follows (core/guidance.py)."""
    return render(request, "form_page.html", {
        "breadcrumbs": "reviews/_breadcrumbs.html",
        "form": form, "title": title, "cancel_url": cancel_url, "submit_label": submit_label,
        "intro": intro, "caption": caption,
        "guidance": guidance(guidance_key) if guidance_key else None,
    })


def check(request, permission: str, obj=None) -> None:
    if not request.user.has_perm(permission, obj):
        raise PermissionDenied


def partnerships_at(request, level: Level):
    return Partnership.objects.filter(
        pk__in=review_access(request.user).partnerships(level)).order_by("name")


def agencies_for(partnership: Partnership):
    """Agencies that may act in a partnership's reviews: its own and those of the
    partnerships it coordinates reviews for."""
    return Agency.objects.filter(
        partnerships__in=coordinated_partnership_ids(partnership)).distinct().order_by("name")


def paginate(request, items):
    paginator = Paginator(items, PAGE_SIZE)
    return paginator.get_page(request.GET.get("page"))


def query_without_page(request) -> str:
    params = request.GET.copy()
    params.pop("page", None)
    return params.urlencode()
