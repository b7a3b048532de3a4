# ruff: noqa: E501  (the table is wider than the line limit on purpose)
"""The policy library's rows of the authorization matrix (tests/core/test_authorization_matrix.py).

Every seat of Staffordshire reads its partnerships' policies (own: a Staffordshire policy;
other: a policy of Stoke-on-Trent alone, refused). Adding a policy, publishing a version and
recording a review are the business unit's (of a partnership the policy applies to) and the
owner's; the matrix's policies are owned by each partnership's business unit.
"""

from __future__ import annotations

import datetime as dt

from django.utils import timezone

from safeguarding.core.models import User
from safeguarding.policies import services
from tests.core.test_authorization_matrix import Body

MATRIX_TEXT = """
url name                 | method | target         | anonymous | password only | sysadmin | business unit | board member | sub-group | analyst | practitioner | key adult
policies:library         | GET    | -              | >sign-in  | >two-factor   | 200      | 200           | 200          | 200       | 200     | 200          | 200
policies:policy-add      | GET    | -              | >sign-in  | >two-factor   | 403      | 200           | 403          | 403       | 403     | 403          | 403
policies:policy          | GET    | policy         | >sign-in  | >two-factor   | 200/403  | 200/403       | 200/403      | 200/403   | 200/403 | 200/403      | 200/403
policies:history         | GET    | policy         | >sign-in  | >two-factor   | 200/403  | 200/403       | 200/403      | 200/403   | 200/403 | 200/403      | 200/403
policies:version         | GET    | policy-version | >sign-in  | >two-factor   | 200/403  | 200/403       | 200/403      | 200/403   | 200/403 | 200/403      | 200/403
policies:version-file    | GET    | policy-version | >sign-in  | >two-factor   | 200/403  | 200/403       | 200/403      | 200/403   | 200/403 | 200/403      | 200/403
policies:version-add     | GET    | policy         | >sign-in  | >two-factor   | 403      | 200/403       | 403          | 403       | 403     | 403          | 403
policies:review          | GET    | policy         | >sign-in  | >two-factor   | 403      | 200/403       | 403          | 403       | 403     | 403          | 403
api:policies_library     | GET    | -              | 401       | 401           | 200      | 200           | 200          | 200       | 200     | 200          | 200
api:policies_policy      | GET    | policy         | 401       | 401           | 200/403  | 200/403       | 200/403      | 200/403   | 200/403 | 200/403      | 200/403
api:policies_review      | POST   | policy-review  | 401       | 401           | 403      | 201/403       | 403          | 403       | 403     | 403          | 403
api:policies_version_publish | POST | policy-version-in | 401  | 401           | 403      | 201/403       | 403          | 403       | 403     | 403          | 403
"""


def _policy(world, scope: str):
    cache = world.__dict__.setdefault("_policies", {})
    if scope not in cache:
        partnership = world.partnership(scope)
        owner = User.objects.get(username="business.staffs" if scope == "own"
                                 else "business.stoke")
        today = timezone.localdate()
        cache[scope] = services.policy_add(
            actor=None, title=f"Matrix policy {scope}", owner=owner,
            partnerships=[partnership], review_due=today + dt.timedelta(days=90),
            body="Matrix policy text.", published_on=today,
            file_name="matrix.txt", file_type="text/plain", file_content=b"matrix")
    return cache[scope]


TARGETS = {
    "policy-review": lambda w, u, s: Body(_policy(w, s).pk, {"note": "Matrix review"}),
    "policy-version-in": lambda w, u, s: Body(_policy(w, s).pk, {
        "change_summary": "Matrix change", "body": "Matrix policy text, revised."}),
    "policy": lambda w, u, s: _policy(w, s).pk,
    "policy-version": lambda w, u, s: _policy(w, s).versions.get(is_current=True).pk,
}
