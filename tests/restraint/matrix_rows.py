# ruff: noqa: E501  (the table is wider than the line limit on purpose)
"""The review of restraint's rows of the authorization matrix (tests/core/test_authorization_matrix.py).

Reviewer roles only: the business unit of the establishment's partnership and the members of
its Review of Restraint sub-group (tests/restraint covers that sub-group; the matrix's
sub-group column is a Scrutiny and Assurance member, refused here). Board members and analysts
see the restraint measures on the dashboard only. ``own`` is Staffordshire's demo YOI and its
records; ``other`` an establishment of Stoke-on-Trent.
"""

from __future__ import annotations

import datetime as dt

from safeguarding.restraint import services
from safeguarding.restraint.models import Establishment
from tests.restraint.conftest import csv_bytes, row

MATRIX_TEXT = """
url name                            | method | target                | anonymous | password only | sysadmin | business unit | board member | sub-group | analyst | practitioner | key adult
restraint:home                      | GET    | -                     | >sign-in  | >two-factor   | 403      | 200           | 403          | 403       | 403     | 403          | 403
restraint:incident-list             | GET    | restraint-est         | >sign-in  | >two-factor   | 403      | 200/403       | 403          | 403       | 403     | 403          | 403
restraint:incident-add              | GET    | restraint-est         | >sign-in  | >two-factor   | 403      | 200/403       | 403          | 403       | 403     | 403          | 403
restraint:import                    | GET    | restraint-est         | >sign-in  | >two-factor   | 403      | 200/403       | 403          | 403       | 403     | 403          | 403
restraint:due                       | GET    | restraint-est         | >sign-in  | >two-factor   | 403      | 200/403       | 403          | 403       | 403     | 403          | 403
restraint:sample-list               | GET    | restraint-est         | >sign-in  | >two-factor   | 403      | 200/403       | 403          | 403       | 403     | 403          | 403
restraint:insight                   | GET    | restraint-est         | >sign-in  | >two-factor   | 403      | 200/403       | 403          | 403       | 403     | 403          | 403
restraint:incident-detail           | GET    | restraint-incident    | >sign-in  | >two-factor   | 403      | 200/403       | 403          | 403       | 403     | 403          | 403
restraint:incident-edit             | GET    | restraint-incident    | >sign-in  | >two-factor   | 403      | 200/403       | 403          | 403       | 403     | 403          | 403
restraint:incident-review           | GET    | restraint-incident    | >sign-in  | >two-factor   | 403      | 200/403       | 403          | 403       | 403     | 403          | 403
restraint:sample-detail             | GET    | restraint-sample      | >sign-in  | >two-factor   | 403      | 200/403       | 403          | 403       | 403     | 403          | 403
restraint:sample-item               | GET    | restraint-item        | >sign-in  | >two-factor   | 403      | 200/403       | 403          | 403       | 403     | 403          | 403
api:restraint_incidents             | GET    | restraint-est         | 401       | 401           | 403      | 200/403       | 403          | 403       | 403     | 403          | 403
api:restraint_overdue               | GET    | restraint-est         | 401       | 401           | 403      | 200/403       | 403          | 403       | 403     | 403          | 403
api:restraint_sample                | GET    | restraint-sample-api  | 401       | 401           | 403      | 200/403       | 403          | 403       | 403     | 403          | 403
"""


def _records(world, scope: str) -> dict:
    """An establishment with one restraint and a drawn sample, for STAFFS (own) or STOKE."""
    cache = world.__dict__.setdefault("_restraint", {})
    if scope not in cache:
        partnership = world.staffs if scope == "own" else world.stoke
        la = partnership.local_authorities.order_by("old_code").first()
        est = Establishment.objects.filter(partnership=partnership).first() or \
            services.establishment_add(actor=None, partnership=partnership, code=f"M{scope}",
                                       name=f"Matrix YOI {scope}", host_la_code=la.old_code,
                                       recording_from=dt.date(2020, 4, 1))
        services.incidents_import(actor=None, establishment=est, file_name="m.csv",
                                  content=csv_bytes(row(incident_ref=f"M-{scope}",
                                                        child_la=la.old_code)))
        sample = services.sample_draw(actor=None, establishment=est, quarter="2020-Q1", seed=1)
        cache[scope] = {"est": est, "incident": est.incidents.get(), "sample": sample,
                        "item": sample.items.first()}
    return cache[scope]


TARGETS = {
    "restraint-est": lambda w, u, s: _records(w, s)["est"].pk,
    "restraint-incident": lambda w, u, s: _records(w, s)["incident"].pk,
    "restraint-sample": lambda w, u, s: _records(w, s)["sample"].pk,
    "restraint-item": lambda w, u, s: _records(w, s)["item"].pk,
    "restraint-sample-api": lambda w, u, s: {"est": _records(w, s)["est"].pk,
                                             "quarter": "2020-Q1"},
}

