# ruff: noqa: E501  (the table is wider than the line limit on purpose)
"""Multi-agency audits' rows of the authorization matrix (tests/core/test_authorization_matrix.py).

The business unit runs audits; board and sub-group members read them; auditors (practitioners,
sub-group members, key adults) of an agency taking part read the audit, open its case files
and complete their agency's returns. ``own`` is a Staffordshire audit whose taking-part
agencies are Staffordshire's children's services and the person's own agency (so the
person's agency has a return on its case), ``other`` a Stoke-on-Trent audit: another
partnership's audits are not found (404); analysts and the system administrator have no
audits (403).
"""

from __future__ import annotations

import datetime as dt

from safeguarding.audits import services
from safeguarding.core.models import Agency
from tests.core.test_authorization_matrix import Body

MATRIX_TEXT = """
url name                | method | target             | anonymous | password only | sysadmin | business unit | board member | sub-group | analyst | practitioner | key adult
audits:home             | GET    | -                  | >sign-in  | >two-factor   | 403      | 200           | 200          | 200       | 403     | 200          | 200
audits:programme-add    | GET    | -                  | >sign-in  | >two-factor   | 403      | 200           | 403          | 403       | 403     | 403          | 403
audits:programme-detail | GET    | audits-programme   | >sign-in  | >two-factor   | 403      | 200/404       | 200/404      | 200/404   | 403     | 200/404      | 200/404
audits:audit-add        | GET    | audits-programme   | >sign-in  | >two-factor   | 403      | 200/404       | 403          | 403       | 403     | 403          | 403
audits:audit-detail     | GET    | audits-audit       | >sign-in  | >two-factor   | 403      | 200/404       | 200/404      | 200/404   | 403     | 200/404      | 200/404
audits:question-add     | GET    | audits-audit       | >sign-in  | >two-factor   | 403      | 200/404       | 403          | 403       | 403     | 403          | 403
audits:sample-draw      | GET    | audits-audit       | >sign-in  | >two-factor   | 403      | 200/404       | 403          | 403       | 403     | 403          | 403
audits:returns-open     | GET    | audits-audit       | >sign-in  | >two-factor   | 403      | 200/404       | 403          | 403       | 403     | 403          | 403
audits:finding-add      | GET    | audits-audit       | >sign-in  | >two-factor   | 403      | 200/404       | 403          | 403       | 403     | 403          | 403
audits:action-add       | GET    | audits-audit       | >sign-in  | >two-factor   | 403      | 200/404       | 403          | 403       | 403     | 403          | 403
audits:audit-complete   | GET    | audits-audit       | >sign-in  | >two-factor   | 403      | 200/404       | 403          | 403       | 403     | 403          | 403
audits:case-detail      | GET    | audits-case        | >sign-in  | >two-factor   | 403      | 200/404       | 403/404      | 200/404   | 403     | 200/404      | 200/404
audits:moderate         | GET    | audits-case        | >sign-in  | >two-factor   | 403      | 200/404       | 403          | 403       | 403     | 403          | 403
audits:return-edit      | GET    | audits-return      | >sign-in  | >two-factor   | 403      | 200/404       | 403/404      | 200/404   | 403     | 200/404      | 200/404
api:audits_list         | GET    | -                  | 401       | 401           | 403      | 200           | 200          | 200       | 403     | 200          | 200
api:audits_returns      | GET    | -                  | 401       | 401           | 403      | 200           | 200          | 200       | 403     | 200          | 200
api:audits_audit        | GET    | audits-audit       | 401       | 401           | 403      | 200/404       | 200/404      | 200/404   | 403     | 200/404      | 200/404
api:audits_case         | GET    | audits-case        | 401       | 401           | 403      | 200/404       | 403/404      | 200/404   | 403     | 200/404      | 200/404
api:audits_return_save  | POST   | audits-return-body | 401       | 401           | 403      | 200/404       | 403/404      | 200/404   | 403     | 200/404      | 200/404
"""


def _agency_of(user) -> Agency:
    return user.memberships.order_by("pk").first().agency


def _programme(world, scope: str):
    cache = world.__dict__.setdefault("_audit_programmes", {})
    if scope not in cache:
        cache[scope] = services.programme_add(actor=None, partnership=world.partnership(scope),
                                              year=2020)
    return cache[scope]


def _audit(world, user, scope: str):
    """An audit with returns open; own: Staffordshire's children's services and the
    person's agency take part; other: Stoke-on-Trent's children's services."""
    cache = world.__dict__.setdefault("_audits", {})
    partnership = world.partnership(scope)
    la = partnership.agencies.filter(kind="la_childrens_services").order_by("pk").first()
    agencies = {la}
    if scope == "own" and user is not None:
        mine = _agency_of(user)
        if mine.partnerships.filter(pk=partnership.pk).exists():
            agencies.add(mine)
    key = (scope, tuple(sorted(a.pk for a in agencies)))
    if key not in cache:
        audit = services.audit_add(
            actor=None, programme=_programme(world, scope), title="Matrix audit",
            theme="neglect", terms_of_reference="Matrix", scale="rag",
            planned_on=dt.date(2020, 10, 1), population="known_to_agencies", sample_size=1,
            agencies=sorted(agencies, key=lambda a: a.pk))
        services.sample_draw(actor=None, audit=audit, on=dt.date(2020, 10, 5), seed=1)
        services.returns_open(actor=None, audit=audit, on=dt.date(2020, 10, 6))
        cache[key] = audit
    return cache[key]


def _case(world, user, scope: str):
    return _audit(world, user, scope).cases.get()


def _return(world, user, scope: str):
    case = _case(world, user, scope)
    mine = _agency_of(user) if user is not None else None
    found = case.returns.filter(agency=mine).first() if scope == "own" else None
    return found or case.returns.order_by("pk").first()


TARGETS = {
    "audits-programme": lambda w, u, s: _audit(w, u, s).programme_id,
    "audits-audit": lambda w, u, s: _audit(w, u, s).pk,
    "audits-case": lambda w, u, s: _case(w, u, s).pk,
    "audits-return": lambda w, u, s: _return(w, u, s).pk,
    "audits-return-body": lambda w, u, s: Body(
        args=_return(w, u, s).pk, data={"auditor": "Matrix", "submit": False}),
}
