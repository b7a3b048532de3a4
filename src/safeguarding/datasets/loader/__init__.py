"""The loaders: one per kind of file, each run inside one transaction by services.

A loader's ``run`` reads, checks and (unless checking only) writes. When the
file has errors it raises ``Stop``: the transaction rolls back, so nothing of
the file is kept, and the errors go on the import record instead.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from safeguarding.core.models import LocalAuthority, Partnership, User
from safeguarding.datasets.models import DatasetImport, ImportStatus, ReturnStatus
from safeguarding.datasets.validation.problems import ProblemLog


@dataclass
class LoadContext:
    dataset_import: DatasetImport
    partnership: Partnership
    path: Path
    file_name: str
    check_only: bool
    log: ProblemLog
    actor: User | None
    # Every file of the import (a kind in MULTI_FILE_KINDS may have several) and
    # the name each is reported by; ``path`` and ``file_name`` are the first.
    paths: list[Path] = field(default_factory=list)
    file_names: list[str] = field(default_factory=list)

    def __post_init__(self) -> None:
        self.paths = self.paths or [self.path]
        self.file_names = self.file_names or [self.file_name]


@dataclass
class Outcome:
    status: str
    summary: str
    counts: dict = field(default_factory=dict)
    local_authority: LocalAuthority | None = None
    period: str = ""
    table_id: str = ""
    replaced: DatasetImport | None = None


class Stop(Exception):  # noqa: N818 - it is a signal to stop, not an error in the code
    """Stop the load and roll back; ``outcome`` says why (the log holds the errors)."""

    def __init__(self, outcome: Outcome):
        super().__init__(outcome.summary)
        self.outcome = outcome


class CurrentReturnLoader:
    """A loader whose import keeps a current return (or table) per contents: ``loaded_model``."""

    loaded_model: Any

    def already_loaded(self, partnership: Partnership, sha256: str) -> DatasetImport | None:
        """The import whose current return has these contents, if any."""
        current = (self.loaded_model._default_manager
                   .filter(partnership=partnership, sha256=sha256, status=ReturnStatus.CURRENT)
                   .select_related("dataset_import").first())
        return current.dataset_import if current else None


def failed(log: ProblemLog, *, refused: bool = False, **extra: Any) -> Stop:
    errors = f"{log.errors:,} error{'s' if log.errors != 1 else ''}"
    if refused:
        first = next((p.message for p in log.kept if p.is_error), "")
        summary = f"Refused: {first}. Nothing was loaded."
        return Stop(Outcome(status=ImportStatus.REFUSED, summary=summary, **extra))
    return Stop(Outcome(status=ImportStatus.FAILED,
                        summary=f"{errors} found. Nothing was loaded.", **extra))


# Each kind's loader, imported only when used: "module:Class".
LOADERS: dict[str, str] = {
    "cin-census": "safeguarding.datasets.loader.cin_census:CinCensusLoader",
    "dfe-benchmarks": "safeguarding.datasets.loader.dfe_benchmarks:BenchmarkLoader",
    "annex-a": "safeguarding.datasets.loader.annex_a:AnnexALoader",
    "ssda903": "safeguarding.datasets.loader.ssda903:Ssda903Loader",
    "early-help": "safeguarding.datasets.loader.agency:EarlyHelpLoader",
    "police-da-incidents": "safeguarding.datasets.loader.agency:PoliceIncidentLoader",
    "missing-episodes": "safeguarding.datasets.loader.agency:MissingEpisodeLoader",
    "school-exclusions": "safeguarding.datasets.loader.agency:SchoolExclusionLoader",
    "school-attendance": "safeguarding.datasets.loader.agency:SchoolAttendanceLoader",
    "mace-referrals": "safeguarding.datasets.loader.agency:MaceReferralLoader",
}
# Kinds loaded from an agency CSV template: they state a period and the sending agency.
TEMPLATE_KINDS = ("early-help", "police-da-incidents", "missing-episodes", "school-exclusions",
                  "school-attendance", "mace-referrals")


def loader_for(kind: str):
    import importlib

    try:
        module_name, class_name = LOADERS[kind].split(":")
    except KeyError:
        raise NotImplementedError(f"No loader for {kind!r} yet") from None
    return getattr(importlib.import_module(module_name), class_name)()
