"""Import records, the Children in Need census as loaded, and DfE's published tables.

Census tables are keyed as DfE keys them: a child by LA and LAchildID, an
episode by child and referral date, a plan by child and start date. Each
year's return is kept as a record with a snapshot of every child in it; the
episode and plan tables hold the merged history, the latest return's version
of each winning. Analytics columns carry the pseudonym, never a name.
"""

from django.db import models
from django.db.models import Q

from safeguarding.children.models import Child
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


class CinReturn(models.Model):
    """One loaded CIN census return: an LA's year, from one file."""

    partnership = models.ForeignKey(Partnership, on_delete=models.PROTECT, related_name="+")
    local_authority = models.ForeignKey(LocalAuthority, on_delete=models.PROTECT,
                                        related_name="cin_returns")
    collection_year = models.PositiveSmallIntegerField(help_text="The year ending 31 March")
    period = models.CharField(max_length=7)
    reference_date = models.DateField()
    source_datetime = models.CharField(max_length=40, blank=True)
    sha256 = models.CharField("SHA-256", max_length=64)
    dataset_import = models.OneToOneField(DatasetImport, on_delete=models.PROTECT,
                                          related_name="cin_return")
    status = models.CharField(max_length=20, choices=ReturnStatus.choices,
                              default=ReturnStatus.CURRENT)
    superseded_by = models.ForeignKey("self", on_delete=models.PROTECT, null=True, blank=True,
                                      related_name="+")
    loaded_at = models.DateTimeField(auto_now_add=True)
    counts = models.JSONField(default=dict, blank=True)

    class Meta:
        ordering = ["local_authority", "-collection_year", "-pk"]
        constraints = [
            models.UniqueConstraint(
                fields=["local_authority", "collection_year"],
                condition=Q(status="current"),
                name="one_current_cin_return_per_la_year",
            )
        ]

    def __str__(self) -> str:
        return f"CIN census {self.period}, LA {self.local_authority.old_code}"


class CinReturnChild(models.Model):
    """A child exactly as one return gave it, kept so any year can be re-merged."""

    cin_return = models.ForeignKey(CinReturn, on_delete=models.CASCADE,
                                   related_name="snapshots")
    la_child_id = models.CharField("LA child ID", max_length=10)
    content_hash = models.CharField(max_length=32)
    payload = models.TextField()

    class Meta:
        constraints = [
            models.UniqueConstraint(fields=["cin_return", "la_child_id"],
                                    name="unique_snapshot_child")
        ]

    def __str__(self) -> str:
        return f"{self.la_child_id} in {self.cin_return_id}"


class CinChild(models.Model):
    """A child in the CIN census, by LA and LAchildID; identifiable (it holds the UPN)."""

    partnership = models.ForeignKey(Partnership, on_delete=models.PROTECT, related_name="+")
    local_authority = models.ForeignKey(LocalAuthority, on_delete=models.PROTECT,
                                        related_name="+")
    la_child_id = models.CharField("LA child ID", max_length=10)
    child = models.ForeignKey(Child, on_delete=models.PROTECT, null=True, blank=True,
                              related_name="cin_records")
    pseudonym = models.CharField(max_length=32, db_index=True)
    upn = models.CharField("UPN", max_length=13, blank=True)
    former_upn = models.CharField("former UPN", max_length=13, blank=True)
    upn_unknown = models.CharField("UPN unknown reason", max_length=3, blank=True)
    birth_date = models.DateField(null=True, blank=True)
    expected_birth_date = models.DateField(null=True, blank=True)
    gender = models.CharField(max_length=1, blank=True)
    death_date = models.DateField(null=True, blank=True)
    ethnicity = models.CharField(max_length=4, blank=True)
    disabilities = models.JSONField(default=list, blank=True)
    source_return = models.ForeignKey(CinReturn, on_delete=models.PROTECT, related_name="+")
    first_year = models.PositiveSmallIntegerField()
    last_year = models.PositiveSmallIntegerField()

    class Meta:
        constraints = [
            models.UniqueConstraint(fields=["local_authority", "la_child_id"],
                                    name="unique_cin_child")
        ]

    def __str__(self) -> str:
        return f"CIN child {self.pseudonym[:8]}"


class CinEpisode(models.Model):
    """A CIN episode (CINdetails): one per child and referral date."""

    cin_child = models.ForeignKey(CinChild, on_delete=models.CASCADE, related_name="episodes")
    local_authority = models.ForeignKey(LocalAuthority, on_delete=models.PROTECT,
                                        related_name="+")
    la_child_id = models.CharField("LA child ID", max_length=10)
    pseudonym = models.CharField(max_length=32, db_index=True)
    referral_date = models.DateField()
    referral_source = models.CharField(max_length=3)
    primary_need = models.CharField(max_length=2, blank=True)
    closure_date = models.DateField(null=True, blank=True)
    reason_for_closure = models.CharField(max_length=3, blank=True)
    date_of_initial_cpc = models.DateField(null=True, blank=True)
    referral_nfa = models.BooleanField(null=True)
    source_return = models.ForeignKey(CinReturn, on_delete=models.PROTECT, related_name="+")
    collection_year = models.PositiveSmallIntegerField()

    class Meta:
        ordering = ["local_authority", "la_child_id", "referral_date"]
        constraints = [
            models.UniqueConstraint(fields=["local_authority", "la_child_id", "referral_date"],
                                    name="unique_cin_episode")
        ]
        indexes = [models.Index(fields=["local_authority", "referral_date"])]

    def __str__(self) -> str:
        return f"Referral {self.referral_date} ({self.pseudonym[:8]})"


class CinAssessment(models.Model):
    episode = models.ForeignKey(CinEpisode, on_delete=models.CASCADE, related_name="assessments")
    start_date = models.DateField(null=True, blank=True)
    internal_review_date = models.DateField(null=True, blank=True)
    authorisation_date = models.DateField(null=True, blank=True)
    factors = models.JSONField(default=list, blank=True)

    def __str__(self) -> str:
        return f"Assessment from {self.start_date}"


class CinPlanPeriod(models.Model):
    episode = models.ForeignKey(CinEpisode, on_delete=models.CASCADE, related_name="cin_plans")
    start_date = models.DateField()
    end_date = models.DateField(null=True, blank=True)

    def __str__(self) -> str:
        return f"CIN plan from {self.start_date}"


class Section47Enquiry(models.Model):
    episode = models.ForeignKey(CinEpisode, on_delete=models.CASCADE, related_name="section47s")
    start_date = models.DateField()
    icpc_target = models.DateField("initial conference target", null=True, blank=True)
    icpc_date = models.DateField("initial conference", null=True, blank=True)
    icpc_not_required = models.BooleanField(null=True)

    class Meta:
        verbose_name = "section 47 enquiry"
        verbose_name_plural = "section 47 enquiries"

    def __str__(self) -> str:
        return f"Section 47 from {self.start_date}"


class ChildProtectionPlan(models.Model):
    """A child protection plan: one per child and start date, across every return."""

    episode = models.ForeignKey(CinEpisode, on_delete=models.CASCADE,
                                related_name="protection_plans")
    local_authority = models.ForeignKey(LocalAuthority, on_delete=models.PROTECT,
                                        related_name="+")
    la_child_id = models.CharField("LA child ID", max_length=10)
    pseudonym = models.CharField(max_length=32, db_index=True)
    start_date = models.DateField()
    end_date = models.DateField(null=True, blank=True)
    initial_category = models.CharField(max_length=3)
    latest_category = models.CharField(max_length=3, blank=True)
    previous_plans = models.PositiveIntegerField(null=True, blank=True)
    review_dates = models.JSONField(default=list, blank=True)
    source_return = models.ForeignKey(CinReturn, on_delete=models.PROTECT, related_name="+")
    collection_year = models.PositiveSmallIntegerField()

    class Meta:
        ordering = ["local_authority", "la_child_id", "start_date"]
        constraints = [
            models.UniqueConstraint(fields=["local_authority", "la_child_id", "start_date"],
                                    name="unique_child_protection_plan")
        ]

    def __str__(self) -> str:
        return f"Plan from {self.start_date} ({self.pseudonym[:8]})"


class BenchmarkTable(models.Model):
    """One of DfE's published tables, as loaded for a partnership from one file."""

    partnership = models.ForeignKey(Partnership, on_delete=models.PROTECT, related_name="+")
    table_id = models.CharField(max_length=120)
    dataset_import = models.OneToOneField(DatasetImport, on_delete=models.PROTECT,
                                          related_name="benchmark_table")
    sha256 = models.CharField("SHA-256", max_length=64)
    status = models.CharField(max_length=20, choices=ReturnStatus.choices,
                              default=ReturnStatus.CURRENT)
    superseded_by = models.ForeignKey("self", on_delete=models.PROTECT, null=True, blank=True,
                                      related_name="+")
    indicators = models.JSONField(default=list)
    filters = models.JSONField(default=list)
    periods = models.JSONField(default=list)
    row_count = models.PositiveIntegerField(default=0)
    value_count = models.PositiveIntegerField(default=0)
    loaded_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["table_id", "-pk"]
        constraints = [
            models.UniqueConstraint(fields=["partnership", "table_id"],
                                    condition=Q(status="current"),
                                    name="one_current_benchmark_table")
        ]

    def __str__(self) -> str:
        return self.table_id


class BenchmarkValue(models.Model):
    """One published figure, tidy: table, indicator, period, geography, breakdown, value.

    A suppressed figure is stored as a missing value with DfE's marker kept
    (c, x, z, k, low, u, ...), never as zero.
    """

    release = models.ForeignKey(BenchmarkTable, on_delete=models.CASCADE, related_name="values",
                                help_text="The loaded release of the table this value came from")
    partnership = models.ForeignKey(Partnership, on_delete=models.PROTECT, related_name="+")
    table_id = models.CharField(max_length=120)
    indicator = models.CharField(max_length=120)
    time_period = models.CharField(max_length=10)
    time_identifier = models.CharField(max_length=40)
    period = models.CharField(max_length=9, help_text="Such as 2020/21")
    year_ending = models.PositiveSmallIntegerField(null=True, blank=True)
    geographic_level = models.CharField(max_length=40)
    geography_code = models.CharField(max_length=12, blank=True)
    country_code = models.CharField(max_length=12, blank=True)
    region_code = models.CharField(max_length=12, blank=True)
    region_name = models.CharField(max_length=100, blank=True)
    old_la_code = models.CharField(max_length=3, blank=True)
    new_la_code = models.CharField(max_length=12, blank=True)
    la_name = models.CharField(max_length=200, blank=True)
    breakdown = models.CharField(max_length=300, blank=True)
    value = models.DecimalField(max_digits=20, decimal_places=6, null=True, blank=True)
    marker = models.CharField(max_length=5, blank=True)

    class Meta:
        constraints = [
            models.UniqueConstraint(
                fields=["release", "indicator", "time_period", "time_identifier",
                        "geographic_level", "geography_code", "breakdown"],
                name="unique_benchmark_value",
            )
        ]
        indexes = [
            models.Index(fields=["partnership", "table_id", "indicator", "period"]),
            models.Index(fields=["old_la_code", "period"]),
            models.Index(fields=["new_la_code", "period"]),
        ]

    def __str__(self) -> str:
        shown = self.marker or "" if self.value is None else self.value
        return f"{self.table_id}.{self.indicator} {self.period} {self.geography_code}: {shown}"


# The agency templates' tables live in their own module; imported here so Django finds them.
from safeguarding.datasets.agency_models import (  # noqa: E402, F401
    RECORD_MODELS,
    AgencyExtract,
    DomesticAbuseIncident,
    EarlyHelpEpisode,
    MaceReferral,
    MissingEpisode,
    SchoolAttendance,
    SchoolExclusion,
)

