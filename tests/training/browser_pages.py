"""The training pages for the browser tests (tests/browser/site_map.py calls walk).

The demo's programme (training/demo.py) gives the records: a practitioner's booking on the
open session a few weeks ahead, and Staffordshire's business unit running the programme.
"""

from __future__ import annotations

from django.urls import reverse

SKIPPED = {
    "training/bookings/<int:pk>/accept/": "POST only: the accept button is on the learner's "
                                          "bookings page when a place is offered",
    "training/manage/<int:partnership>/invoices.csv": "a CSV download, not a page",
}


def walk(w) -> None:
    from safeguarding.core.models import User
    from safeguarding.training import services
    from safeguarding.training.models import Booking, Charge, Course, Organisation, Session

    course = Course.objects.order_by("pk").first()
    open_session = Session.objects.filter(status="open").order_by("-starts_at").first()
    # The demo invoices its year's charges, so a raised one may be left or not; the waiver
    # form is the same page for any charge.
    charge = (Charge.objects.filter(status="raised").order_by("pk").first()
              or Charge.objects.order_by("pk").first())
    organisation = Organisation.objects.order_by("pk").first()
    if None in (course, open_session, charge, organisation):
        return  # the demo's training programme is not built
    partnership = course.partnership_id
    held = Session.objects.filter(status="delivered").order_by("pk").first()
    worker = User.objects.get(username="social.worker")
    mine = (Booking.objects.filter(learner=worker, session=open_session).first()
            or services.booking_request(actor=worker, session=open_session))
    pages = [
        ("business.staffs", reverse("training:manage", args=[partnership]),
         "Run the training programme"),
        ("business.staffs", reverse("training:course-add", args=[partnership]), "Add a course"),
        ("business.staffs", reverse("training:session-add", args=[course.pk]), "Add a session"),
        ("business.staffs", reverse("training:session-register", args=[held.pk]), "Register"),
        ("business.staffs", reverse("training:charges", args=[partnership]), "Charges"),
        ("business.staffs", reverse("training:charge-waive", args=[charge.pk]), "Waive a charge"),
        ("business.staffs", reverse("training:invoices", args=[partnership]), "Invoices"),
        ("business.staffs", reverse("training:organisations", args=[partnership]),
         "Organisations"),
        ("business.staffs", reverse("training:organisation-edit", args=[organisation.pk]),
         "Change an organisation"),
        ("business.staffs", reverse("training:elearning-import", args=[partnership]),
         "Import e-learning completions"),
        ("business.staffs", reverse("training:refreshers", args=[partnership]),
         "Learners due a refresher"),
        ("business.staffs", reverse("training:coverage", args=[partnership]),
         "Coverage by organisation and level"),
        ("business.staffs", reverse("training:approve", args=[services.approval_token(mine)]),
         "Approve a training booking"),
        ("social.worker", reverse("training:home"), "Training"),
        ("social.worker", reverse("training:my-record"), "Your training record"),
        ("social.worker", reverse("training:session-book", args=[open_session.pk]),
         "Book a place"),
    ]
    for user, path, label in pages:
        w.open(user, path, label)
    # A practitioner's own bookings, with the place just booked.
    for path, label in ((reverse("training:my-bookings"), "Your training bookings"),
                        (reverse("training:booking-cancel", args=[mine.pk]), "Cancel a booking"),
                        (reverse("training:booking-evaluate", args=[mine.pk]),
                         "Evaluate your training")):
        w.open("social.worker", path, label)
