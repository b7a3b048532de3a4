"""What reviews answer through the module contract beyond frames: the yearly report's
compliance annex item "decisions on review recommendations", and the dashboard's
triangulation (findings of reviews tagged with the theme)."""

from __future__ import annotations

from django.db.models import Q
from django.urls import reverse

from safeguarding.core.grammar import counted
from safeguarding.core.modules import EvidenceItem, TriangulationItem
from safeguarding.reviews.models import ActionStatus, Finding, Recommendation
from safeguarding.reviews.selectors import (
    actions_in_scope,
    incidents_in_scope,
    practice_reviews_in_scope,
)


def _findings(partnership):
    return Finding.objects.filter(
        Q(practice_review__in=practice_reviews_in_scope(partnership).values("pk"))
        | Q(rapid_review__incident__in=incidents_in_scope(partnership).values("pk")))


def report_evidence(partnership, period) -> dict[str, EvidenceItem]:
    """Recommendations with agreed actions (the partners' decision on each), for reviews
    finished in the year or actions due or done in it."""
    actions = actions_in_scope(partnership).filter(
        Q(due_on__gte=period.start, due_on__lte=period.end)
        | Q(completed_on__gte=period.start, completed_on__lte=period.end))
    decided = Recommendation.objects.filter(
        finding__in=_findings(partnership), actions__in=actions.values("pk")).distinct()
    done = actions.filter(status=ActionStatus.DONE, completed_on__gte=period.start,
                          completed_on__lte=period.end).count()
    n = decided.count()
    detail = (f"{counted(n, 'recommendation').capitalize()} of practice and rapid reviews "
              f"had actions agreed and under way in {period.label}; "
              f"{counted(done, 'action', verb='was')} completed in the year.")
    return {"review_decisions": EvidenceItem(
        "Decisions on review recommendations", n > 0, detail, reverse("reviews:action-list"))}


def triangulation(partnership, theme_key: str, period) -> list[TriangulationItem]:
    """Review findings tagged with a theme matching the dashboard theme, from reviews of
    the period (practice reviews finished, rapid reviews completed in it)."""
    slug = theme_key.replace("_", "-")
    findings = (_findings(partnership).filter(Q(themes__slug=slug) | Q(themes__slug__startswith=slug))
                .filter(Q(practice_review__final_on__gte=period.start,
                          practice_review__final_on__lte=period.end)
                        | Q(rapid_review__completed_on__gte=period.start,
                            rapid_review__completed_on__lte=period.end))
                .select_related("practice_review", "rapid_review").distinct())
    items = []
    for finding in findings.order_by("pk")[:20]:
        review = finding.practice_review
        url = (reverse("reviews:practice-review-detail", args=[review.pk]) if review
               else reverse("reviews:incident-detail", args=[finding.rapid_review.incident_id]))
        title = f"{'Practice' if review else 'Rapid'} review finding {finding.number}"
        items.append(TriangulationItem("review", title, finding.text[:200], url))
    return items
