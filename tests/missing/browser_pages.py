"""The missing children pages for the browser tests (tests/browser/site_map.py calls walk).

The demo's episodes (missing/demo.py) give the records; a Staffordshire social worker (a
worker role) opens every page, and a board member the Strategic Missing Group's counts.
"""

from __future__ import annotations

from django.urls import reverse


def walk(w) -> None:
    from safeguarding.missing.models import Episode

    episode = Episode.objects.filter(partnership__code="STAFFS", interview__isnull=False
                                     ).order_by("pk").first()
    if episode is None:
        return  # the demo's missing records are not built
    pages = [
        (reverse("missing:home"), "Missing children"),
        (reverse("missing:episode-list", args=["STAFFS"]), "Missing episodes"),
        (reverse("missing:episode-add", args=["STAFFS"]), "Record a missing episode"),
        (reverse("missing:import", args=["STAFFS"]), "Import missing episodes"),
        (reverse("missing:due", args=["STAFFS"]), "Return home interviews due and overdue"),
        (reverse("missing:smg", args=["STAFFS"]) + "?period=2020-21", "Strategic Missing Group"),
        (reverse("missing:episode-detail", args=[episode.pk]), "Missing episode"),
        (reverse("missing:episode-return", args=[episode.pk]), "Record the return"),
        (reverse("missing:interview", args=[episode.pk]), "Return home interview"),
    ]
    for path, label in pages:
        w.open("social.worker", path, label)
    page = w.open("social.worker", reverse("missing:episode-add", args=["STAFFS"]),
                  "Record a missing episode")
    w.submit(page, "Record a missing episode, empty (error summary)",
             expect_path=reverse("missing:episode-add", args=["STAFFS"]))
    w.open("board.police", reverse("missing:smg", args=["STAFFS"]) + "?period=2020-21",
           "Strategic Missing Group, board member (counts only)")
