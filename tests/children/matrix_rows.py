# ruff: noqa: E501  (the table is wider than the line limit on purpose)
"""Authorization matrix rows for the record-linkage review queue (children app).

Read by tests/core/test_authorization_matrix.py. Target ``link-candidate``: a
pending pair of a police record and a child, in STAFFS (own) or STOKE (other).
Only the business unit of the pair's partnership opens it.
"""

from __future__ import annotations

MATRIX_TEXT = """
url name                 | method | target         | anonymous | password only | sysadmin | business unit | board member | sub-group | analyst | practitioner | key adult
children:linkage-review  | GET    | -              | >sign-in  | >two-factor   | 403      | 200           | 403          | 403       | 403     | 403          | 403
children:linkage-decide  | GET    | link-candidate | >sign-in  | >two-factor   | 403      | 200/403       | 403          | 403       | 403     | 403          | 403
"""


def _link_candidate(world, user, scope: str) -> int:
    """One pair per partnership, made once per World (one World per test)."""
    from safeguarding.children.models import Child, LinkCandidate, SourceRecord
    from safeguarding.core.models import Agency

    partnership = world.partnership(scope)
    _candidates = world.__dict__.setdefault("_link_candidates", {})
    key = partnership.code
    if key not in _candidates:
        child = Child.objects.filter(partnership=partnership).order_by("pk").first()
        police = Agency.objects.filter(partnerships=partnership, kind="police").first()
        record = SourceRecord.objects.create(
            partnership=partnership, agency=police, source_system="matrix",
            source_key=f"M{child.pk}", first_name=child.first_name, last_name=child.last_name,
            date_of_birth=child.date_of_birth, sex=child.sex)
        _candidates[key] = LinkCandidate.objects.create(
            source_record=record, child=child, match_probability=0.9).pk
    return _candidates[key]


TARGETS = {"link-candidate": _link_candidate}
