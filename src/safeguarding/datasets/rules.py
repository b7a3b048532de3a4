"""Who may load data and see imports.

The partnership business unit and analysts load returns and DfE's tables for
their own partnerships and see those partnerships' imports. An import's
errors name children only by LAchildID (no names); opening them is audited.
"""

import rules

from safeguarding.core.roles import Role
from safeguarding.core.rules import holds_any, partnerships_where

IMPORT_DATA = frozenset({Role.BUSINESS_UNIT, Role.ANALYST})


def import_partnership_ids(user) -> set[int]:
    return partnerships_where(user, IMPORT_DATA)


@rules.predicate
def imports_data(user) -> bool:
    return holds_any(user, IMPORT_DATA)


@rules.predicate
def imports_into(user, partnership) -> bool:
    return partnership is not None and partnership.pk in import_partnership_ids(user)


@rules.predicate
def sees_import(user, dataset_import) -> bool:
    return dataset_import is not None and (
        dataset_import.partnership_id in import_partnership_ids(user))


rules.add_perm("datasets.import_data", imports_data)
rules.add_perm("datasets.import_into", imports_into)
rules.add_perm("datasets.view_import", sees_import)
