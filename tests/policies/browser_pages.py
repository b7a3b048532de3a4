"""The policy library's pages for the browser tests (tests/browser/site_map.py calls walk).

The demo's library (policies/demo.py) gives the records: a dozen joint policies of
Staffordshire and Stoke-on-Trent, one overdue for review.
"""

from __future__ import annotations

from django.urls import reverse

SKIPPED = {
    "policies/versions/<int:pk>/file/": "a file download, not a page",
}


def walk(w) -> None:
    from safeguarding.core.models import Partnership
    from safeguarding.policies.models import Policy

    staffs = Partnership.objects.filter(code="STAFFS").first()
    policy = Policy.objects.filter(partnerships=staffs).order_by("pk").first()
    if policy is None:
        return  # the demo's library is not built
    version = policy.versions.order_by("number").first()
    pages = [
        ("social.worker", reverse("policies:library"), "Policies and procedures"),
        ("social.worker", reverse("policies:library") + "?q=escalation", "Search policies"),
        ("social.worker", reverse("policies:policy", args=[policy.pk]), "A policy"),
        ("social.worker", reverse("policies:history", args=[policy.pk]), "Version history"),
        ("social.worker", reverse("policies:version", args=[version.pk]), "An earlier version"),
        ("business.staffs", reverse("policies:library"), "Policies due for review"),
        ("business.staffs", reverse("policies:policy-add"), "Add a policy"),
        ("business.staffs", reverse("policies:version-add", args=[policy.pk]),
         "Publish a new version"),
        ("business.staffs", reverse("policies:review", args=[policy.pk]), "Mark as reviewed"),
    ]
    for user, path, label in pages:
        w.open(user, path, label)
