# ruff: noqa: E501  (the table is wider than the line limit on purpose)
"""Operation Encompass's rows of the authorization matrix (tests/core/test_authorization_matrix.py).

The business unit (the education safeguarding lead's seat) of the partnership sees everything
of its own; the police record (the matrix has no police column: tests/encompass covers
police.officer); the key adult column is Brook Lane's Key Adult, who reads and acknowledges
Brook Lane's notifications only (``own``: a Brook Lane notification in Staffordshire;
``other``: Trentside's, in Stoke-on-Trent). Board members and analysts see the measures only.
"""

from __future__ import annotations

import datetime as dt

from django.utils import timezone

from safeguarding.encompass import demo, services
from safeguarding.encompass.models import School
from tests.core.test_authorization_matrix import Body

MATRIX_TEXT = """
url name                            | method | target                 | anonymous | password only | sysadmin | business unit | board member | sub-group | analyst | practitioner | key adult
encompass:home                      | GET    | -                      | >sign-in  | >two-factor   | 403      | 200           | 403          | 403       | 403     | 403          | 200
encompass:schools                   | GET    | partnership            | >sign-in  | >two-factor   | 403      | 200/403       | 403          | 403       | 403     | 403          | 403
encompass:school-add                | GET    | partnership            | >sign-in  | >two-factor   | 403      | 200/403       | 403          | 403       | 403     | 403          | 403
encompass:school-edit               | GET    | encompass-school       | >sign-in  | >two-factor   | 403      | 200/403       | 403          | 403       | 403     | 403          | 403
encompass:incidents                 | GET    | partnership            | >sign-in  | >two-factor   | 403      | 200/403       | 403          | 403       | 403     | 403          | 403
encompass:incident-add              | GET    | partnership            | >sign-in  | >two-factor   | 403      | 200/403       | 403          | 403       | 403     | 403          | 403
encompass:import                    | GET    | partnership            | >sign-in  | >two-factor   | 403      | 200/403       | 403          | 403       | 403     | 403          | 403
encompass:escalation                | GET    | partnership            | >sign-in  | >two-factor   | 403      | 200/403       | 403          | 403       | 403     | 403          | 403
encompass:incident                  | GET    | encompass-incident     | >sign-in  | >two-factor   | 403      | 200/403       | 403          | 403       | 403     | 403          | 403
encompass:notification              | GET    | encompass-notification | >sign-in  | >two-factor   | 403      | 200/403       | 403          | 403       | 403     | 403          | 200/403
encompass:acknowledge               | POST   | encompass-notification | >sign-in  | >two-factor   | 403      | 403           | 403          | 403       | 403     | 403          | >encompass:notification/403
api:encompass_notifications         | GET    | -                      | 401       | 401           | 403      | 200           | 403          | 403       | 403     | 403          | 200
api:encompass_acknowledge           | POST   | encompass-notification | 401       | 401           | 403      | 403           | 403          | 403       | 403     | 403          | 200/403
api:encompass_incidents             | POST   | encompass-incident-body| 401       | 401           | 403      | 201/403       | 403          | 403       | 403     | 403          | 403
api:encompass_escalation            | GET    | partnership            | 401       | 401           | 403      | 200/403       | 403          | 403       | 403     | 403          | 403
"""


def _records(world, scope: str) -> dict:
    """A school, an incident and its notification: Brook Lane (STAFFS) or Trentside (STOKE)."""
    cache = world.__dict__.setdefault("_encompass", {})
    if scope not in cache:
        if not School.objects.exists():
            demo._schools({"STAFFS": world.staffs, "STOKE": world.stoke})
        partnership = world.staffs if scope == "own" else world.stoke
        urn = "900001" if scope == "own" else "900003"
        incident = services.incident_record(actor=None, partnership=partnership, values={
            "police_reference": f"M-{scope}", "domestic_abuse": True,
            "occurred_at": timezone.make_aware(dt.datetime(2020, 10, 14, 20, 0)),
            "children": [{"first_name": "Matrix", "last_name": f"Child {scope}",
                          "date_of_birth": dt.date(2012, 5, 5), "school_urn": urn}]})
        cache[scope] = {"school": School.objects.get(urn=urn), "incident": incident,
                        "notification": incident.notifications.get()}
    return cache[scope]


def _incident_body(world, user, scope: str) -> Body:
    partnership = world.staffs if scope == "own" else world.stoke
    _records(world, scope)  # the schools
    return Body(args=partnership.code, data={
        "police_reference": f"API-{user.pk}-{scope}", "occurred_at": "2020-10-14T20:00:00+01:00",
        "children": [{"first_name": "Api", "last_name": "Child", "date_of_birth": "2012-05-05",
                      "school_urn": "900001" if scope == "own" else "900003"}]})


TARGETS = {
    "encompass-school": lambda w, u, s: _records(w, s)["school"].pk,
    "encompass-incident": lambda w, u, s: _records(w, s)["incident"].pk,
    "encompass-notification": lambda w, u, s: _records(w, s)["notification"].pk,
    "encompass-incident-body": _incident_body,
}
