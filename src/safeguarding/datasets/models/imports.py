"""Import records: one per attempt to load a return, with the problems found in it."""

from django.db import models

from safeguarding.core.models import LocalAuthority, Partnership, User


class ImportKind(models.TextChoices):
    CIN_CENSUS = "cin-census", "Children in Need census (XML)"
    DFE_BENCHMARKS = "dfe-benchmarks", "DfE published local authority tables (CSV)"
    SSDA903 = "ssda903", "SSDA903 looked-after children return (CSV tables or ZIP)"
    ANNEX_A = "annex-a", "Ofsted Annex A workbook (XLSX)"
    EARLY_HELP = "early-help", "Early help episodes (CSV template)"
    POLICE_DA = "police-da-incidents", "Police domestic abuse incidents with children present (CSV template)"
    MISSING = "missing-episodes", "Missing episodes and return interviews (CSV template)"
    EXCLUSIONS = "school-exclusions", "School exclusions of vulnerable children (CSV template)"
    ATTENDANCE = "school-attendance", "School attendance of vulnerable children (CSV template)"
    MACE = "mace-referrals", "MACE referrals (CSV template)"


# The file each kind arrives as, checked on upload; a kind may accept several.
KIND_EXTENSIONS: dict[str, tuple[str, ...]] = {
    ImportKind.CIN_CENSUS: (".xml",),
    ImportKind.DFE_BENCHMARKS: (".csv",),
    ImportKind.SSDA903: (".zip", ".csv"),
    ImportKind.ANNEX_A: (".xlsx",),
    ImportKind.EARLY_HELP: (".csv",),
    ImportKind.POLICE_DA: (".csv",),
    ImportKind.MISSING: (".csv",),
    ImportKind.EXCLUSIONS: (".csv",),
    ImportKind.ATTENDANCE: (".csv",),
    ImportKind.MACE: (".csv",),
}

# Kinds whose return arrives as several files loaded together: one import
# record, one transaction. Every other kind is one import per file.
MULTI_FILE_KINDS: frozenset[str] = frozenset({ImportKind.SSDA903})


class ImportStatus(models.TextChoices):
    QUEUED = "queued", "Waiting to start"
    RUNNING = "running", "Running"
    LOADED = "loaded", "Loaded"
    UNCHANGED = "unchanged", "Already loaded"
    CHECKED = "checked", "Checked, not loaded"
    FAILED = "failed", "Has errors"
    REFUSED = "refused", "Refused"
    CRASHED = "crashed", "Stopped by a fault"


FINISHED = frozenset(ImportStatus) - {ImportStatus.QUEUED, ImportStatus.RUNNING}


class DatasetImport(models.Model):
    """One attempt to load one file: who, when, what, and how it ended."""

    kind = models.CharField(max_length=20, choices=ImportKind.choices)
    partnership = models.ForeignKey(
        Partnership, on_delete=models.PROTECT, related_name="dataset_imports"
    )
    local_authority = models.ForeignKey(
        LocalAuthority, on_delete=models.PROTECT, null=True, blank=True, related_name="+"
    )
    period = models.CharField(max_length=20, blank=True, help_text="Such as 2020/21")
    agency = models.ForeignKey(
        "core.Agency", on_delete=models.PROTECT, null=True, blank=True, related_name="+",
        help_text="The agency that sent an agency template extract")
    table_id = models.CharField(max_length=120, blank=True)
    file_name = models.CharField(max_length=255)
    sha256 = models.CharField("SHA-256", max_length=64, db_index=True)
    size_bytes = models.BigIntegerField(default=0)
    check_only = models.BooleanField(default=False)
    status = models.CharField(max_length=20, choices=ImportStatus.choices,
                              default=ImportStatus.QUEUED)
    actor = models.ForeignKey(User, on_delete=models.PROTECT, null=True, blank=True,
                              related_name="+")
    actor_label = models.CharField(max_length=200)
    created_at = models.DateTimeField(auto_now_add=True)
    started_at = models.DateTimeField(null=True, blank=True)
    finished_at = models.DateTimeField(null=True, blank=True)
    duration_ms = models.PositiveIntegerField(null=True, blank=True)
    counts = models.JSONField(default=dict, blank=True)
    error_count = models.PositiveIntegerField(default=0)
    query_count = models.PositiveIntegerField(default=0)
    summary = models.CharField(max_length=500, blank=True)
    upload_path = models.CharField(max_length=500, blank=True, editable=False)
    replaced = models.ForeignKey("self", on_delete=models.SET_NULL, null=True, blank=True,
                                 related_name="+")

    class Meta:
        ordering = ["-created_at", "-pk"]
        indexes = [models.Index(fields=["partnership", "kind", "status"])]

    def __str__(self) -> str:
        return f"Import {self.pk}: {self.file_name} ({self.get_status_display()})"

    @property
    def is_finished(self) -> bool:
        return self.status in FINISHED

    @property
    def duration_seconds(self) -> float | None:
        return None if self.duration_ms is None else self.duration_ms / 1000


class ProblemSeverity(models.TextChoices):
    ERROR = "error", "Error"
    QUERY = "query", "Query"


class DatasetProblem(models.Model):
    """One error or query found in a file: where it is, which rule, in plain English."""

    dataset_import = models.ForeignKey(DatasetImport, on_delete=models.CASCADE,
                                       related_name="problems")
    position = models.PositiveIntegerField()
    severity = models.CharField(max_length=10, choices=ProblemSeverity.choices,
                                default=ProblemSeverity.ERROR)
    file_name = models.CharField(max_length=255)
    row = models.PositiveIntegerField(null=True, blank=True)
    child = models.CharField(max_length=100, blank=True)
    field = models.CharField(max_length=100, blank=True)
    rule = models.CharField(max_length=40)
    message = models.TextField()

    class Meta:
        ordering = ["dataset_import", "position"]
        constraints = [
            models.UniqueConstraint(fields=["dataset_import", "position"],
                                    name="unique_problem_position")
        ]

    def __str__(self) -> str:
        return f"{self.rule}: {self.message}"


class ReturnStatus(models.TextChoices):
    CURRENT = "current", "Current"
    SUPERSEDED = "superseded", "Replaced by a newer return"




class LoadedReturn(models.Model):
    """What every DfE return kept as a whole has: an LA's collection year from one import.

    A newer return for the same LA and year supersedes the older, which is kept
    (status and superseded_by) so its children can be re-merged or compared.
    The LA and import links stay on each return: their reverse names differ.
    """

    partnership = models.ForeignKey(Partnership, on_delete=models.PROTECT, related_name="+")
    collection_year = models.PositiveSmallIntegerField(help_text="The year ending 31 March")
    period = models.CharField(max_length=7)
    sha256 = models.CharField("SHA-256", max_length=64)
    status = models.CharField(max_length=20, choices=ReturnStatus.choices,
                              default=ReturnStatus.CURRENT)
    superseded_by = models.ForeignKey("self", on_delete=models.PROTECT, null=True, blank=True,
                                      related_name="+")
    loaded_at = models.DateTimeField(auto_now_add=True)
    counts = models.JSONField(default=dict, blank=True)

    class Meta:
        abstract = True
        ordering = ["local_authority", "-collection_year", "-pk"]
