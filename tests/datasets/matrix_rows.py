# ruff: noqa: E501  (the table is wider than the line limit on purpose)
"""The data imports' rows of the authorization matrix (tests/core/test_authorization_matrix.py).

The business unit and analysts load data for their own partnership and see its
imports; nobody else opens these pages. Target ``dataset-import``: ``own`` is an
import for Staffordshire (the roles' partnership), ``other`` one for Stoke-on-Trent;
``annex-a-return`` the same for a loaded Annex A return (its summary and CSV).
"""

from __future__ import annotations

MATRIX_TEXT = """
url name                   | method | target         | anonymous | password only | sysadmin | business unit | board member | sub-group | analyst | practitioner | key adult
datasets:import-list       | GET    | -              | >sign-in  | >two-factor   | 403      | 200           | 403          | 403       | 200     | 403          | 403
datasets:import-add        | GET    | -              | >sign-in  | >two-factor   | 403      | 200           | 403          | 403       | 200     | 403          | 403
datasets:import-detail     | GET    | dataset-import | >sign-in  | >two-factor   | 403      | 200/403       | 403          | 403       | 200/403 | 403          | 403
datasets:import-status     | GET    | dataset-import | >sign-in  | >two-factor   | 403      | 200/403       | 403          | 403       | 200/403 | 403          | 403
datasets:import-errors-csv | GET    | dataset-import | >sign-in  | >two-factor   | 403      | 200/403       | 403          | 403       | 200/403 | 403          | 403
datasets:annex-a-summary   | GET    | annex-a-return | >sign-in  | >two-factor   | 403      | 200/403       | 403          | 403       | 200/403 | 403          | 403
datasets:annex-a-summary-csv | GET  | annex-a-return | >sign-in  | >two-factor   | 403      | 200/403       | 403          | 403       | 200/403 | 403          | 403
"""


def _dataset_import(world, user, scope: str) -> int:
    from safeguarding.datasets.models import DatasetImport, ImportKind, ImportStatus

    made = world.__dict__.setdefault("_dataset_imports", {})
    if scope not in made:
        made[scope] = DatasetImport.objects.create(
            kind=ImportKind.CIN_CENSUS, partnership=world.partnership(scope),
            file_name=f"matrix-{scope}.xml", actor_label="command line",
            status=ImportStatus.FAILED, summary="1 error found. Nothing was loaded.")
    return made[scope].pk


def _annex_a_return(world, user, scope: str) -> int:
    from safeguarding.datasets.models import (
        AnnexAReturn,
        DatasetImport,
        ImportKind,
        ImportStatus,
    )

    made = world.__dict__.setdefault("_annex_a_returns", {})
    if scope not in made:
        partnership = world.partnership(scope)
        record = DatasetImport.objects.create(
            kind=ImportKind.ANNEX_A, partnership=partnership, file_name=f"annex-{scope}.xlsx",
            actor_label="command line", status=ImportStatus.LOADED, summary="Loaded.")
        made[scope] = AnnexAReturn.objects.create(
            partnership=partnership, local_authority=partnership.local_authorities.first(),
            dataset_import=record, sha256=scope * 8, counts={"3": 1})
    return made[scope].pk


TARGETS = {"dataset-import": _dataset_import, "annex-a-return": _annex_a_return}
