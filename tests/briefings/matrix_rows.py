# ruff: noqa: E501  (the table is wider than the line limit on purpose)
"""Briefings' rows of the authorization matrix (tests/core/test_authorization_matrix.py).

The business unit issues briefings and runs campaigns; practitioners, sub-group and board
members read them and record their own agency's use. ``own`` is a STAFFS briefing (every
agency of STAFFS expected), ``other`` a STOKE one: not found (404) for anyone without a STOKE
seat. Analysts and key adults have no briefing pages (403).
"""

from __future__ import annotations

import datetime as dt

from safeguarding.briefings import services
from safeguarding.briefings.demo import PDF
from tests.core.test_authorization_matrix import Body
from tests.support import home_agency

MATRIX_TEXT = """
url name                      | method | target            | anonymous | password only | sysadmin | business unit | board member | sub-group | analyst | practitioner | key adult
briefings:home                | GET    | -                 | >sign-in  | >two-factor   | 403      | 200           | 200          | 200       | 403     | 200          | 403
briefings:add                 | GET    | -                 | >sign-in  | >two-factor   | 403      | 200           | 403          | 403       | 403     | 403          | 403
briefings:detail              | GET    | briefing          | >sign-in  | >two-factor   | 403      | 200/404       | 200/404      | 200/404   | 403     | 200/404      | 403
briefings:file                | GET    | briefing          | >sign-in  | >two-factor   | 403      | 200/404       | 200/404      | 200/404   | 403     | 200/404      | 403
briefings:use-add             | GET    | briefing          | >sign-in  | >two-factor   | 403      | 200/404       | 200/404      | 200/404   | 403     | 200/404      | 403
briefings:campaigns           | GET    | -                 | >sign-in  | >two-factor   | 403      | 200           | 200          | 200       | 403     | 200          | 403
briefings:campaign-add        | GET    | -                 | >sign-in  | >two-factor   | 403      | 200           | 403          | 403       | 403     | 403          | 403
briefings:campaign-edit       | GET    | campaign          | >sign-in  | >two-factor   | 403      | 200/404       | 403          | 403       | 403     | 403          | 403
api:briefings_list            | GET    | -                 | 401       | 401           | 403      | 200           | 200          | 200       | 403     | 200          | 403
api:briefings_uses            | GET    | briefing          | 401       | 401           | 403      | 200/404       | 200/404      | 200/404   | 403     | 200/404      | 403
api:briefings_use_record      | POST   | briefing-use-body | 401       | 401           | 403      | 201/404       | 201/404      | 201/404   | 403     | 201/404      | 403
api:briefings_campaigns       | GET    | -                 | 401       | 401           | 403      | 200           | 200          | 200       | 403     | 200          | 403
api:briefings_campaign_add    | POST   | campaign-in       | 401       | 401           | 403      | 201/403       | 403          | 403       | 403     | 403          | 403
api:briefings_campaign_update | POST   | campaign-update   | 401       | 401           | 403      | 200/404       | 403          | 403       | 403     | 403          | 403
"""


def _records(world, scope: str) -> dict:
    cache = world.__dict__.setdefault("_briefings", {})
    if scope not in cache:
        partnership = world.partnership(scope)
        cache[scope] = {
            "briefing": services.briefing_issue(
                actor=None, partnership=partnership, title=f"Matrix briefing {scope}",
                source="audit", issued_on=dt.date(2021, 4, 1), file_name="matrix.pdf",
                content=PDF),
            "campaign": services.campaign_add(
                actor=None, partnership=partnership, name=f"Matrix campaign {scope}",
                audience="Everyone", starts_on=dt.date(2021, 4, 1), reach=10),
        }
    return cache[scope]


def _use_body(world, user, scope: str) -> Body:
    agency = home_agency(user) if scope == "own" else world.stoke_cs
    return Body(args=_records(world, scope)["briefing"].pk,
                data={"agency": agency.pk, "team": "Matrix team", "used_on": "2021-04-20",
                      "attendees": 3, "reflections": "Matrix reflections"})


TARGETS = {
    "campaign-in": lambda w, u, s: Body(data={
        "partnership": w.partnership(s).code, "name": f"Matrix new campaign {u.pk}",
        "audience": "Everyone", "starts_on": "2021-05-01", "reach": 5}),
    "campaign-update": lambda w, u, s: Body(_records(w, s)["campaign"].pk,
                                            {"reach": 40, "ends_on": "2021-06-30"}),
    "briefing": lambda w, u, s: _records(w, s)["briefing"].pk,
    "campaign": lambda w, u, s: _records(w, s)["campaign"].pk,
    "briefing-use-body": _use_body,
}
