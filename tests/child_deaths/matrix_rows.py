# ruff: noqa: E501  (the table is wider than the line limit on purpose)
"""Child death review rows of the authorization matrix (tests/core/test_authorization_matrix.py).

Targets: ``own`` is a case of Staffordshire (the roles' partnership), ``other`` a case of
Stoke-on-Trent. Staffordshire hosts the joint Child Death Overview Panel shared with
Stoke-on-Trent, so Staffordshire's business unit opens both. The matrix's sub-group column
is a Scrutiny and Assurance member, not a panel member, so it is refused everywhere;
tests/child_deaths/test_access.py covers the panel member (cdop.member: 200 on both) and
Stoke-on-Trent's business unit (403 on the Staffordshire case, 200 on its own).
Analysts work from aggregates only: the case list sends them to the statistics page.
"""

from __future__ import annotations

import datetime as dt

from django.urls import NoReverseMatch, reverse

from safeguarding.child_deaths import services
from tests.child_deaths.helpers import TODAY, icb, notify, user

MATRIX_TEXT = """
url name                       | method | target               | anonymous | password only | sysadmin | business unit | board member | sub-group | analyst                   | practitioner | key adult
child_deaths:list              | GET    | -                    | >sign-in  | >two-factor   | 403      | 200           | 403          | 403       | >child_deaths:statistics  | 403          | 403
child_deaths:notify            | GET    | -                    | >sign-in  | >two-factor   | 403      | 200           | 403          | 403       | 403                       | 403          | 403
child_deaths:due               | GET    | -                    | >sign-in  | >two-factor   | 403      | 200           | 403          | 403       | 403                       | 403          | 403
child_deaths:exports           | GET    | -                    | >sign-in  | >two-factor   | 403      | 200           | 403          | 403       | 403                       | 403          | 403
child_deaths:statistics        | GET    | -                    | >sign-in  | >two-factor   | 403      | 200           | 403          | 403       | 200                       | 403          | 403
child_deaths:themes            | GET    | -                    | >sign-in  | >two-factor   | 403      | 200           | 403          | 403       | 403                       | 403          | 403
child_deaths:theme-toggle      | GET    | child-death-theme    | >sign-in  | >two-factor   | 403      | 405           | 403          | 403       | 403                       | 403          | 403
child_deaths:detail            | GET    | child-death          | >sign-in  | >two-factor   | 403      | 200           | 403          | 403       | 403                       | 403          | 403
child_deaths:jar               | GET    | child-death          | >sign-in  | >two-factor   | 403      | 200           | 403          | 403       | 403                       | 403          | 403
child_deaths:request-add       | GET    | child-death          | >sign-in  | >two-factor   | 403      | 200           | 403          | 403       | 403                       | 403          | 403
child_deaths:review            | GET    | child-death          | >sign-in  | >two-factor   | 403      | 200           | 403          | 403       | 403                       | 403          | 403
child_deaths:request-response  | GET    | child-death-request  | >sign-in  | >two-factor   | 403      | 200           | 403          | 403       | 403                       | 403          | 403
child_deaths:case-export       | GET    | child-death-export   | >sign-in  | >two-factor   | 403      | 200           | 403          | 403       | 403                       | 403          | 403
"""

# The API router (safeguarding.child_deaths.api) answers once it is mounted on the project
# API; its rows join the table then, so the table never lists a URL the resolver lacks.
API_ROWS = """
api:child_death_cases          | GET    | -                    | 401       | 401           | 403      | 200           | 403          | 403       | 403                       | 403          | 403
api:child_death_statistics     | GET    | -                    | 401       | 401           | 403      | 200           | 403          | 403       | 200                       | 403          | 403
"""


def _api_mounted() -> bool:
    try:
        reverse("api:child_death_cases")
    except NoReverseMatch:
        return False
    return True


if _api_mounted():
    MATRIX_TEXT += API_ROWS.lstrip("\n")


def _records(world, scope: str) -> dict:
    """A Staffordshire (own) or Stoke-on-Trent (other) case with one information request."""
    cache = world.__dict__.setdefault("_child_deaths", {})
    if scope not in cache:
        code = "STAFFS" if scope == "own" else "STOKE"
        case = notify("business.staffs", code=code, last_name=f"Matrix{code.title()}")
        request = services.information_request_add(
            actor=user("business.staffs"),
            case=case,
            agency=icb(),
            requested_on=dt.date(2020, 6, 3),
            today=TODAY,
        )
        cache[scope] = {"case": case, "request": request}
    return cache[scope]


def _theme(world, user_, scope):
    from safeguarding.child_deaths.models import Theme

    return Theme.objects.order_by("pk").first().pk


TARGETS = {
    "child-death": lambda w, u, s: _records(w, s)["case"].pk,
    "child-death-request": lambda w, u, s: {
        "pk": _records(w, s)["case"].pk,
        "request_pk": _records(w, s)["request"].pk,
    },
    "child-death-export": lambda w, u, s: {"pk": _records(w, s)["case"].pk, "fmt": "csv"},
    "child-death-theme": _theme,
}
