"""The Operation Encompass pages for the browser tests (tests/browser/site_map.py calls walk).

The demo's schools and incidents (encompass/demo.py) give the records: the police officer
records, the business unit keeps the schools and reads the escalation page, and Brook
Lane's Key Adult reads an open notification and acknowledges it.
"""

from __future__ import annotations

from django.urls import reverse

SKIPPED = {
    "encompass/notifications/<int:pk>/acknowledge/":
        "POST only: the button on the notification page, pressed in walk() below",
}


def walk(w) -> None:
    from safeguarding.encompass.models import Incident, Notification, School

    school = School.objects.filter(urn="900001").first()
    incident = Incident.objects.order_by("pk").first()
    notice = Notification.objects.filter(school=school, acknowledged_at__isnull=True,
                                         sent_at__isnull=False).order_by("pk").first()
    if school is None or incident is None or notice is None:
        return  # the demo's Operation Encompass records are not built
    code = school.partnership.code
    for user, path, label in [
        ("police.officer", reverse("encompass:home"), "Operation Encompass (police)"),
        ("police.officer", reverse("encompass:incidents", args=[code]), "Incidents recorded"),
        ("police.officer", reverse("encompass:incident-add", args=[code]), "Record an incident"),
        ("police.officer", reverse("encompass:import", args=[code]), "Import incidents"),
        ("police.officer", reverse("encompass:incident", args=[incident.pk]), "Incident"),
        ("business.staffs", reverse("encompass:schools", args=[code]), "Schools and Key Adults"),
        ("business.staffs", reverse("encompass:school-add", args=[code]), "Add a school"),
        ("business.staffs", reverse("encompass:school-edit", args=[school.pk]), "Change a school"),
        ("business.staffs", reverse("encompass:escalation", args=[code]), "Escalation"),
        ("key.adult.brook", reverse("encompass:home"), "Operation Encompass (Key Adult)"),
    ]:
        w.open(user, path, label)
    page = w.open("police.officer", reverse("encompass:incident-add", args=[code]),
                  "Record an incident")
    w.submit(page, "Record an incident, empty (error summary)",
             expect_path=reverse("encompass:incident-add", args=[code]))
    link = reverse("encompass:notification", args=[notice.pk])
    page = w.open("key.adult.brook", link, "Operation Encompass notification")
    w.submit(page, "Notification acknowledged", expect_path=link)
