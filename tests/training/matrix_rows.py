# ruff: noqa: E501  (the table is wider than the line limit on purpose)
"""The training programme's rows of the authorization matrix (tests/core/test_authorization_matrix.py).

Every seat of Staffordshire is a learner on its programme: the programme pages and the
person's own bookings open for every role; someone else's booking, or a session of Stoke's
own programme (Staffordshire shares training with Stoke, not the other way), is refused.
Running the programme (courses, sessions, registers, charges, invoices, organisations) is
the business unit's, of its own partnership only. The manager's approval link shows its
page to whoever holds it; deciding needs a valid signed token (tests/training/test_views.py).

The API's writes keep the same lines: every role books on Staffordshire's session and
cancels, accepts (422: nothing was offered) and evaluates its own booking, never Stoke's
business unit's; only the business unit waives its own partnership's charge, makes and
exports its invoices and imports its e-learning completions.
"""

from __future__ import annotations

import datetime as dt

from django.utils import timezone

from safeguarding.core.models import Agency, User
from safeguarding.training import services
from safeguarding.training.models import Booking, Session
from tests.core.test_authorization_matrix import Body

MATRIX_TEXT = """
url name                            | method | target                | anonymous | password only | sysadmin | business unit | board member | sub-group | analyst | practitioner | key adult
training:home                       | GET    | -                     | >sign-in  | >two-factor   | 200      | 200           | 200          | 200       | 200     | 200          | 200
training:my-bookings                | GET    | -                     | >sign-in  | >two-factor   | 200      | 200           | 200          | 200       | 200     | 200          | 200
training:session-book               | GET    | training-session      | >sign-in  | >two-factor   | 200/403  | 200/403       | 200/403      | 200/403   | 200/403 | 200/403      | 200/403
training:booking-cancel             | GET    | training-booking      | >sign-in  | >two-factor   | 200/403  | 200/403       | 200/403      | 200/403   | 200/403 | 200/403      | 200/403
training:booking-accept             | GET    | training-booking      | >sign-in  | >two-factor   | 405      | 405           | 405          | 405       | 405     | 405          | 405
training:booking-evaluate           | GET    | training-booking      | >sign-in  | >two-factor   | 200/403  | 200/403       | 200/403      | 200/403   | 200/403 | 200/403      | 200/403
training:approve                    | GET    | training-token        | >sign-in  | >two-factor   | 200      | 200           | 200          | 200       | 200     | 200          | 200
training:manage                     | GET    | training-partnership  | >sign-in  | >two-factor   | 403      | 200/403       | 403          | 403       | 403     | 403          | 403
training:course-add                 | GET    | training-partnership  | >sign-in  | >two-factor   | 403      | 200/403       | 403          | 403       | 403     | 403          | 403
training:session-add                | GET    | training-course       | >sign-in  | >two-factor   | 403      | 200/403       | 403          | 403       | 403     | 403          | 403
training:session-register           | GET    | training-session      | >sign-in  | >two-factor   | 403      | 200/403       | 403          | 403       | 403     | 403          | 403
training:charges                    | GET    | training-partnership  | >sign-in  | >two-factor   | 403      | 200/403       | 403          | 403       | 403     | 403          | 403
training:charge-waive               | GET    | training-charge       | >sign-in  | >two-factor   | 403      | 200/403       | 403          | 403       | 403     | 403          | 403
training:invoices                   | GET    | training-partnership  | >sign-in  | >two-factor   | 403      | 200/403       | 403          | 403       | 403     | 403          | 403
training:invoices-csv               | GET    | training-partnership  | >sign-in  | >two-factor   | 403      | 200/403       | 403          | 403       | 403     | 403          | 403
training:organisations              | GET    | training-partnership  | >sign-in  | >two-factor   | 403      | 200/403       | 403          | 403       | 403     | 403          | 403
training:organisation-edit          | GET    | training-organisation | >sign-in  | >two-factor   | 403      | 200/403       | 403          | 403       | 403     | 403          | 403
training:elearning-import           | GET    | training-partnership  | >sign-in  | >two-factor   | 403      | 200/403       | 403          | 403       | 403     | 403          | 403
training:refreshers                 | GET    | training-partnership  | >sign-in  | >two-factor   | 403      | 200/403       | 403          | 403       | 403     | 403          | 403
training:coverage                   | GET    | training-partnership  | >sign-in  | >two-factor   | 403      | 200/403       | 403          | 403       | 403     | 403          | 403
training:my-record                  | GET    | -                     | >sign-in  | >two-factor   | 200      | 200           | 200          | 200       | 200     | 200          | 200
api:training_my_record              | GET    | -                     | 401       | 401           | 200      | 200           | 200          | 200       | 200     | 200          | 200
api:training_refreshers             | GET    | training-partnership  | 401       | 401           | 403      | 200/403       | 403          | 403       | 403     | 403          | 403
api:training_sessions               | GET    | -                     | 401       | 401           | 200      | 200           | 200          | 200       | 200     | 200          | 200
api:training_my_bookings            | GET    | -                     | 401       | 401           | 200      | 200           | 200          | 200       | 200     | 200          | 200
api:training_charges                | GET    | training-partnership  | 401       | 401           | 403      | 200/403       | 403          | 403       | 403     | 403          | 403
api:training_invoices               | GET    | training-partnership  | 401       | 401           | 403      | 200/403       | 403          | 403       | 403     | 403          | 403
api:training_book                   | POST   | training-book-in      | 401       | 401           | 201/403  | 201/403       | 201/403      | 201/403   | 201/403 | 201/403      | 201/403
api:training_cancel                 | POST   | training-cancel-in    | 401       | 401           | 200/403  | 200/403       | 200/403      | 200/403   | 200/403 | 200/403      | 200/403
api:training_accept                 | POST   | training-accept-in    | 401       | 401           | 422/403  | 422/403       | 422/403      | 422/403   | 422/403 | 422/403      | 422/403
api:training_evaluate               | POST   | training-evaluate-in  | 401       | 401           | 201/403  | 201/403       | 201/403      | 201/403   | 201/403 | 201/403      | 201/403
api:training_waive                  | POST   | training-waive-in     | 401       | 401           | 403      | 200/403       | 403          | 403       | 403     | 403          | 403
api:training_invoices_make          | POST   | training-invoices-in  | 401       | 401           | 403      | 201/403       | 403          | 403       | 403     | 403          | 403
api:training_invoices_csv           | GET    | training-partnership  | 401       | 401           | 403      | 200/403       | 403          | 403       | 403     | 403          | 403
api:training_elearning_import       | POST   | training-elearning-in | 401       | 401           | 403      | 201/403       | 403          | 403       | 403     | 403          | 403
"""


def _programme(world, scope: str) -> dict:
    """A course and an open session six weeks ahead, on STAFFS's (own) or STOKE's programme,
    with a charge raised on a past session (a no-show of Stoke's business unit)."""
    cache = world.__dict__.setdefault("_training", {})
    if scope not in cache:
        partnership = world.partnership(scope)
        course = services.course_add(actor=None, partnership=partnership, code=f"M{scope}",
                                     title=f"Matrix course {scope}", level="level_1",
                                     audience="Everyone", outcomes="Outcomes", format="virtual")
        start = timezone.now() + dt.timedelta(weeks=6)
        session = services.session_add(actor=None, course=course, starts_at=start,
                                       ends_at=start + dt.timedelta(hours=3), trainers="T",
                                       capacity=10, joining_link="https://meet.example.org/m")
        past = services.session_add(actor=None, course=course,
                                    starts_at=start - dt.timedelta(weeks=12),
                                    ends_at=start - dt.timedelta(weeks=12, hours=-3),
                                    trainers="T", capacity=10,
                                    joining_link="https://meet.example.org/p")
        stranger = world.stranger
        organisation = services.organisation_for(
            partnership, Agency.objects.get(pk=stranger.memberships.first().agency_id))
        booking = Booking.objects.create(session=past, learner=stranger,
                                         organisation=organisation, state="confirmed",
                                         requested_at=past.starts_at - dt.timedelta(weeks=2))
        services.register_record(actor=None, session=past, attended=set())
        booking.refresh_from_db()
        cache[scope] = {"course": course, "session": session, "charge": booking.charge,
                        "organisation": organisation}
    return cache[scope]


def _booking(world, user: User, scope: str) -> int:
    """The user's own booking on STAFFS's session, or Stoke's business unit's on Stoke's."""
    own = _programme(world, "own")["session"]
    if scope == "own":
        found = Booking.objects.filter(session=own, learner=user).first()
        return (found or services.booking_request(actor=user, session=own)).pk
    other: Session = _programme(world, "other")["session"]
    found = Booking.objects.filter(session=other, learner=world.stranger).first()
    return (found or services.booking_request(actor=world.stranger, session=other)).pk


def _token(world, user: User, scope: str) -> str:
    return services.approval_token(Booking.objects.get(pk=_booking(world, user, "own"))) \
        if scope == "own" else "made-up-token"


def _elearning_in(world, user: User, scope: str) -> Body:
    """A one-row completions file for the partnership's programme (STAFFS's course)."""
    course = _programme(world, "own")["course"]
    content = ("learner,organisation,course_code,completed_on\n"
               f"social.worker,Staffordshire County Council Children's Services,{course.code},"
               "2021-01-12\n")
    return Body(world.partnership(scope).pk, {"file_name": "matrix.csv", "content": content})


TARGETS = {
    "training-book-in": lambda w, u, s: Body(_programme(w, s)["session"].pk, {"role": "Matrix"}),
    "training-cancel-in": lambda w, u, s: Body(_booking(w, u, s), {"reason": "Matrix"}),
    "training-accept-in": lambda w, u, s: Body(_booking(w, u, s), {}),
    "training-evaluate-in": lambda w, u, s: Body(_booking(w, u, s), {
        "stage": "before", "confidence": 2, "knowledge": 3}),
    "training-waive-in": lambda w, u, s: Body(_programme(w, s)["charge"].pk,
                                              {"reason": "illness", "note": "Matrix"}),
    "training-invoices-in": lambda w, u, s: Body(w.partnership(s).pk, {"period": "2020-21"}),
    "training-elearning-in": _elearning_in,
    "training-partnership": lambda w, u, s: w.partnership(s).pk,
    "training-course": lambda w, u, s: _programme(w, s)["course"].pk,
    "training-session": lambda w, u, s: _programme(w, s)["session"].pk,
    "training-charge": lambda w, u, s: _programme(w, s)["charge"].pk,
    "training-organisation": lambda w, u, s: _programme(w, s)["organisation"].pk,
    "training-booking": _booking,
    "training-token": _token,
}
