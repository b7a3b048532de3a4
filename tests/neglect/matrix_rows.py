# ruff: noqa: E501  (the table is wider than the line limit on purpose)
"""GCP2's rows of the authorization matrix (tests/core/test_authorization_matrix.py).

The business unit manages its partnership's champions and licences and reads every
agency's summaries; a practitioner or sub-group member reads the champions and records and
reads its own agency's summaries. ``own`` is a STAFFS record of the user's agency, ``other``
a STOKE one of Stoke's children's services: not found (404) for anyone without a seat there.
Board members, analysts and key adults have no GCP2 pages (403); they see the figures.
"""

from __future__ import annotations

import datetime as dt

from safeguarding.core.models import Agency
from safeguarding.neglect import services
from tests.core.test_authorization_matrix import Body

MATRIX_TEXT = """
url name                      | method | target          | anonymous | password only | sysadmin | business unit | board member | sub-group | analyst | practitioner | key adult
neglect:home                  | GET    | -               | >sign-in  | >two-factor   | 403      | 200           | 403          | 200       | 403     | 200          | 403
neglect:champions             | GET    | -               | >sign-in  | >two-factor   | 403      | 200           | 403          | 200       | 403     | 200          | 403
neglect:champion-add          | GET    | -               | >sign-in  | >two-factor   | 403      | 200           | 403          | 403       | 403     | 403          | 403
neglect:champion-step-down    | GET    | gcp2-champion   | >sign-in  | >two-factor   | 403      | 200/404       | 403          | 404       | 403     | 404          | 403
neglect:licences              | GET    | -               | >sign-in  | >two-factor   | 403      | 200           | 403          | 200       | 403     | 200          | 403
neglect:expiring              | GET    | -               | >sign-in  | >two-factor   | 403      | 200           | 403          | 200       | 403     | 200          | 403
neglect:licence-add           | GET    | -               | >sign-in  | >two-factor   | 403      | 200           | 403          | 403       | 403     | 403          | 403
neglect:licence-renew         | GET    | gcp2-licence    | >sign-in  | >two-factor   | 403      | 200/404       | 403          | 403       | 403     | 403          | 403
neglect:licence-withdraw      | GET    | gcp2-licence    | >sign-in  | >two-factor   | 403      | 200/404       | 403          | 403       | 403     | 403          | 403
neglect:summaries             | GET    | -               | >sign-in  | >two-factor   | 403      | 200           | 403          | 200       | 403     | 200          | 403
neglect:summary-add           | GET    | -               | >sign-in  | >two-factor   | 403      | 200           | 403          | 200       | 403     | 200          | 403
neglect:summary-detail        | GET    | gcp2-summary    | >sign-in  | >two-factor   | 403      | 200/404       | 403          | 200/404   | 403     | 200/404      | 403
api:neglect_champions         | GET    | -               | 401       | 401           | 403      | 200           | 403          | 200       | 403     | 200          | 403
api:neglect_licences          | GET    | -               | 401       | 401           | 403      | 200           | 403          | 200       | 403     | 200          | 403
api:neglect_summaries         | GET    | -               | 401       | 401           | 403      | 200           | 403          | 200       | 403     | 200          | 403
api:neglect_summary_record    | POST   | gcp2-summary-in | 401       | 401           | 403      | 201/403       | 403          | 201/403   | 403     | 201/403      | 403
api:neglect_champion_add      | POST   | gcp2-champion-in | 401      | 401           | 403      | 201/403       | 403          | 403       | 403     | 403          | 403
api:neglect_champion_step_down | POST  | gcp2-step-down  | 401       | 401           | 403      | 200/404       | 403          | 404       | 403     | 404          | 403
api:neglect_licence_issue     | POST   | gcp2-licence-in | 401       | 401           | 403      | 201/403       | 403          | 403       | 403     | 403          | 403
api:neglect_licence_renew     | POST   | gcp2-renew      | 401       | 401           | 403      | 201/404       | 403          | 403       | 403     | 403          | 403
api:neglect_licence_withdraw  | POST   | gcp2-withdraw   | 401       | 401           | 403      | 200/404       | 403          | 403       | 403     | 403          | 403
"""


def _partnership_agency(world, user, scope):
    """``own``: the user's seat (partnership and agency); ``other``: Stoke's children's
    services for STOKE, or Staffordshire Police for STAFFS when the seat is Stoke's own."""
    if scope == "own":
        seat = user.memberships.get()
        return seat.partnership, seat.agency
    if user.memberships.get().partnership_id == world.stoke.pk:
        return world.staffs, Agency.objects.get(name="Staffordshire Police")
    return world.stoke, world.stoke_cs


def _records(world, user, scope: str) -> dict:
    partnership, agency = _partnership_agency(world, user, scope)
    cache = world.__dict__.setdefault("_neglect", {})
    key = (partnership.pk, agency.pk)
    if key not in cache:
        cache[key] = {
            "champion": services.champion_add(actor=None, partnership=partnership, name="Matrix",
                                              agency=agency, trained_on=dt.date(2021, 3, 10)),
            "licence": services.licence_issue(actor=None, partnership=partnership,
                                              practitioner="Matrix", agency=agency,
                                              issued_on=dt.date(2021, 3, 15)),
            "summary": services.summary_record(actor=None, partnership=partnership,
                                               agency=agency, period="2021-Q1", completed=2,
                                               children=2, grades=[0, 1, 1, 0, 0]),
        }
    return cache[key]


def _summary_in(world, user, scope: str) -> Body:
    partnership, agency = _partnership_agency(world, user, scope)
    return Body(data={"partnership": partnership.code, "agency": agency.pk, "period": "2021-Q2",
                      "completed": 3, "children": 3, "grade_1": 1, "grade_2": 2})


def _person_in(world, user, scope: str, **extra) -> Body:
    partnership, agency = _partnership_agency(world, user, scope)
    return Body(data={"partnership": partnership.code, "agency": agency.pk, **extra})


TARGETS = {
    "gcp2-champion-in": lambda w, u, s: _person_in(w, u, s, name="Matrix champion",
                                                   trained_on="2021-04-01"),
    "gcp2-licence-in": lambda w, u, s: _person_in(w, u, s, practitioner="Matrix practitioner",
                                                  issued_on="2021-04-01"),
    "gcp2-step-down": lambda w, u, s: Body(_records(w, u, s)["champion"].pk,
                                           {"on": "2021-06-30"}),
    "gcp2-renew": lambda w, u, s: Body(_records(w, u, s)["licence"].pk,
                                       {"issued_on": "2022-03-15"}),
    "gcp2-withdraw": lambda w, u, s: Body(_records(w, u, s)["licence"].pk,
                                          {"on": "2021-06-30", "reason": "Matrix"}),
    "gcp2-champion": lambda w, u, s: _records(w, u, s)["champion"].pk,
    "gcp2-licence": lambda w, u, s: _records(w, u, s)["licence"].pk,
    "gcp2-summary": lambda w, u, s: _records(w, u, s)["summary"].pk,
    "gcp2-summary-in": _summary_in,
}
