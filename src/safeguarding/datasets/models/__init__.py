"""The datasets app's models, one module per kind of data; everything importable from here.

``imports``: import records and their problems; ``cin``: the CIN census;
``ssda903``: the children looked after return; ``annex_a``: Ofsted's Annex A lists; ``agency``: the agency template extracts; ``benchmarks``: DfE's tables.
"""

from safeguarding.datasets.models.agency import (
    RECORD_MODELS,
    AgencyExtract,
    DomesticAbuseIncident,
    EarlyHelpEpisode,
    MaceReferral,
    MissingEpisode,
    SchoolAttendance,
    SchoolExclusion,
)
from safeguarding.datasets.models.annex_a import AnnexAReturn, AnnexARow
from safeguarding.datasets.models.benchmarks import BenchmarkTable, BenchmarkValue
from safeguarding.datasets.models.cin import (
    ChildProtectionPlan,
    CinAssessment,
    CinChild,
    CinEpisode,
    CinPlanPeriod,
    CinReturn,
    CinReturnChild,
    Section47Enquiry,
)
from safeguarding.datasets.models.imports import (
    FINISHED,
    KIND_EXTENSIONS,
    MULTI_FILE_KINDS,
    DatasetImport,
    DatasetProblem,
    ImportKind,
    ImportStatus,
    ProblemSeverity,
    ReturnStatus,
)
from safeguarding.datasets.models.ssda903 import (
    ClaAdoption,
    ClaCareLeaver,
    ClaChild,
    ClaEpisode,
    ClaMissingEpisode,
    ClaOutcome,
    ClaPlacedForAdoption,
    ClaPreviousPermanence,
    ClaReturn,
    ClaReturnChild,
    ClaReview,
)

__all__ = [
    "RECORD_MODELS", "AgencyExtract", "DomesticAbuseIncident", "EarlyHelpEpisode", "MaceReferral",
    "MissingEpisode", "SchoolAttendance", "SchoolExclusion",
    "FINISHED", "KIND_EXTENSIONS", "MULTI_FILE_KINDS", "AnnexARow", "AnnexAReturn", "BenchmarkTable", "BenchmarkValue",
    "ChildProtectionPlan", "CinAssessment", "CinChild", "CinEpisode", "CinPlanPeriod",
    "CinReturn", "CinReturnChild", "ClaAdoption", "ClaCareLeaver", "ClaChild", "ClaEpisode",
    "ClaMissingEpisode", "ClaOutcome", "ClaPlacedForAdoption", "ClaPreviousPermanence",
    "ClaReturn", "ClaReturnChild", "ClaReview", "DatasetImport", "DatasetProblem", "ImportKind",
    "ImportStatus", "ProblemSeverity", "ReturnStatus", "Section47Enquiry",
]
