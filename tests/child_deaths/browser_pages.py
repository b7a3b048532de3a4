"""The child death review pages for the browser tests (tests/browser/site_map.py calls walk).

Staffordshire hosts the joint Child Death Overview Panel, so its business unit opens every
page; the demo's cases give the records. A panel member lists the cases too, and an analyst
is sent from the case list to the statistics (aggregates only).
"""

from __future__ import annotations

from django.urls import reverse

SKIPPED = {
    "child-deaths/themes/<int:pk>/toggle/": "POST only: the retire and restore buttons are on "
                                            "the themes page",
    "child-deaths/<int:pk>/export.<str:fmt>": "file download, not a page",
}


def walk(w) -> None:
    from safeguarding.child_deaths.models import ChildDeath

    cases = ChildDeath.objects.filter(partnership__code="STAFFS").order_by("pk")
    case = (cases.filter(information_requests__isnull=False, jar__isnull=False,
                         review__isnull=False).first()
            or cases.filter(information_requests__isnull=False).first())
    request = case.information_requests.order_by("pk").first()

    pages = [
        (reverse("child_deaths:list"), "Child deaths"),
        (reverse("child_deaths:list") + "?status=notified", "Child deaths, one stage"),
        (reverse("child_deaths:due"), "Child deaths, information due"),
        (reverse("child_deaths:exports"), "Child deaths, export a year"),
        (reverse("child_deaths:statistics"), "Child death statistics"),
        (reverse("child_deaths:themes"), "Child death themes"),
        (reverse("child_deaths:detail", args=[case.pk]), "Child death case"),
        (reverse("child_deaths:jar", args=[case.pk]), "Joint Agency Response"),
        (reverse("child_deaths:request-add", args=[case.pk]), "Request information"),
        (reverse("child_deaths:request-response", args=[case.pk, request.pk]),
         "Record an agency's response"),
        (reverse("child_deaths:review", args=[case.pk]), "Record the panel's review"),
    ]
    for path, label in pages:
        page = w.open("business.staffs", path, label)

    # The case export is a file, not a page: it still answers, as a CSV.
    export = page.request.get(reverse("child_deaths:case-export", args=[case.pk, "csv"]))
    assert export.status == 200, export.status
    assert export.headers["content-type"].startswith("text/csv"), export.headers

    # A form shown again with its errors: a death notified with the names left out.
    page = w.open("business.staffs", reverse("child_deaths:notify"), "Notify a child's death")
    w.submit(page, "Notify a child's death, empty (error summary)",
             expect_path=reverse("child_deaths:notify"))

    w.open("cdop.member", reverse("child_deaths:list"), "Child deaths, panel member")
    w.open("analyst.staffs", reverse("child_deaths:list"), "Child death statistics, analyst",
           expect_path=reverse("child_deaths:statistics"))
