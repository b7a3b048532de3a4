"""Who may do what in the policy library.

- Anyone signed in with a seat in a partnership reads the current version (and the
  history) of every policy that applies to that partnership. Policies are not child data,
  but another partnership's policy is still not shown.
- The business unit of a partnership a policy applies to adds policies, publishes new
  versions and records reviews; so does the policy's owner.
"""

from __future__ import annotations

import rules

from safeguarding.core.roles import Role
from safeguarding.core.rules import partnerships_where, seats


def reader_partnerships(user) -> set[int]:
    return {s.partnership_id for s in seats(user)}


def managed_partnerships(user) -> set[int]:
    return partnerships_where(user, {Role.BUSINESS_UNIT})


def _policy_partnerships(policy) -> set[int]:
    return set(policy.partnerships.values_list("pk", flat=True))


@rules.predicate
def reads_policies(user, obj=None) -> bool:
    if obj is None:
        return bool(reader_partnerships(user))
    return bool(_policy_partnerships(obj) & reader_partnerships(user))


@rules.predicate
def manages_policies(user, obj=None) -> bool:
    if obj is None:
        return bool(managed_partnerships(user))
    if getattr(user, "is_authenticated", False) and obj.owner_id == user.pk \
            and reads_policies(user, obj):
        return True
    return bool(_policy_partnerships(obj) & managed_partnerships(user))


rules.add_perm("policies.open", reads_policies)
rules.add_perm("policies.read", reads_policies)
rules.add_perm("policies.add", manages_policies)
rules.add_perm("policies.manage", manages_policies)
