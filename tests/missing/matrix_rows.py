# ruff: noqa: E501  (the table is wider than the line limit on purpose)
"""The missing children rows of the authorization matrix (tests/core/test_authorization_matrix.py).

Worker roles: the business unit and practitioners of the police and LA children's services
(the matrix's practitioner is a Staffordshire social worker) of the episode's partnership.
Board members and analysts open the module's home and the Strategic Missing Group page, as
counts; the matrix's sub-group member (Scrutiny and Assurance) and key adult are refused.
``own`` is Staffordshire and an episode of it; ``other`` Stoke-on-Trent and one of its.
"""

from __future__ import annotations

from safeguarding.missing import services
from safeguarding.missing.models import Episode
from tests.core.test_authorization_matrix import Body
from tests.missing.conftest import csv_bytes, row

MATRIX_TEXT = """
url name                    | method | target          | anonymous | password only | sysadmin | business unit | board member | sub-group | analyst | practitioner | key adult
missing:home                | GET    | -               | >sign-in  | >two-factor   | 403      | 200           | 200          | 403       | 200     | 200          | 403
missing:episode-list        | GET    | partnership     | >sign-in  | >two-factor   | 403      | 200/403       | 403          | 403       | 403     | 200/403      | 403
missing:episode-add         | GET    | partnership     | >sign-in  | >two-factor   | 403      | 200/403       | 403          | 403       | 403     | 200/403      | 403
missing:import              | GET    | partnership     | >sign-in  | >two-factor   | 403      | 200/403       | 403          | 403       | 403     | 200/403      | 403
missing:due                 | GET    | partnership     | >sign-in  | >two-factor   | 403      | 200/403       | 403          | 403       | 403     | 200/403      | 403
missing:smg                 | GET    | partnership     | >sign-in  | >two-factor   | 403      | 200/403       | 200/403      | 403       | 200/403 | 200/403      | 403
missing:episode-detail      | GET    | missing-episode | >sign-in  | >two-factor   | 403      | 200/403       | 403          | 403       | 403     | 200/403      | 403
missing:episode-return      | GET    | missing-episode | >sign-in  | >two-factor   | 403      | 200/403       | 403          | 403       | 403     | 200/403      | 403
missing:interview           | GET    | missing-episode | >sign-in  | >two-factor   | 403      | 200/403       | 403          | 403       | 403     | 200/403      | 403
api:missing_episodes        | GET    | partnership     | 401       | 401           | 403      | 200/403       | 403          | 403       | 403     | 200/403      | 403
api:missing_due             | GET    | partnership     | 401       | 401           | 403      | 200/403       | 403          | 403       | 403     | 200/403      | 403
api:missing_episode_add     | POST   | missing-new     | 401       | 401           | 403      | 201/403       | 403          | 403       | 403     | 201/403      | 403
"""


def _episode(world, scope: str) -> Episode:
    cache = world.__dict__.setdefault("_missing", {})
    if scope not in cache:
        partnership = world.partnership(scope)
        la = partnership.local_authorities.order_by("old_code").first()
        services.episodes_import(actor=None, partnership=partnership, file_name="m.csv",
                                 content=csv_bytes(row(force_reference=f"M-{scope}",
                                                       child_la=la.old_code)))
        cache[scope] = Episode.objects.get(partnership=partnership, force_reference=f"M-{scope}")
    return cache[scope]


def _new(world, user, scope: str) -> Body:
    partnership = world.partnership(scope)
    la = partnership.local_authorities.order_by("old_code").first()
    return Body(args=partnership.code, data={
        "force_reference": f"MX-{user.username}-{scope}", "category": "M",
        "child_la": la.old_code, "child_id": "S000000001", "missing_from": "2020-06-05 18:00",
        "returned_at": "2020-06-05 22:00", "where_found": "HOME"})


TARGETS = {
    "missing-episode": lambda w, u, s: _episode(w, s).pk,
    "missing-new": _new,
}
